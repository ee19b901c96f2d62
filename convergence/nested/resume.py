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

from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import stack as stack_ops
from convergence import states
from convergence.nested import adjust
from convergence.nested import batches
from convergence.nested import child as nested_child
from convergence.nested import outputs
from convergence.worker import check_resource
from convergence.worker import cleanup_node
from convergence.worker import locked_run
from convergence.worker import snapshot_node
from convergence.worker.node import Node

LOG = logging.getLogger(__name__)

Action, Status = states.Action, states.Status


def wake_owner(rt, child: dict) -> bool:
    """Resume the node awaiting ``child``'s operation; False if none does.

    ``child``: the child's row as read after its verdict.  Only the owner
    row's holder starts the child's next operation, so the child is still
    so once its waker has taken the row over.
    """
    row_id = child.get('owner_resource_id')
    loaded = rt.db.resource_and_stack(row_id) if row_id is not None else None
    if loaded is None:
        return False
    row, parent = loaded
    awaiting = row['awaiting']
    if not awaiting or awaiting.get('stack_id') != child['id']:
        return False
    if not rsrc_ops.RowLock(rt).take_over(row, {}):
        return False
    finish(rt, row, parent, awaiting, child)
    return True


def finish(rt, row: dict, parent: dict, awaiting: dict,
           child: dict | None) -> None:
    """End the awaited action of ``row`` (whose lock this engine holds)."""
    action = Action(awaiting['action'])
    if adjust.is_adjustment(awaiting):
        adjust.finish(rt, row, parent, awaiting, child,
                      child_failure(row['name'], child, action))
        return
    final = awaiting.get('final') or {}
    node = Node(rt, row, parent, awaiting['traversal_id'], {},
                awaiting['is_update'])
    failure = child_failure(row['name'], child, action)
    properties = final.get('properties_data', row['properties_data']) or {}
    superseded = (parent['current_traversal'] != awaiting['traversal_id']
                  or parent['failure_reason'] is not None
                  or parent['deleted_at'] is not None)
    if failure is None and not superseded and batches.remaining(awaiting):
        _next_batch(node, action, properties, awaiting, child)
        return
    child_outputs = None
    if failure is None and action != Action.DELETE:
        child_outputs = outputs.resolved(rt, child)
    plugin = node.plugin(row['type'], properties,
                         nested_outputs=child_outputs)
    if superseded:
        if failure is None and batches.remaining(awaiting):
            # Only some batches ran: the row keeps its old goal, so the
            # traversal that carries on converges the rest.
            failure, final = batches.interrupted(awaiting), {}
        locked_run.finish_superseded(node, plugin, action, failure, final)
        if (parent['failure_reason'] is not None
                and parent['current_traversal'] == awaiting['traversal_id']):
            stack_ops.settle_failure(rt, parent['id'],
                                     awaiting['traversal_id'])
        return
    if action == Action.SNAPSHOT and failure is None:
        snapshot_node.record(node, plugin, child['current_traversal'])
    ended = locked_run.finish(node, plugin, action, failure, final)
    if (action == Action.DELETE
            and ended.kind == states.NodeOutcome.DONE):
        cleanup_node.hand_over_to_replacement(node)
    check_resource.conclude(node, ended)


def _next_batch(node: Node, action: Action, properties: dict,
                awaiting: dict, child: dict) -> None:
    """A batch is done and others remain: pause, or start the next one."""
    rt, row = node.rt, node.row
    if batches.pause_due(awaiting):
        record = batches.start_pause(rt, row, awaiting)
        if record is not None:
            rt.call_later(record['pause'], wake_paused, rt, row['id'],
                          record)
        return
    final = awaiting.get('final') or {}
    plugin = node.plugin(row['type'], properties)
    try:
        batch = batches.following(node, plugin, batches.record_of(awaiting),
                                  child)
        started = nested_child.converge(node, plugin, action, final, batch)
    except exceptions.ConvergenceError as exc:
        started = nested_child.in_parent(row['name'], exc.message)
    if isinstance(started, nested_child.Handover):
        return
    check_resource.conclude(node, locked_run.finish(node, plugin, action,
                                                    started, final))


def wake_paused(rt, row_id: int, record: dict) -> bool:
    """The pause ``record`` asked for is over: the next batch starts.

    Nothing happens if the row moved on meanwhile (a newer traversal took
    it over, or another engine woke it).
    """
    loaded = rt.db.resource_and_stack(row_id)
    if loaded is None:
        return False
    awaiting = loaded[0]['awaiting']
    if batches.record_of(awaiting) != record:
        return False
    child = rt.db.stack_get(awaiting['stack_id'])
    return child is not None and wake_owner(rt, child)


def end_pauses(rt, stack_id: str) -> None:
    """The stack's traversal fails: rows pausing between batches are
    finished now (as superseded), not when their pause ends."""
    for row in batches.paused_rows(rt, stack_id):
        child = rt.db.stack_get(row['awaiting']['stack_id'])
        if child is not None:
            wake_owner(rt, child)


# The child operations whose success ends a row's awaited action well: a
# create may have become an update of the child, a restore or an adopt of
# it is the child's own, as is an in-place operation or a snapshot.
_CONVERGED = (Action.CREATE, Action.UPDATE, Action.RESTORE, Action.ADOPT)
_SUCCEEDED_BY = {Action.SUSPEND: (Action.SUSPEND,),
                 Action.RESUME: (Action.RESUME,),
                 Action.CHECK: (Action.CHECK,),
                 Action.SNAPSHOT: (Action.SNAPSHOT,)}


def child_failure(name: str, child: dict | None,
                  action: Action) -> str | None:
    """Why the child's operation did not do what ``action`` asked; None
    when it did."""
    if action == Action.DELETE:
        if child is None or child['deleted_at'] is not None:
            return None
    elif (child is not None and child['status'] == Status.COMPLETE
          and child['action'] in _SUCCEEDED_BY.get(action, _CONVERGED)):
        return None
    if child is None:
        return 'resources.%s: the nested stack is gone' % name
    reason = child['status_reason'] or '%s %s' % (child['action'],
                                                  child['status'])
    prefix = 'Resource %s failed: ' % child['action']
    if reason.startswith(prefix):
        reason = reason[len(prefix):]
    return nested_child.in_parent(name, reason)
