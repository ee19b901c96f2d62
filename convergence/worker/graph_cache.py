"""Each process parses a traversal's graph once, not once per node; the
process that stores a graph caches it as it stores it.

Nodes of a traversal start together, so a miss takes a per-traversal lock:
the first node loads and parses the graph, the others wait and reuse it.
"""

import collections
import threading

from convergence import traversal as plan

_SIZE = 64
_lock = threading.Lock()
_graphs: collections.OrderedDict = collections.OrderedDict()
_loading: dict = {}


def get(rt, stack: dict):
    """The graph of the stack's current traversal, or None if not stored yet."""
    key = (stack['id'], stack['current_traversal'])
    graph = _cached(key)
    if graph is not None:
        return graph
    with _lock:
        loader = _loading.setdefault(key, threading.Lock())
    with loader:
        graph = _cached(key)
        if graph is None:
            graph = _load(rt, stack, key)
    with _lock:
        _loading.pop(key, None)
    return graph


def _cached(key):
    with _lock:
        graph = _graphs.get(key)
        if graph is not None:
            _graphs.move_to_end(key)
        return graph


def remember(stack_id: str, traversal_id: str, graph) -> None:
    """Cache the graph this process has just stored for the traversal."""
    _put((stack_id, traversal_id), graph)


def _load(rt, stack: dict, key):
    doc = rt.db.stack_deps(stack['id'])
    if doc is None or doc.get('traversal') != stack['current_traversal']:
        return None
    graph = plan.graph_from_json(doc)
    _put(key, graph)
    return graph


def _put(key, graph) -> None:
    with _lock:
        _graphs[key] = graph
        _graphs.move_to_end(key)
        while len(_graphs) > _SIZE:
            _graphs.popitem(last=False)
