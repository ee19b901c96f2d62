"""Abandon: the stack goes, its resources stay.

The stack's traversal is swapped for one that never runs (any message of
the old one is stale from then on), actions in flight are cancelled, and
the stack turns DELETE_COMPLETE with its rows marked deleted and purged:
no resource is deleted.  Its nested stacks go the same way; its snapshots
are removed without deleting what they saved.
"""

import uuid

from convergence import stack as stack_ops
from convergence import states
from db.api import utcnow

Action, Status = states.Action, states.Status


def abandon(rt, stack: dict) -> None:
    """Remove ``stack`` (and its nested stacks), keeping every resource."""
    traversal_id = str(uuid.uuid4())
    previous = stack['current_traversal']
    values = {'current_traversal': traversal_id, 'action': Action.DELETE,
              'status': Status.COMPLETE,
              'status_reason': 'Stack DELETE completed successfully',
              'failure_reason': None, 'current_deps': None,
              'deleted_at': utcnow(), 'updated_at': utcnow()}
    # Before the stack reads as deleted: its trust goes first (as a
    # delete's, convergence/stack.py).
    stack_ops.delete_creds(rt, stack)
    if not rt.db.stack_cas(stack['id'], previous, values):
        fresh = rt.db.stack_get(stack['id'], show_deleted=False)
        if fresh is None:
            return
        return abandon(rt, fresh)
    rt.events.stack_event(dict(stack, **values), Action.DELETE,
                          Status.IN_PROGRESS, 'Stack DELETE started')
    stack_ops.stop_in_flight(rt, stack['id'], traversal_id)
    if previous:
        rt.db.sync_points_delete(stack['id'], previous)
    for child in rt.db.stack_list(None, filters={'owner_id': stack['id']}):
        abandon(rt, child)
    _forget_rows(rt, stack['id'])
    for snapshot in rt.db.snapshots_of_stack(stack['id']):
        rt.db.snapshot_delete(snapshot['id'])
    stack.update(values)
    rt.events.stack_event(stack, Action.DELETE, Status.COMPLETE,
                          values['status_reason'])
    rt.definitions.forget(rt.db.raw_templates_delete_unused(stack['id']))


# Passes over the rows: a row written between the read and its swap (a
# worker releasing it) is marked on the next one.
_FORGET_PASSES = 5


def _forget_rows(rt, stack_id: str) -> None:
    """Every row marked deleted (unlocked: a worker still acting finds its
    lock gone and reports nothing), then purged."""
    for _ in range(_FORGET_PASSES):
        rows = rt.db.resources_of_stack(stack_id)
        if not rows:
            break
        for row in rows:
            rt.db.resource_cas(
                row['id'], {'atomic_key': row['atomic_key']},
                dict(states.deleted(), engine_id=None, awaiting=None,
                     pending_trigger=None, atomic_key=row['atomic_key'] + 1))
    rt.db.resources_purge_deleted(stack_id)
