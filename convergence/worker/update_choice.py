"""What an update node does with its row: one rule, for the node that acts
and for the preview of an update (``engine/preview_update.py``).

The row's own state decides first: a row without a resource yet (or whose
create was interrupted) is created, a deleted row and a row of another
type (another plugin) are replaced, a nested row whose child already
converged to the goal is left alone.  Otherwise the plugin plans the update
(``Resource.plan_update``): no change, in place, or a replacement; a
resource a stack check found changed behind the stack's back plans from
what the cloud holds now (``resources/live_state.py``).
"""

import logging

from convergence import exceptions
from convergence import resources
from convergence import states
from convergence.resources import base as plugin_base
from convergence.resources import live_state

LOG = logging.getLogger(__name__)

Action, Status = states.Action, states.Status
# The key of a signal wait's record (worker/signal_wait.WAIT_ID).
SIGNAL_WAIT = 'signal_wait'

# What the row's state alone decides.
BY_ROW = (CREATE, REPLACE_DELETED, REPLACE_TYPE, CHILD_CONVERGED,
          ASK_PLUGIN) = ('create', 'replace deleted', 'replace type',
                         'child converged', 'ask plugin')


def by_row(row: dict, defn, goal_template_id: int | None,
           nested: bool) -> str:
    """One of ``BY_ROW``: what the row's state says, before the plugin.

    ``defn``: the row's resource definition in the goal; ``nested``: its
    type is a nested stack resource.
    """
    if row['action'] == Action.INIT or _retry_create(row, defn):
        return CREATE
    if row['action'] == Action.DELETE:
        return REPLACE_DELETED
    if row['type'] != defn.type and not one_plugin(row['type'], defn.type):
        return REPLACE_TYPE
    if nested and states.update_converged(row, goal_template_id):
        # A trigger repeated within the traversal: the child converged
        # already, and starting it again would only cancel its own work.
        return CHILD_CONVERGED
    return ASK_PLUGIN


def one_plugin(old_type: str, new_type: str) -> bool:
    """Whether two type names are one built-in plugin (a hidden alias,
    ``OS::Heat::SoftwareDeployments`` for ``SoftwareDeploymentGroup``):
    Heat replaces a resource whose type changes only when its class does,
    so the row changes type in place."""
    try:
        return resources.get_class(old_type) is resources.get_class(new_type)
    except exceptions.ConvergenceError:  # a template type, or gone
        return False


def plan(plugin: plugin_base.Resource, row: dict, properties: dict,
         child: dict | None = None) -> plugin_base.UpdatePlan:
    """The plugin's plan for the row's resource with the goal's resolved
    ``properties`` (a FAILED resource is usually replaced, an unhealthy
    one is: ``replaced_as_unhealthy``).  ``child``: a nested row's child
    stack, if it has one.

    Raises:
        ResourceFailure: an immutable property changed.
    """
    if drifted(plugin, row):
        return _plan_from_reality(plugin, properties)
    if replaced_as_unhealthy(plugin, row, child):
        return plugin_base.UpdatePlan(plugin_base.REPLACE, {})
    planned = plugin.plan_update(properties,
                                 failed=row['status'] == Status.FAILED)
    if planned.decision == plugin_base.NO_CHANGE and _wait_cut_short(row):
        # The action an older traversal's signal wait belonged to never
        # ended: the row does not stand at its properties yet.
        return plugin_base.UpdatePlan(plugin_base.IN_PLACE, {})
    return planned


def drifted(plugin: plugin_base.Resource, row: dict) -> bool:
    """A stack check found the resource changed behind the stack's back
    (not gone, not marked unhealthy): ``live_state``."""
    return ((row['action'], row['status']) == (Action.CHECK, Status.FAILED)
            and live_state.drifted(plugin))


def _plan_from_reality(plugin: plugin_base.Resource,
                       properties: dict) -> plugin_base.UpdatePlan:
    """Decision 26: the update starts from what the cloud holds now; gone
    since the check, the resource is recreated."""
    try:
        observed = live_state.as_observed(plugin)
    except Exception as exc:  # the cloud cannot say: a new one is made
        LOG.warning('%s: cannot observe it (%s), replacing it',
                    plugin.name, exc)
        observed = None
    if observed is None:
        return plugin_base.UpdatePlan(plugin_base.REPLACE, {})
    plugin.properties = observed
    return plugin.plan_update(properties)


def _wait_cut_short(row: dict) -> bool:
    """The row awaits a signal for an action that has not ended
    (worker/signal_wait.py); a newer traversal takes it over."""
    awaiting = row.get('awaiting') or {}
    return bool(row.get('engine_id')) and SIGNAL_WAIT in awaiting


def replaced_as_unhealthy(plugin: plugin_base.Resource, row: dict,
                          child: dict | None) -> bool:
    """Heat's rule for a CHECK_FAILED resource: it is replaced, unless its
    type says otherwise, or it is a nested stack resource whose child
    failed a stack check too: then the child is updated and replaces its
    own failed resources.  (A nested resource marked unhealthy by a user
    is replaced whole.)"""
    if ((row['action'], row['status']) != (Action.CHECK, Status.FAILED)
            or not plugin.always_replace_on_check_failed):
        return False
    if not getattr(plugin, 'nested', False) or not plugin.resource_id:
        return True
    return child is None or (child['action'], child['status']) != (
        Action.CHECK, Status.FAILED)


def _retry_create(row: dict, defn) -> bool:
    """An interrupted create (or adopt) is repeated in place (see
    states.interrupted)."""
    return (row['action'] in (Action.CREATE, Action.ADOPT)
            and states.interrupted(row) and row['type'] == defn.type)
