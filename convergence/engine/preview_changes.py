"""The five lists of an update's preview, as Heat's ``StackUpdate.preview``
sorts a stack's resources (pure).

A name only the goal has is added, one only the stack has is deleted; one
both have is decided by the caller (``decide``): replaced, updated in
place, unchanged, or added (its row never got a resource, so the update
creates it).  Names are decided in the goal's dependency order, each after
everything it requires, and ``decide`` is told which of those get a new
physical resource (added or replaced): a property that reads one of them
will read a new value, whatever the stored one was.  Heat's preview
compares every reference as if nothing existed yet, so an unchanged
resource that reads another shows as updated or replaced.
"""

from typing import Callable, Iterable, Mapping, Sequence

from convergence import graph as graph_mod

CHANGES = (ADDED, DELETED, REPLACED, UPDATED, UNCHANGED) = (
    'added', 'deleted', 'replaced', 'updated', 'unchanged')
# What ``decide`` may answer for a name both the stack and the goal have.
DECIDED = frozenset((ADDED, REPLACED, UPDATED, UNCHANGED))
# Verdicts after which a resource has a new physical resource.
RENEWING = frozenset((ADDED, REPLACED))

Decide = Callable[[str, frozenset], str]


def classify(current: Iterable[str], goal: Sequence[str],
             requires: Mapping[str, Iterable[str]],
             decide: Decide) -> dict[str, list[str]]:
    """``{change: [names]}`` for every change in ``CHANGES``.

    Parameters:
        current: the names the stack has now, in the order to list the
            deleted ones.
        goal: the goal's names, in the order to list the others.
        requires: goal name -> the goal names it requires.
        decide: ``decide(name, renewed)`` for a name in both, where
            ``renewed`` holds the names it requires that get a new
            physical resource; one of ``DECIDED``.

    Raises:
        CircularDependencyException: the goal's requirements loop.
        ValueError: ``decide`` answered something else.
    """
    present = set(current)
    verdicts: dict[str, str] = {}
    renewed: set[str] = set()
    for name in _dependency_order(goal, requires):
        verdict = ADDED if name not in present else decide(
            name, frozenset(r for r in requires.get(name, ())
                            if r in renewed))
        if verdict not in DECIDED:
            raise ValueError('%r is no preview verdict for %s'
                             % (verdict, name))
        if verdict in RENEWING:
            renewed.add(name)
        verdicts[name] = verdict
    changes = {change: [] for change in CHANGES}
    for name in goal:
        changes[verdicts[name]].append(name)
    wanted = set(goal)
    changes[DELETED] = [n for n in _unique(current) if n not in wanted]
    return changes


def _dependency_order(goal: Sequence[str],
                      requires: Mapping[str, Iterable[str]]) -> list[str]:
    wanted = set(goal)
    graph = graph_mod.Graph()
    for name in goal:
        graph.add_node(name)
        for required in requires.get(name, ()):
            if required in wanted:
                graph.add_edge(name, required)
    return graph.topological_order()


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))
