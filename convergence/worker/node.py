"""What one run of a traversal node works on: its row, stack and trigger.

A ``Node`` is read-only but for its ``row``, which the row lock updates in
place as it writes it.  The update and cleanup nodes read it; nothing they
learn while running is stored on it: they return an ``Outcome``.
"""

import threading
import time

from convergence import definitions
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import stack as stack_ops
from convergence.resources import base as plugin_base
from convergence.worker import sibling_lookup


class Node:
    """One node of one traversal, on the row it acts on."""

    def __init__(self, rt, row: dict, stack: dict, traversal_id: str,
                 data: dict, is_update: bool):
        self.rt, self.row, self.stack = rt, row, stack
        self.traversal_id, self.data = traversal_id, data
        self.is_update = is_update
        self.definition = rt.definitions.get(stack['raw_template_id'], stack)
        self.goal_template_id = stack['raw_template_id']
        self.lock = rsrc_ops.RowLock(rt)
        # Before any lock attempt: a cancel from here on stops this action.
        self.began = time.monotonic()

    @property
    def stack_id(self) -> str:
        return self.stack['id']

    def acquire(self, values: dict) -> bool:
        """Lock the row, writing ``values`` with it.

        False when the trigger was parked on the row (its holder re-sends
        it) or sent round again, or the traversal no longer runs.
        """
        # The lock ends what ``awaiting`` said of the row before (a cleared
        # breakpoint, worker/breakpoints.py), unless ``values`` say anew.
        values = dict({'awaiting': None}, **values)
        state = self.lock.acquire(self.row, self.traversal_id,
                                  self.is_update, self.data, values)
        return state == rsrc_ops.ACQUIRED

    def release(self, values: dict) -> bool:
        """Write ``values`` and unlock; False if the lock was taken away."""
        return self.lock.release(self.row, values)

    def hands_over(self) -> bool:
        """A cleanup of a replaced row: its replacement stands alone after."""
        return not self.is_update and self.row['replaced_by'] is not None

    def plugin(self, type_name: str, properties: dict,
               cancelled: threading.Event | None = None,
               nested_outputs: dict | None = None) -> plugin_base.Resource:
        """The row's plugin, timed by the stack's deadline and ``cancelled``.

        ``nested_outputs``: a nested stack resource's child's outputs.
        """
        deadline = stack_ops.deadline(self.rt, self.stack)
        clock = self.rt.clock_factory(deadline, cancelled or threading.Event())
        plugin = rsrc_ops.make_plugin(self.row, self.stack, type_name,
                                      properties, clock, self.definition,
                                      nested_outputs,
                                      software_configs=self.rt.db,
                                      agents=self.rt.settings.agents,
                                      clouds=self.rt.clouds)
        plugin.context.resource_by_refid = sibling_lookup.lookup(
            self.rt, self.stack, self.definition)
        if getattr(plugin, 'reads_template_metadata', False):
            plugin.context.metadata = self.template_metadata()
        return plugin

    def template_metadata(self) -> dict:
        """The row's Metadata in the goal template, resolved from what the
        resources it refers to stored ({} if one cannot be resolved)."""
        try:
            defn = self.definition.resource_definition(self.row['name'])
            return defn.resolved_metadata(
                definitions.TriggerDataResolver(self.data))
        except (exceptions.ConvergenceError, KeyError):
            return {}

    def own_definition(self):
        """The resource definition the row last converged to (its deletion
        policy, its ``external_id``), or None when it has none."""
        template_id = self.row['current_template_id']
        if template_id is None:
            return None
        try:
            own = self.rt.definitions.get(template_id, self.stack)
            return own.resource_definition(self.row['name'])
        except (exceptions.ConvergenceError, KeyError, TypeError):
            return None

    def attribute_cache(self, plugin: plugin_base.Resource) -> dict:
        """The ref and attributes the goal template reads of this resource."""
        return rsrc_ops.attribute_cache(
            plugin, self.definition.referenced_attributes(self.row['name']))

    def node_data(self, attr_data: dict, values: dict | None = None) -> dict:
        """What successors learn of this node: the row as ``values`` leave it."""
        row = dict(self.row, **(values or {}))
        data = {'id': row['id'], 'name': row['name'],
                'reference_id': attr_data['ref'],
                'attrs': attr_data['attrs'],
                'action': row['action'], 'status': row['status']}
        if attr_data.get(definitions.ATTRIBUTE_ERRORS):
            data[definitions.ATTRIBUTE_ERRORS] = attr_data[
                definitions.ATTRIBUTE_ERRORS]
        return data
