"""A finished node tells its successors, and at a root the stack.

The join protocol is ``sync_point``'s; this module finds the node in the
traversal's graph and sends what the protocol says to send.
"""

import logging

from convergence import stack as stack_ops
from convergence import sync_point
from convergence.worker import graph_cache
from convergence.worker import outcome as outcomes
from convergence.worker.node import Node

LOG = logging.getLogger(__name__)


def routes(node: Node, node_data: dict | None) -> sync_point.Routes:
    """Where ``node``'s completion goes, from the traversal's graph."""
    graph = graph_cache.get(node.rt, node.stack)
    if graph is None:
        return sync_point.NOWHERE
    key = sync_point.graph_node(graph, node.row['id'], node.row['replaces'],
                                node.is_update)
    if key is None:
        LOG.warning('node %s:%s not in the graph of traversal %s',
                    node.row['id'], node.is_update, node.traversal_id)
        return sync_point.NOWHERE
    return sync_point.routes(graph, key, node.stack_id, node_data)


def release_and_report(node: Node, values: dict,
                       node_data: dict) -> outcomes.Outcome:
    """Release the row with ``values`` and report, in one transaction."""
    found = routes(node, node_data)
    completed = sync_point.release_and_report(
        node.rt.db, node.lock, node.row, values, node.stack_id,
        node.traversal_id, found)
    if completed is None:
        return outcomes.LOST
    return outcomes.done(node_data, found, completed)


def stamp_and_report(node: Node, values: dict,
                     node_data: dict) -> outcomes.Outcome | None:
    """Write ``values`` to the free row and report, as if the node had
    locked and released it, in one statement and transaction; None when
    that cannot be (the row is locked, or changed since it was read): the
    node then locks and releases as usual."""
    if node.row['engine_id'] is not None:
        return None
    found = routes(node, node_data)
    completed = sync_point.stamp_and_report(
        node.rt.db, node.lock, node.row, node.traversal_id, values,
        node.stack_id, found)
    if completed is None:
        return None
    return outcomes.done(node_data, found, completed)


def propagate(node: Node, done: outcomes.Outcome) -> None:
    """Trigger the successors ``done`` lets go and, at the end, the stack.

    Joins (and the stack's sync point) hear of it in one transaction,
    usually the one that released the row (``release_and_report``); a
    successor with this node as its only predecessor gets its trigger
    directly.
    """
    found, completed = done.routes, done.completed
    if found is None:
        found = routes(node, done.node_data)
        completed = sync_point.report(node.rt.db, node.stack_id,
                                      node.traversal_id, found)
    for successor, data in sync_point.triggers(found, completed):
        node.rt.messenger.cast_check_resource(
            successor.rsrc_id, node.traversal_id, data, successor.is_update)
    if sync_point.stack_completed(found, completed):
        stack_ops.complete(node.rt, node.stack_id, node.traversal_id,
                           node.stack)
