"""A dependency graph: nodes, "requires" edges, leaves, roots, cycles.

An edge ``(a, b)`` means *a requires b*: b must finish before a may start.
Nodes are any hashable values (resource names for a template, ``Node``
tuples for a traversal).  Pure: no I/O.
"""

from collections.abc import Hashable, Iterable

from convergence import exceptions


class Graph:
    """Adjacency in both directions, built once and then only read."""

    def __init__(self, edges: Iterable[tuple[Hashable, Hashable | None]] = ()):
        self._requires: dict = {}
        self._required_by: dict = {}
        for requirer, required in edges:
            self.add_edge(requirer, required)

    def add_node(self, node) -> None:
        self._requires.setdefault(node, set())
        self._required_by.setdefault(node, set())

    def add_edge(self, requirer, required) -> None:
        """Add ``requirer -> required``; a ``None`` required adds a lone node."""
        self.add_node(requirer)
        if required is None:
            return
        self.add_node(required)
        self._requires[requirer].add(required)
        self._required_by[required].add(requirer)

    def __contains__(self, node) -> bool:
        return node in self._requires

    def __iter__(self):
        return iter(self._requires)

    def __len__(self) -> int:
        return len(self._requires)

    def requires(self, node) -> set:
        """The nodes ``node`` waits for (its predecessors)."""
        return self._requires[node]

    def required_by(self, node) -> set:
        """The nodes that wait for ``node`` (its successors)."""
        return self._required_by[node]

    def leaves(self) -> list:
        """Nodes that require nothing: where a traversal starts."""
        return [n for n, reqs in self._requires.items() if not reqs]

    def roots(self) -> list:
        """Nodes nothing requires: where a traversal ends."""
        return [n for n, deps in self._required_by.items() if not deps]

    def edges(self) -> list[tuple]:
        """Every edge, with ``(node, None)`` for nodes that have no edge."""
        out = []
        for node, reqs in self._requires.items():
            if reqs:
                out.extend((node, r) for r in reqs)
            elif not self._required_by[node]:
                out.append((node, None))
        return out

    def topological_order(self) -> list:
        """Nodes with every node after all it requires (Kahn, O(N+E)).

        Raises CircularDependencyException naming one cycle.
        """
        pending = {n: len(r) for n, r in self._requires.items()}
        ready = [n for n, count in pending.items() if count == 0]
        order = []
        while ready:
            node = ready.pop()
            order.append(node)
            for successor in self._required_by[node]:
                pending[successor] -= 1
                if pending[successor] == 0:
                    ready.append(successor)
        if len(order) != len(self._requires):
            raise exceptions.CircularDependencyException(
                cycle=format_cycle(self.find_cycle()))
        return order

    def find_cycle(self) -> list | None:
        """One cycle as ``[a, b, ..., a]`` (a requires b ...), or None."""
        state: dict = {}
        for start in self._requires:
            if start in state:
                continue
            stack = [(start, iter(sorted(self._requires[start], key=repr)))]
            path = [start]
            state[start] = 'open'
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 'done'
                    stack.pop()
                    path.pop()
                    continue
                if state.get(child) == 'open':
                    return path[path.index(child):] + [child]
                if child not in state:
                    state[child] = 'open'
                    path.append(child)
                    stack.append(
                        (child, iter(sorted(self._requires[child], key=repr))))
        return None


def format_cycle(cycle: list | None) -> str:
    """Render a cycle the way users read it: ``a -> b -> a``."""
    if not cycle:
        return 'unknown'
    return ' -> '.join(str(n) for n in cycle)
