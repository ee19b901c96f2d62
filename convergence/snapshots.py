"""Stack snapshots: taken by a SNAPSHOT traversal, restored by a RESTORE one.

A snapshot's id is the id of the traversal that takes it (as in Heat), so
each SNAPSHOT node knows where to record its resource's entry
(``resource_snapshot``) and a traversal resumed after an engine died
records into the same snapshot.  The traversal's verdict completes (or
fails) the snapshot with the stack's abandon data and every entry.  A
restore is an update to the snapshot's template and environment whose
goal template remembers the snapshot: a node that creates a resource anew
brings it back from its entry (the type's ``handle_restore``).
"""

import uuid

from convergence import abandon_data
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import stack as stack_ops
from convergence import states
from convergence.resources import clock as clocks

Action, Status = states.Action, states.Status
# A snapshot's own action: being taken, or being deleted.
CREATE, DELETE = 'CREATE', 'DELETE'


def take(rt, stack: dict, name: str | None) -> dict:
    """Start a snapshot of ``stack``; returns its row.

    Raises:
        ActionInProgress: the stack is IN_PROGRESS (Heat's refusal), or
            another operation started meanwhile.
    """
    if stack['status'] == Status.IN_PROGRESS:
        raise exceptions.ActionInProgress(stack_name=stack['name'],
                                          action=stack['action'])
    snapshot_id = str(uuid.uuid4())
    rt.db.snapshot_create({
        'id': snapshot_id, 'stack_id': stack['id'],
        'tenant': stack['tenant'], 'name': name, 'action': CREATE,
        'status': Status.IN_PROGRESS, 'status_reason': '',
        'data': abandon_data.of_stack(rt, stack, with_resources=False)})
    # Only from the operation just seen: a snapshot never supersedes one.
    started = stack_ops.start(rt, stack, Action.SNAPSHOT,
                              stack['raw_template_id'],
                              {'current_traversal': snapshot_id},
                              only_from=stack['current_traversal'])
    if started is None:
        rt.db.snapshot_delete(snapshot_id)
        fresh = rt.db.stack_get(stack['id']) or stack
        raise exceptions.ActionInProgress(stack_name=stack['name'],
                                          action=fresh['action'])
    return rt.db.snapshot_get(snapshot_id)


def finish(rt, stack: dict, snapshot_id: str, status: str,
           reason: str) -> None:
    """The SNAPSHOT traversal ``snapshot_id`` ended: store what it took."""
    data = abandon_data.of_stack(rt, stack, with_resources=False)
    data['resources'] = rt.db.resource_snapshots(snapshot_id)
    data['status'] = status
    rt.db.snapshot_update(snapshot_id, {'data': data, 'status': status,
                                        'status_reason': reason},
                          expected={'action': CREATE,
                                    'status': Status.IN_PROGRESS})


def superseded(rt, snapshot_id: str, action: str) -> None:
    """Another operation took over the stack while it was snapshotting."""
    rt.db.snapshot_update(
        snapshot_id, {'status': Status.FAILED,
                      'status_reason': 'Stack SNAPSHOT superseded by %s'
                                       % action},
        expected={'action': CREATE, 'status': Status.IN_PROGRESS})


def get(rt, stack: dict, snapshot_id: str) -> dict:
    """The snapshot ``snapshot_id`` of ``stack``.

    Raises:
        NotFound: there is no such snapshot (Heat's two messages: none at
            all, or one of another stack).
    """
    snapshot = rt.db.snapshot_get(snapshot_id)
    if snapshot is None:
        raise exceptions.NotFound(
            message='Snapshot with id %s not found' % snapshot_id)
    if snapshot['stack_id'] != stack['id']:
        raise exceptions.SnapshotNotFound(snapshot=snapshot_id,
                                          stack=stack['name'])
    return snapshot


