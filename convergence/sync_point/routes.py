"""Where a finished node's completion goes: successors, joins, the stack.

Pure.  A successor with this node as its only predecessor is triggered
directly, carrying this node's data; a successor at a join gets a report
instead, and only the report that completes the join triggers it, with
every predecessor's data.  A root of the graph (nothing follows it) reports
to the stack's own sync point, whose completion is the traversal's.
"""

# Annotations stay unevaluated: traversal imports sync_point.rules, so this
# module may load while traversal is still half-initialised.
from __future__ import annotations

import typing

from convergence import traversal as plan
from convergence.sync_point.rules import needs_sync_point, trigger_data


class Report(typing.NamedTuple):
    """One predecessor's report to one join (a tuple, as db/ stores it)."""

    entity_id: str      # the join's node's resource id, or the stack id
    is_update: bool
    data: object        # the sender's NodeData for an update join, or None


class Routes(typing.NamedTuple):
    """A finished node's successors and the reports it owes to joins."""

    sender: str | None                  # the node's key, as joins record it
    successors: tuple[plan.Node, ...]   # cleanup nodes first
    joined: frozenset[plan.Node]        # the successors that wait at a join
    reports: tuple[Report, ...]         # to those joins, and at a root the stack's
    stack_report: Report | None         # the report to the stack's sync point
    node_data: dict | None              # what update successors learn


# Without a graph (not stored yet, or the node not in it) there is nowhere to
# report to.
NOWHERE = Routes(None, (), frozenset(), (), None, None)


def graph_node(graph, rsrc_id: int, replaces: int | None,
               is_update: bool) -> plan.Node | None:
    """The node of ``graph`` a row acts for, or None if the graph has none.

    A replacement impersonates the row it replaces: everybody works from
    the graph as it was when the traversal started.
    """
    key = plan.Node(rsrc_id, is_update)
    if key not in graph and replaces is not None:
        key = plan.Node(replaces, is_update)
    return key if key in graph else None


def routes(graph, node: plan.Node, stack_id: str,
           node_data: dict | None) -> Routes:
    """The routes of ``node`` of ``graph`` finishing with ``node_data``."""
    successors = tuple(plan.cleanup_first(graph.required_by(node)))
    joined = frozenset(s for s in successors
                       if needs_sync_point(len(graph.requires(s))))
    reports = [Report(str(s.rsrc_id), s.is_update, _payload(s, node_data))
               for s in successors if s in joined]
    stack_report = None
    if not successors:
        stack_report = Report(stack_id, True, None)
        reports.append(stack_report)
    return Routes(plan.node_key(node), successors, joined, tuple(reports),
                  stack_report, node_data)


def triggers(routes: Routes, completed: dict
             ) -> list[tuple[plan.Node, dict]]:
    """The (successor, trigger data) to send, given the joins completed.

    ``completed`` maps (entity_id, is_update) to the inputs the completing
    reporter read: a join this node did not complete is someone else's to
    trigger.
    """
    sent = []
    for successor in routes.successors:
        if successor in routes.joined:
            inputs = completed.get((str(successor.rsrc_id),
                                    successor.is_update))
            if inputs is None:
                continue
        else:
            inputs = {routes.sender: _payload(successor, routes.node_data)}
        sent.append((successor, trigger_data(inputs, successor.is_update)))
    return sent


def stack_completed(routes: Routes, completed: dict) -> bool:
    """This node's report was the last the stack's sync point waited for."""
    report = routes.stack_report
    return report is not None and (report.entity_id,
                                   report.is_update) in completed


def _payload(successor: plan.Node, node_data: dict | None) -> dict | None:
    return node_data if successor.is_update else None
