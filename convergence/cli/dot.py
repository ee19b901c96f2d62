"""A stack graph (``convergence.stack_graph``) as graphviz dot text.

Written here, so ``--format dot`` works without graphviz installed; svg
and png pipe this text through graphviz's ``dot``.  An arrow points from
a resource to what it requires (as Terraform draws); a nested stack is a
cluster under the resource owning it.
"""

import json
from typing import Mapping

from convergence import stack_graph


def _quote(text: str) -> str:
    # JSON's string escaping is dot's: backslash and double quote
    return json.dumps(text, ensure_ascii=False)


def _node_line(node: Mapping) -> str:
    # two lines: dot's \n between the two escaped texts
    label = '"%s\\n%s"' % (_quote(node['name'])[1:-1],
                           _quote(node['status'])[1:-1])
    tooltip = node['type'] or ''
    if node['state'] == stack_graph.FAILED and node['status_reason']:
        tooltip += ': ' + node['status_reason']
    return '%s [label=%s, fillcolor=%s, tooltip=%s];' % (
        _quote(node['id']), label,
        _quote(stack_graph.STATE_COLOURS[node['state']]), _quote(tooltip))


def _stack_body(stack_id: str, nodes_of: Mapping[str, list],
                children_of: Mapping[str, list], indent: str) -> list[str]:
    lines = []
    for node in nodes_of.get(stack_id, ()):
        lines.append(indent + _node_line(node))
        for child in children_of.get(node['id'], ()):
            lines.append('%ssubgraph %s {' % (
                indent, _quote('cluster_' + child)))
            lines.append('%s  label=%s; style=dashed;' % (
                indent, _quote(node['name'] + ' (nested)')))
            lines.extend(_stack_body(child, nodes_of, children_of,
                                     indent + '  '))
            lines.append(indent + '}')
    return lines


def to_dot(graph: Mapping) -> str:
    nodes_of: dict[str, list] = {}
    children_of: dict[str, list] = {}
    for node in graph['nodes']:
        nodes_of.setdefault(node['stack_id'], []).append(node)
        if node['nested_stack_id']:
            children_of.setdefault(node['id'], []).append(
                node['nested_stack_id'])
    stack = graph['stack']
    lines = ['digraph %s {' % _quote(stack['name']),
             '  label=%s; labelloc=t; rankdir=RL;' % _quote(
                 '%s %s' % (stack['name'], stack['status'])),
             '  node [shape=box, style="rounded,filled", fontsize=10];']
    lines.extend(_stack_body(stack['id'], nodes_of, children_of, '  '))
    for edge in graph['edges']:
        lines.append('  %s -> %s;' % (_quote(edge['from']),
                                      _quote(edge['to'])))
    lines.append('}')
    return '\n'.join(lines) + '\n'