def delete(rt, stack: dict, snapshot: dict) -> None:
    """Delete ``snapshot``: each resource type's ``handle_delete_snapshot``
    removes what its snapshot made, then the rows go.

    Raises:
        NotSupported: the snapshot is still being taken (Heat's refusal).
    """
    if snapshot['action'] == CREATE and (
            snapshot['status'] == Status.IN_PROGRESS):
        raise exceptions.NotSupported(feature='Deleting in-progress snapshot')
    _delete(rt, stack, snapshot)


def delete_all(rt, stack: dict) -> None:
    """A deleted stack's snapshots go with it."""
    for snapshot in rt.db.snapshots_of_stack(stack['id']):
        _delete(rt, stack, snapshot)


def _delete(rt, stack: dict, snapshot: dict) -> None:
    rt.db.snapshot_update(snapshot['id'], {
        'action': DELETE, 'status': Status.IN_PROGRESS,
        'status_reason': 'Snapshot delete started'})
    entries = ((snapshot['data'] or {}).get('resources') or {}).items()
    for name, entry in entries:
        failure = _delete_resource_snapshot(rt, stack, name, entry)
        if failure is not None:
            rt.db.snapshot_update(snapshot['id'], {
                'status': Status.FAILED, 'status_reason': failure})
            return
    rt.db.snapshot_delete(snapshot['id'])


def _delete_resource_snapshot(rt, stack: dict, name: str,
                              entry: dict) -> str | None:
    """Run the type's ``handle_delete_snapshot``; the failure, or None."""
    if not isinstance(entry, dict) or 'type' not in entry:
        return None
    if entry.get('snapshot_id'):
        return _delete_child_snapshot(rt, entry)
    row = {'name': name, 'uuid': name, 'rsrc_data': entry.get(
        'resource_data') or {}, 'physical_resource_id': entry.get(
        'resource_id')}
    try:
        plugin = rsrc_ops.make_plugin(row, stack, entry['type'], {},
                                      clocks.WallClock(), clouds=rt.clouds)
    except exceptions.ConvergenceError:
        return None  # the type is gone: nothing can act on its snapshot
    hook = getattr(plugin, 'handle_delete_snapshot', None)
    if hook is None:
        return None
    try:
        hook(entry)
    except Exception as exc:
        return 'Resource snapshot DELETE failed: %s: %s' % (
            type(exc).__name__, exc)
    return None


def _delete_child_snapshot(rt, entry: dict) -> str | None:
    """A nested stack resource's entry: its child's snapshot goes too."""
    child = rt.db.stack_get(entry.get('resource_id') or '')
    snapshot = rt.db.snapshot_get(entry['snapshot_id'])
    if child is not None and snapshot is not None:
        _delete(rt, child, snapshot)
        left = rt.db.snapshot_get(entry['snapshot_id'])
        if left is not None:
            return left['status_reason']
    return None


def restore(rt, stack: dict, snapshot: dict, goal) -> str:
    """Converge ``stack`` to ``snapshot``; ``goal`` stores the snapshot's
    template (validated) and returns its id.

    Raises:
        NotSupported: the snapshot is not COMPLETE (Heat's refusal).
    """
    if snapshot['status'] != Status.COMPLETE or snapshot['action'] != CREATE:
        raise exceptions.NotSupported(feature='Restoring incomplete snapshot')
    return stack_ops.start(rt, stack, Action.RESTORE, goal(snapshot['data']))


def restored_entry(rt, node) -> dict | None:
    """A RESTORE node's resource entry in the snapshot it restores."""
    if node.stack['action'] != Action.RESTORE:
        return None
    stored = rt.db.raw_template_get(node.goal_template_id)
    snapshot_id = stored and stored['snapshot_id']
    if snapshot_id is None:
        return None
    snapshot = rt.db.snapshot_get(snapshot_id)
    if snapshot is None:
        return None
    return ((snapshot['data'] or {}).get('resources') or {}).get(
        node.row['name'])
