"""A child stack's operation ended: the parent's node awaiting it goes on.

The child's verdict (``stack.complete`` or the end of its failure) wakes
the row that owns it.  If that row still awaits this child, the waker takes
the row's lock over and finishes the node as an action that ran in place
would: the row gets the child's result, successors learn the child's
outputs as the row's attributes, a failure fails the parent's traversal.
If the parent's traversal moved on meanwhile, the row is only released
with the result: the newer traversal's node carries on.
"""

import logging

from convergence import resource as rsrc_ops
from convergence import stack as stack_ops
from convergence import states
from convergence.nested import child as nested_child
from convergence.nested import outputs
from convergence.worker import check_resource
from convergence.worker import cleanup_node
from convergence.worker import locked_run
from convergence.worker.node import Node

LOG = logging.getLogger(__name__)

Action, Status = states.Action, states.Status


def wake_owner(rt, child: dict) -> bool:
    """Resume the node awaiting ``child``'s operation; False if none does."""
    row_id = child.get('owner_resource_id')
    loaded = rt.db.resource_and_stack(row_id) if row_id is not None else None
    if loaded is None:
        return False
    row, parent = loaded
    awaiting = row['awaiting']
    if not awaiting or awaiting['stack_id'] != child['id']:
        return False
    if not rsrc_ops.RowLock(rt).take_over(row, {}):
        return False
    finish(rt, row, parent, awaiting, rt.db.stack_get(child['id']))
    return True


def finish(rt, row: dict, parent: dict, awaiting: dict,
           child: dict | None) -> None:
    """End the awaited action of ``row`` (whose lock this engine holds)."""
    action = Action(awaiting['action'])
    final = awaiting.get('final') or {}
    node = Node(rt, row, parent, awaiting['traversal_id'], {},
                awaiting['is_update'])
    failure = child_failure(row['name'], child, action)
    child_outputs = None
    if failure is None and action != Action.DELETE:
        child_outputs = outputs.resolved(rt, child)
    properties = final.get('properties_data', row['properties_data']) or {}
    plugin = node.plugin(row['type'], properties,
                         nested_outputs=child_outputs)
    if (parent['current_traversal'] != awaiting['traversal_id']
            or parent['failure_reason'] is not None
            or parent['deleted_at'] is not None):
        locked_run.finish_superseded(node, plugin, action, failure, final)
        if (parent['failure_reason'] is not None
                and parent['current_traversal'] == awaiting['traversal_id']):
            stack_ops.settle_failure(rt, parent['id'],
                                     awaiting['traversal_id'])
        return
    ended = locked_run.finish(node, plugin, action, failure, final)
    if (action == Action.DELETE
            and ended.kind == states.NodeOutcome.DONE):
        cleanup_node.hand_over_to_replacement(node)
    check_resource.conclude(node, ended)


def child_failure(name: str, child: dict | None,
                  action: Action) -> str | None:
    """Why the child's operation did not do what ``action`` asked; None
    when it did."""
    if action == Action.DELETE:
        if child is None or child['deleted_at'] is not None:
            return None
    elif (child is not None and child['status'] == Status.COMPLETE
          and child['action'] in (Action.CREATE, Action.UPDATE)):
        return None
    if child is None:
        return 'resources.%s: the nested stack is gone' % name
    reason = child['status_reason'] or '%s %s' % (child['action'],
                                                  child['status'])
    prefix = 'Resource %s failed: ' % child['action']
    if reason.startswith(prefix):
        reason = reason[len(prefix):]
    return nested_child.in_parent(name, reason)
