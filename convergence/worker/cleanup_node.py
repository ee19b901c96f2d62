"""A cleanup node: delete its row's resource unless the goal template keeps it.

A row of the goal template stays; a row that never got a resource is just
removed; any other row's resource is deleted (or, by its deletion policy,
retained, as an external resource always is) and the row kept as DELETE
COMPLETE until the traversal ends.
"""

from convergence import resource as rsrc_ops
from convergence import resources
from convergence import states
from convergence.nested import child
from convergence.template.resource_definition import RETAIN, SNAPSHOT
from convergence.worker import breakpoints
from convergence.worker import locked_run
from convergence.worker import outcome as outcomes
from convergence.worker.node import Node

Action = states.Action


def run(node: Node) -> outcomes.Outcome:
    """Delete the node's row's resource, or see that there is none to."""
    row = node.row
    if (node.stack['action'] in states.READ_ONLY_ACTIONS
            or states.cleanup_done(row, node.goal_template_id)):
        return outcomes.done()
    if states.never_acted(row):
        node.rt.db.resource_delete(row['id'])
        return outcomes.done()
    hook = breakpoints.due(node, Action.DELETE)
    if hook is not None:
        return breakpoints.pause(node, hook, Action.DELETE)
    own = node.own_definition()
    # An external resource is only referred to: never deleted.
    retain = own is not None and (own.deletion_policy == RETAIN
                                  or own.external_id is not None)
    if retain or _replacement_holds_it(node):
        perform = lambda plugin: None  # noqa: E731
    elif resources.is_nested(row['type']):
        perform = child.perform(node, Action.DELETE)
    elif own is not None and own.deletion_policy == SNAPSHOT:
        # Validation let the policy through only for a type that honours it.
        state = (row['action'], row['status'])
        perform = lambda plugin: rsrc_ops.run_plugin_snapshot_delete(  # noqa
            plugin, state)
    else:
        perform = lambda plugin: rsrc_ops.run_plugin_action(  # noqa: E731
            plugin, Action.DELETE)
    ended = locked_run.run(
        node, Action.DELETE, states.begin(Action.DELETE), row['type'],
        row['properties_data'] or {}, perform)
    if ended.kind == states.NodeOutcome.DONE:
        hand_over_to_replacement(node)
    return ended


def _replacement_holds_it(node: Node) -> bool:
    """Decision 34: a replaced row whose replacement has the same physical
    id names what the replacement made (a keypair by its name, a router
    interface by its router and subnet, a volume attachment by its volume,
    recreated after they were gone): deleting it would delete the new
    one."""
    new_id, physical = node.row['replaced_by'], node.row[
        'physical_resource_id']
    if new_id is None or physical is None:
        return False
    replacement = node.rt.db.resource_get(new_id)
    return (replacement is not None
            and replacement['physical_resource_id'] == physical)


def hand_over_to_replacement(node: Node) -> None:
    """The replaced row is gone: its replacement stands on its own now."""
    new_id = node.row['replaced_by']
    if new_id is None:
        return
    db = node.rt.db
    replacement = db.resource_get(new_id)
    if (replacement is not None
            and replacement['current_template_id'] == node.goal_template_id):
        db.resource_cas(
            new_id, {'engine_id': None,
                     'atomic_key': replacement['atomic_key']},
            {'replaces': None, 'atomic_key': replacement['atomic_key'] + 1})
