"""A SNAPSHOT node: record its row's resource in the traversal's snapshot.

The stack's resources stay as they are; each update node of the traversal
runs the type's ``handle_snapshot`` (if it has one) under the row lock and
records the resource's entry (its id, data, metadata...) in the snapshot
whose id is the traversal's.  A row that never got a resource has nothing
to record.  A resource whose physical resource is a child stack hands its
row to the child's own SNAPSHOT traversal (``nested.child.snapshot``);
the child's verdict resumes the node, which records the child's snapshot
id in its entry.  Cleanup nodes do nothing in a SNAPSHOT traversal
(cleanup_node).
"""

from convergence import abandon_data
from convergence import definitions
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import states
from convergence.nested import child
from convergence.worker import locked_run
from convergence.worker import outcome as outcomes
from convergence.worker.node import Node

Action, Status = states.Action, states.Status


def run(node: Node) -> outcomes.Outcome:
    """Snapshot the node's row's resource, or pass on when there is none."""
    row = node.row
    if states.never_acted(row) or states.is_deleted(row):
        return _pass_on(node)
    return locked_run.run(
        node, Action.SNAPSHOT, states.begin(Action.SNAPSHOT), row['type'],
        row['properties_data'] or {}, lambda plugin: _take(node, plugin))


def _take(node: Node, plugin):
    """Run the type's snapshot action and record the entry; the failure
    reason, None, or (a nested row) the child's handover."""
    if _child(node.rt, node.row) is not None:
        return child.snapshot(node, plugin)
    failure = rsrc_ops.run_plugin_action(plugin, Action.SNAPSHOT)
    if failure is None:
        record(node, plugin)
    return failure


def record(node: Node, plugin, child_snapshot_id: str | None = None) -> None:
    """Record the row's entry as the plugin leaves it; a nested row's
    names its child's snapshot."""
    row = node.row
    entry = abandon_data.entry(
        dict(row, physical_resource_id=plugin.context.resource_id,
             status=Status.COMPLETE), _metadata(node),
        data=dict(plugin.context.data))
    if child_snapshot_id is not None:
        entry['snapshot_id'] = child_snapshot_id
    node.rt.db.resource_snapshot_put(node.traversal_id, row['name'], entry)


def _child(rt, row: dict) -> dict | None:
    if not (row['physical_resource_id'] and resources.is_nested(row['type'])):
        return None
    return rt.db.stack_get(row['physical_resource_id'], show_deleted=False)


def _metadata(node: Node) -> dict:
    defn = node.definition.resource_definition(node.row['name'])
    try:
        return defn.resolved_metadata(
            definitions.TriggerDataResolver(node.data))
    except exceptions.ConvergenceError:
        return {}


def _pass_on(node: Node) -> outcomes.Outcome:
    """Nothing to snapshot: successors hear of the row as it stands."""
    plugin = node.plugin(node.row['type'], node.row['properties_data'] or {})
    attr_data = node.attribute_cache(plugin)
    if not node.acquire({}):
        return outcomes.WAITING
    if not node.release({}):
        return outcomes.LOST
    return outcomes.done(node.node_data(attr_data))
