"""A SNAPSHOT node: record its row's resource in the traversal's snapshot.

The stack's resources stay as they are; each update node of the traversal
runs the type's ``handle_snapshot`` (if it has one) under the row lock and
records the resource's entry (its id, data, metadata...) in the snapshot
whose id is the traversal's.  A row that never got a resource has nothing
to record.  A resource whose physical resource is a child stack records
the child as its abandon data shows it.  Cleanup nodes do nothing in a
SNAPSHOT traversal (cleanup_node).
"""

from convergence import abandon_data
from convergence import definitions
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import states
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


def _take(node: Node, plugin) -> str | None:
    """Run the type's snapshot action and record the entry; the failure
    reason, or None."""
    row, rt = node.row, node.rt
    child = _child(rt, row)
    if child is not None:
        entry = abandon_data.of_stack(rt, child)
    else:
        failure = rsrc_ops.run_plugin_action(plugin, Action.SNAPSHOT)
        if failure is not None:
            return failure
        entry = abandon_data.entry(
            dict(row, physical_resource_id=plugin.context.resource_id,
                 status=Status.COMPLETE), _metadata(node),
            data=dict(plugin.context.data))
    rt.db.resource_snapshot_put(node.traversal_id, row['name'], entry)
    return None


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
