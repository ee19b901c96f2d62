"""A scaling group resized by a signal, outside any traversal.

A scaling policy's signal asks the group of its stack whose reference id it
names to change size (``GroupScaler.adjust``).  As heat-engine, the group
changes only while it stands COMPLETE with nobody acting on it, outside its
cooldown, and when its size would change; otherwise NoActionRequired.

The group's row is locked with its state unchanged, its plugin builds the
resized child (``requested_capacity``) and the row awaits the child's
update as a node awaits any child (``nested/child``), under a traversal id
of its own (``adjust:<uuid>``): no thread waits.  When the child's
operation ends, ``finish`` releases the row with the group's new
attributes and starts its cooldown.  A stack operation that reaches the
row meanwhile takes it over, as it takes over any awaiting row, and its
goal wins.
"""

import time
import uuid

from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import states
from convergence.nested import child as nested_child
from convergence.nested import outputs
from convergence.resources import scaling
from convergence.worker.node import Node

Action, Status = states.Action, states.Status

TRAVERSAL_PREFIX = 'adjust:'
# Row data of the group while an adjustment runs: what it asked for and
# the cooldown (seconds) it starts once done.
IN_FLIGHT = 'adjustment'
# Actions after which a group takes no adjustment (Heat: not COMPLETE).
_BUSY = (Action.DELETE, 'SUSPEND')


def is_adjustment(awaiting: dict | None) -> bool:
    """Whether a row's ``awaiting`` is an adjustment's, not a node's."""
    return bool(awaiting) and str(awaiting.get('traversal_id', '')).startswith(
        TRAVERSAL_PREFIX)


class GroupScaler:
    """Resizes the scaling groups of ``stack`` for one signal.

    The signal's delivery may run the policy's handler again when its
    data could not be stored; the group is adjusted once all the same.
    """

    def __init__(self, rt, stack: dict):
        self.rt, self.stack = rt, stack
        self._done = {}

    def adjust(self, policy: str, group_ref: str, adjustment,
               adjustment_type: str, min_adjustment_step, cooldown) -> None:
        """Start resizing the group ``group_ref`` names.

        Raises:
            NotFound: no resource of the stack has that reference id.
            NoActionRequired: the group is busy, in its cooldown, or at the
                size asked for already.
        """
        key = (group_ref, adjustment, adjustment_type)
        if key not in self._done:
            self._done[key] = self._adjust(policy, group_ref, adjustment,
                                           adjustment_type,
                                           min_adjustment_step, cooldown)

    def _adjust(self, policy, group_ref, adjustment, adjustment_type,
                min_adjustment_step, cooldown) -> bool:
        row = self._group_row(policy, group_ref)
        name = row['name']
        if (row['engine_id'] is not None or row['status'] != Status.COMPLETE
                or row['action'] in _BUSY):
            raise exceptions.NoActionRequired(
                res_name=name, reason='due to scaling activity')
        data = row['rsrc_data'] or {}
        node = Node(self.rt, row, self.stack,
                    TRAVERSAL_PREFIX + str(uuid.uuid4()), {}, True)
        plugin = node.plugin(row['type'], row['properties_data'] or {})
        if scaling.in_cooldown(data, time.time()):
            raise exceptions.NoActionRequired(
                res_name=name, reason='due to cooldown, cooldown %s'
                                      % (cooldown or 0))
        wanted = plugin.adjusted_size(adjustment, adjustment_type,
                                      min_adjustment_step)
        if wanted == plugin.current_size():
            raise exceptions.NoActionRequired(
                res_name=name, reason='no change in capacity')
        if not self._lock(row):
            raise exceptions.NoActionRequired(
                res_name=name, reason='due to scaling activity')
        plugin.requested_capacity = wanted
        if cooldown is None:
            cooldown = plugin.default_cooldown()
        asked = {'cooldown': cooldown or 0, 'adjustment': adjustment,
                 'adjustment_type': adjustment_type}
        plugin.data_set(IN_FLIGHT, asked)
        _announce(self.rt, self.stack, plugin, asked, 'start',
                  plugin.current_size(),
                  'Start resizing the group %s' % plugin.get_reference_id())
        started = nested_child.converge(node, plugin, Action.UPDATE, {})
        if not isinstance(started, nested_child.Handover):
            node.release({'rsrc_data': data})
            raise exceptions.ResourceFailure(started)
        return True

    def _group_row(self, policy: str, group_ref: str) -> dict:
        for row in self.rt.db.resources_of_stack(self.stack['id']):
            if (row['physical_resource_id'] == group_ref
                    and not states.is_deleted(row)
                    and callable(getattr(rsrc_ops.plugin_class(row['type']),
                                         'adjusted_size', None))):
                return row
        raise exceptions.NotFound(
            message='Alarm %s could not find scaling group named "%s"'
                    % (policy, group_ref))

    def _lock(self, row: dict) -> bool:
        """The row's lock, its state unchanged; False if anyone has it."""
        taken = {'engine_id': self.rt.engine_id,
                 'atomic_key': row['atomic_key'] + 1}
        if not self.rt.db.resource_cas(row['id'], {
                'engine_id': None, 'atomic_key': row['atomic_key']}, taken):
            return False
        row.update(taken)
        return True


def finish(rt, row: dict, parent: dict, awaiting: dict, child: dict | None,
           failure: str | None) -> None:
    """The child's update of an adjustment ended: release the group's row
    (whose lock this engine holds) with its new attributes, its cooldown
    started; a failed resize leaves the group FAILED with the reason, for
    the next stack update to mend."""
    node = Node(rt, row, parent, awaiting['traversal_id'], {}, True)
    child_outputs = outputs.resolved(rt, child) if failure is None else None
    plugin = node.plugin(row['type'], row['properties_data'] or {},
                         nested_outputs=child_outputs)
    asked = plugin.data_get(IN_FLIGHT) or {}
    plugin.data_delete(IN_FLIGHT)
    if failure is None:
        plugin.data_set(scaling.COOLDOWN_END, scaling.cooldown_end(
            time.time(), asked.get('cooldown')))
        values = dict(rsrc_ops.stored_state(plugin),
                      attr_data=node.attribute_cache(plugin))
    else:
        values = dict(rsrc_ops.stored_state(plugin),
                      **states.finished(failure))
        rt.events.resource_event(parent['id'], row, row['action'],
                                 Status.FAILED, failure)
    node.release(values)
    size = plugin.current_size()
    if failure is None:
        _announce(rt, parent, plugin, asked, 'end', size,
                  'End resizing the group %s' % plugin.get_reference_id())
    else:
        _announce(rt, parent, plugin, asked, 'error', size, failure)


def _announce(rt, stack: dict, plugin, asked: dict, suffix: str,
              capacity: int, message: str) -> None:
    """heat-engine's ``orchestration.autoscaling.<suffix>`` notification."""
    if rt.notifier is not None:
        rt.notifier.autoscaling(stack, suffix, {
            'adjustment': asked.get('adjustment'),
            'adjustment_type': asked.get('adjustment_type'),
            'capacity': capacity, 'groupname': plugin.get_reference_id(),
            'message': message})
