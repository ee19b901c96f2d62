"""Each process parses a traversal's graph once, not once per node."""

import collections
import threading

from convergence import traversal as plan

_SIZE = 64
_lock = threading.Lock()
_graphs: collections.OrderedDict = collections.OrderedDict()


def get(rt, stack: dict):
    """The graph of the stack's current traversal, or None if not stored yet."""
    key = (stack['id'], stack['current_traversal'])
    with _lock:
        graph = _graphs.get(key)
        if graph is not None:
            _graphs.move_to_end(key)
            return graph
    doc = rt.db.stack_deps(stack['id'])
    if doc is None or doc.get('traversal') != stack['current_traversal']:
        return None
    graph = plan.graph_from_json(doc)
    with _lock:
        _graphs[key] = graph
        while len(_graphs) > _SIZE:
            _graphs.popitem(last=False)
    return graph
