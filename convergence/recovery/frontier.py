"""Where a stalled traversal stands, read off its graph and its rows.

Pure.  A node is *done* when its row shows it converged in this traversal;
the *frontier* is the nodes that are not done although every node they
wait for is: exactly the nodes whose trigger was lost.  Rows come in by id
and include DELETE_COMPLETE ones (a replaced row points at its replacement
until the traversal ends).
"""

import dataclasses
import datetime

from convergence import definitions
from convergence import states
from convergence import traversal as plan


@dataclasses.dataclass
class Standing:
    """What a traversal still needs: triggers to re-send, or a verdict."""

    ready: list            # Node: every predecessor done, itself not
    failed: list           # (Node, row): failed in this traversal, no verdict
    unfinished: int        # nodes not done (ready ones included)

    @property
    def all_done(self) -> bool:
        return self.unfinished == 0


def embodiment(rsrc_id: int, rows: dict[int, dict]) -> dict | None:
    """The row that now stands for a graph node's row: its last replacement."""
    row = rows.get(rsrc_id)
    seen = set()
    while row is not None and row['replaced_by'] is not None:
        if row['id'] in seen or row['replaced_by'] not in rows:
            break
        seen.add(row['id'])
        row = rows[row['replaced_by']]
    return row


def node_done(node: plan.Node, rows: dict[int, dict], goal_template_id: int,
              started_at: datetime.datetime) -> bool:
    """Whether the rows show ``node`` finished in the traversal that started
    at ``started_at`` towards ``goal_template_id``."""
    if not node.is_update:
        return states.cleanup_done(rows.get(node.rsrc_id), goal_template_id)
    row = embodiment(node.rsrc_id, rows)
    return (states.update_converged(row, goal_template_id)
            and _touched_since(row, started_at))


def in_place_node_done(graph, node: plan.Node, rows: dict[int, dict],
                       action: states.Action,
                       started_at: datetime.datetime) -> bool:
    """The same for a suspend, resume or check: the node that only passes
    the word on counts as done, as does a suspend's cleanup node of a row
    the stack no longer stands on (it has no update node); the acting one
    when its row shows the action ended (``states.in_place_done``)."""
    if node.is_update != states.acts_in_update_node(action):
        return True
    if not node.is_update and plan.Node(node.rsrc_id, True) not in graph:
        return True
    return states.in_place_done(rows.get(node.rsrc_id), action, started_at)


def failed_here(node: plan.Node, rows: dict[int, dict], goal_template_id: int,
                started_at: datetime.datetime) -> dict | None:
    """The row, if ``node`` failed in this traversal (its verdict was lost)."""
    row = (embodiment(node.rsrc_id, rows) if node.is_update
           else rows.get(node.rsrc_id))
    if (row is not None and row['engine_id'] is None
            and row['status'] == states.Status.FAILED and _touched_since(row, started_at)
            and (not node.is_update
                 or row['current_template_id'] == goal_template_id)):
        return row
    return None


def standing(graph, rows: dict[int, dict], goal_template_id: int,
             started_at: datetime.datetime,
             stack_action: str | None = None) -> Standing:
    """The traversal's frontier, its unreported failures, what remains."""
    if stack_action in states.IN_PLACE_ACTIONS:
        action = states.Action(stack_action)
        done = {node for node in graph if in_place_node_done(
            graph, node, rows, action, started_at)}
    else:
        done = {node for node in graph
                if node_done(node, rows, goal_template_id, started_at)}
    ready, failed = [], []
    for node in plan.cleanup_first(set(graph) - done):
        if not graph.requires(node) <= done:
            continue
        row = failed_here(node, rows, goal_template_id, started_at)
        if row is not None:
            failed.append((node, row))
        else:
            ready.append(node)
    return Standing(ready, failed, len(graph) - len(done))


def trigger(graph, node: plan.Node, rows: dict[int, dict]) -> tuple[int, dict]:
    """The (resource id, data) of ``node``'s trigger, rebuilt from the rows.

    An update node gets its predecessors' data from their attribute caches,
    as their reports would have carried it; a replaced row's trigger goes to
    its replacement, which carries on for it.
    """
    target = node.rsrc_id
    if not node.is_update:
        return target, {}
    row = embodiment(node.rsrc_id, rows)
    if row is not None:
        target = row['id']
    data = {}
    for predecessor in graph.requires(node):
        if not predecessor.is_update:
            continue
        source = embodiment(predecessor.rsrc_id, rows)
        if source is not None and source.get('attr_data'):
            data[source['name']] = definitions.stored_node_data(source)
    return target, data


def _touched_since(row: dict, started_at: datetime.datetime) -> bool:
    touched = row['updated_at'] or row['created_at']
    return touched is not None and touched >= started_at
