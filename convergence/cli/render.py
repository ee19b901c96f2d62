"""What the CLI prints, as pure functions of the graph and the answers."""

import difflib
from typing import Iterable, Mapping

import yaml

from convergence import stack_graph

BAR_WIDTH = 30
# One character per state in the bar, in stack_graph.STATES order.
BAR_CHARS = {stack_graph.DONE: '#', stack_graph.IN_FLIGHT: '>',
             stack_graph.WAITING: '.', stack_graph.FAILED: '!'}
LABELS = {stack_graph.DONE: 'done', stack_graph.IN_FLIGHT: 'in flight',
          stack_graph.WAITING: 'waiting', stack_graph.FAILED: 'failed'}
# How Heat shows a hidden parameter's value.
HIDDEN = '******'
# Preview sections: (key of resource_changes, mark), in print order.
CHANGE_MARKS = (('added', '+'), ('replaced', '-/+'), ('updated', '~'),
                ('deleted', '-'))


def bar(counts: Mapping[str, int], width: int = BAR_WIDTH) -> str:
    """``[###>>.....] 3 done, 2 in flight, 5 waiting, 0 failed``: each
    state's share of ``width`` characters (rounded, summing to width)."""
    total = sum(counts[s] for s in stack_graph.STATES)
    cells, shown, used = [], 0, 0
    for state in stack_graph.STATES:
        shown += counts[state]
        end = round(width * shown / total) if total else 0
        cells.append(BAR_CHARS[state] * (end - used))
        used = end
    figures = ', '.join('%d %s' % (counts[s], LABELS[s])
                        for s in stack_graph.STATES)
    return '[%s] %s' % (''.join(cells).ljust(width, ' '), figures)


def level_bars(graph: Mapping) -> list[str]:
    """One bar per nested level, then the whole tree's when it has
    several levels."""
    lines = ['level %d %s' % (c['level'], bar(c)) for c in graph['levels']]
    if len(graph['levels']) > 1:
        total = {s: sum(c[s] for c in graph['levels'])
                 for s in stack_graph.STATES}
        lines.append('total   %s' % bar(total))
    return lines


def node_label(node: Mapping, nodes_by_id: Mapping[str, Mapping]) -> str:
    """``parent.child.name``: the resource with the resources owning its
    nested stack."""
    names = [node['name']]
    parent = node.get('parent')
    while parent and parent in nodes_by_id:
        names.append(nodes_by_id[parent]['name'])
        parent = nodes_by_id[parent].get('parent')
    return '.'.join(reversed(names))


def _seen(node: Mapping) -> tuple:
    # the time too: a replacement (a new row) or a repeat may end in the
    # status its predecessor had
    return node['status'], node['updated_time']


def changes(before: Mapping | None, after: Mapping) -> list[tuple]:
    """The nodes of graph ``after`` whose status (or its time) differs from
    ``before``'s (when ``before`` is None, those in flight or failed: what
    a watch begun midway has to know): (label, status, reason)."""
    by_id = {n['id']: n for n in after['nodes']}
    if before is None:
        shown = [n for n in after['nodes'] if n['state'] in (
            stack_graph.IN_FLIGHT, stack_graph.FAILED)]
    else:
        seen = {n['id']: _seen(n) for n in before['nodes']}
        shown = [n for n in after['nodes']
                 if seen.get(n['id']) != _seen(n)]
    return [(node_label(n, by_id), n['status'], n['status_reason'])
            for n in shown]


def change_line(elapsed: float, label: str, status: str,
                reason: str) -> str:
    """``[   3.2s] vm.config: CREATE_COMPLETE``; a failure gives its
    reason."""
    line = '[%6.1fs] %s: %s' % (elapsed, label, status)
    if status.endswith('_FAILED') and reason:
        line += ' - ' + reason
    return line


def succeeded(status: str) -> bool:
    """Whether a stack's final status is the operation having worked: a
    rollback is the operation having failed."""
    return status.endswith('_COMPLETE') and not status.startswith('ROLLBACK')


def failures(graph: Mapping) -> list[str]:
    by_id = {n['id']: n for n in graph['nodes']}
    return ['  %s: %s%s' % (node_label(n, by_id), n['status'],
                            ' - ' + n['status_reason']
                            if n['status_reason'] else '')
            for n in graph['nodes'] if n['state'] == stack_graph.FAILED]


def summary(graph: Mapping, seconds: float | None) -> list[str]:
    """The closing lines: status and how long the watch took (None: the
    operation had ended before it began), counts, failures."""
    stack = graph['stack']
    lines = ['%s %s %s' % (stack['name'], stack['status'],
                           'after %.1fs' % seconds if seconds is not None
                           else '(no operation in progress)')]
    total = {s: sum(c[s] for c in graph['levels'])
             for s in stack_graph.STATES}
    lines.append('%d resources: %s' % (
        sum(total.values()),
        ', '.join('%d %s' % (total[s], LABELS[s])
                  for s in stack_graph.STATES)))
    if not succeeded(stack['status'] or ''):
        if stack['status_reason']:
            lines.append('reason: ' + stack['status_reason'])
        failed = failures(graph)
        if failed:
            lines.append('failed resources:')
            lines.extend(failed)
    return lines


def parameter_changes(current: Mapping[str, str],
                      given: Mapping[str, str]) -> list[str]:
    """``~ parameter key: old -> new`` for each given parameter whose value
    differs from the stack's.  A hidden parameter (the stack shows
    ``******``) is listed as given, its new value not printed either."""
    lines = []
    for key, value in sorted(given.items()):
        old = current.get(key, '(unset)')
        if old == HIDDEN:
            lines.append('~ parameter %s: %s (hidden)' % (key, HIDDEN))
        elif old != value:
            lines.append('~ parameter %s: %s -> %s' % (key, old, value))
    return lines


def _definition_lines(template: Mapping | None, name: str) -> list[str]:
    definition = ((template or {}).get('resources') or {}).get(name)
    if definition is None:
        return []
    return yaml.safe_dump({name: definition}, default_flow_style=False,
                          sort_keys=True).splitlines()


def preview(changes_: Mapping[str, Iterable[Mapping]], old: Mapping | None,
            new: Mapping | None) -> list[str]:
    """The preview of an update (``resource_changes``) as a diff: one line
    per resource added, replaced, updated or deleted, each updated or
    replaced one followed by the diff of its definition, old template to
    new; then how many are unchanged."""
    lines = []
    for key, mark in CHANGE_MARKS:
        for change in changes_.get(key) or ():
            name = change['resource_name']
            lines.append('%s %s (%s)' % (mark, name,
                                         change.get('resource_type', '')))
            if key in ('updated', 'replaced'):
                lines.extend('    ' + line for line in difflib.unified_diff(
                    _definition_lines(old, name),
                    _definition_lines(new, name), 'current', 'new',
                    lineterm='', n=1))
    unchanged = len(changes_.get('unchanged') or ())
    if not lines:
        lines.append('no resource changes')
    lines.append('%d unchanged' % unchanged)
    return lines
