"""Planning a traversal: which row embodies each resource, and the graph.

Pure: rows come in as dicts, the graph goes out as a ``Graph`` of ``Node``.
A node is ``(row id, is_update)``: the update node converges the row to the
goal template (create, update or replace); the cleanup node deletes the row
unless it belongs to the goal template.
"""

from collections import namedtuple

from convergence import states
from convergence.graph import Graph
from convergence.sync_point.rules import needs_sync_point

Node = namedtuple('Node', 'rsrc_id is_update')


def node_key(node: Node) -> str:
    """The stable string form of a node, as sync points store senders."""
    return '%d:%s' % (node.rsrc_id, 'u' if node.is_update else 'c')


def cleanup_first(nodes) -> list[Node]:
    """Cleanup nodes before update nodes: free quota before taking more."""
    return sorted(nodes, key=lambda n: (n.is_update, n.rsrc_id))


def row_score(row: dict, goal_template_id: int,
              current_template_id: int | None) -> tuple:
    """How good a candidate row is to become a name's update node.

    Healthy beats failed beats half-deleted; a row already at the goal
    template (a rollback target) beats the current version, which beats an
    older one; ties go to the most recently touched row.
    """
    score = 0
    if row['status'] == states.Status.FAILED:
        score -= 30
    if row['action'] == states.Action.DELETE:
        score -= 50
    if row['replaced_by'] is not None:
        score -= 1
    if row['current_template_id'] == current_template_id:
        score += 5
    if row['current_template_id'] == goal_template_id:
        score += 10
    touched = row['updated_at'] or row['created_at']
    return (score, touched, row['id'])


def choose_rows(names: list[str], active_rows: list[dict],
                goal_template_id: int,
                current_template_id: int | None) -> dict[str, dict]:
    """The best existing row for each template name that has one."""
    by_name: dict[str, list[dict]] = {}
    for row in active_rows:
        by_name.setdefault(row['name'], []).append(row)
    chosen = {}
    for name in names:
        candidates = by_name.get(name)
        if candidates:
            chosen[name] = max(candidates, key=lambda r: row_score(
                r, goal_template_id, current_template_id))
    return chosen


def build_graph(template_deps: dict[str, set[str]], chosen_ids: dict[str, int],
                active_rows: list[dict]) -> Graph:
    """The traversal graph from the goal template and the rows as they are.

    Update edges mirror the template.  Every active row gets a cleanup node
    that waits for the cleanup of every row that required it (so rows are
    deleted in reverse dependency order), for its replacement's cleanup, and
    for its own update when it has one.
    """
    graph = Graph()
    for name, requires in template_deps.items():
        node = Node(chosen_ids[name], True)
        graph.add_node(node)
        for required in requires:
            graph.add_edge(node, Node(chosen_ids[required], True))
    active_ids = {row['id'] for row in active_rows}
    for row in active_rows:
        cleanup = Node(row['id'], False)
        graph.add_node(cleanup)
        for required_id in row['requires'] or ():
            if required_id in active_ids:
                graph.add_edge(Node(required_id, False), cleanup)
        if row['replaces'] in active_ids:
            graph.add_edge(Node(row['replaces'], False), cleanup)
        if Node(row['id'], True) in graph:
            graph.add_edge(cleanup, Node(row['id'], True))
    return graph


def graph_to_json(graph: Graph) -> dict:
    return {'edges': [[list(a), list(b) if b is not None else None]
                      for a, b in graph.edges()]}


def graph_from_json(doc: dict) -> Graph:
    return Graph((Node(*a), Node(*b) if b is not None else None)
                 for a, b in doc['edges'])


def joins(graph: Graph) -> list[tuple[Node, int]]:
    """Nodes that wait for more than one predecessor: they need a sync point."""
    return [(n, len(graph.requires(n))) for n in graph
            if needs_sync_point(len(graph.requires(n)))]
