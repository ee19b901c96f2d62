"""A stack's dependency graph with each node's state, from REST views.

Pure: built from what ``GET /stacks/{name}/{id}`` and
``GET .../resources?nested_depth=N`` answer (heat-api's shapes), so the
same graph comes out of our API (``GET .../graph``) and out of the
``convergence`` CLI talking to any heat-api.

A node is one resource of one stack of the tree; an edge ``{"from": a,
"to": b}`` says a requires b (from ``required_by``, within one stack);
a nested stack's nodes sit one level below the resource owning it
(``parent``).  Each node is in one of the STATES below, relative to the
stack's current operation; ``levels`` counts them per nested level.
"""

from typing import Any, Iterable, Mapping

DONE = 'done'
IN_FLIGHT = 'in_flight'
WAITING = 'waiting'
FAILED = 'failed'
# The order the figures are shown in, everywhere.
STATES = (DONE, IN_FLIGHT, WAITING, FAILED)
# Fill colours (graphviz and the live page use the same names).
STATE_COLOURS = {DONE: '#8fd18f', IN_FLIGHT: '#f5d76e', WAITING: '#d9d9d9',
                 FAILED: '#f08080'}


def split_status(joined: str) -> tuple[str, str]:
    """``'CREATE_IN_PROGRESS'`` -> ``('CREATE', 'IN_PROGRESS')``."""
    for status in ('IN_PROGRESS', 'COMPLETE', 'FAILED'):
        if joined.endswith('_' + status):
            return joined[:-len(status) - 1], status
    return '', joined


def operation(stack: Mapping[str, Any]) -> dict:
    """What a node's state is judged against: the stack's action, whether
    it is still running, and when it started (Heat's ``updated_time`` of
    an update, ``creation_time`` of a create; ISO times compare as text)."""
    action, status = split_status(stack.get('stack_status') or '')
    started = stack.get('updated_time') or stack.get('creation_time') or ''
    return {'action': action, 'running': status == 'IN_PROGRESS',
            'started': started}


def node_state(joined_status: str, touched: str | None,
               op: Mapping[str, Any]) -> str:
    """One of STATES for a resource shown as ``joined_status`` and last
    changed at ``touched`` (ISO time), during or after operation ``op``.

    A FAILED row failed; an IN_PROGRESS one is in flight; one never acted
    on (INIT) waits.  While the operation runs, a COMPLETE row waits unless
    the operation reached it: a delete has deleted it, any other action has
    touched it since the operation started.  Once the stack is done, every
    COMPLETE row is done.
    """
    action, status = split_status(joined_status)
    if status == 'FAILED':
        return FAILED
    if status == 'IN_PROGRESS':
        return IN_FLIGHT
    if action == 'INIT':
        return WAITING
    if not op['running']:
        return DONE
    if op['action'] == 'DELETE':
        return DONE if action == 'DELETE' else WAITING
    return DONE if (touched or '') >= op['started'] else WAITING


def _link_id(resource: Mapping[str, Any], rel: str) -> str | None:
    """The stack id ending the ``rel`` link's href, if there is one."""
    for link in resource.get('links') or ():
        if link.get('rel') == rel:
            return link['href'].rstrip('/').rsplit('/', 1)[-1]
    return None


def node_id(stack_id: str, name: str) -> str:
    return '%s/%s' % (stack_id, name)


def _node(resource: Mapping[str, Any], stack_id: str, level: int,
          parent: str | None, op: Mapping[str, Any]) -> dict:
    touched = resource.get('updated_time') or resource.get('creation_time')
    status = resource.get('resource_status') or ''
    return {
        'id': node_id(stack_id, resource['resource_name']),
        'name': resource['resource_name'], 'stack_id': stack_id,
        'level': level, 'parent': parent,
        'type': resource.get('resource_type'), 'status': status,
        'status_reason': resource.get('resource_status_reason') or '',
        'state': node_state(status, touched, op),
        'nested_stack_id': _link_id(resource, 'nested'),
        'updated_time': touched,
    }


def _placed(top_id: str, resources: Iterable[Mapping[str, Any]]) -> list:
    """(resource, its stack id, level, parent node id) for every row; a
    nested stack's rows come after the row that owns it (Heat's order)."""
    owner_of: dict[str, tuple[str, int]] = {}   # child stack -> (node, level)
    placed = []
    for resource in resources:
        stack_id = _link_id(resource, 'stack') or top_id
        parent, level = owner_of.get(stack_id, (None, 0))
        placed.append((resource, stack_id, level, parent))
        child = _link_id(resource, 'nested')
        if child:
            owner_of[child] = (node_id(stack_id, resource['resource_name']),
                               level + 1)
    return placed


def _edges(placed: list) -> list[dict]:
    edges = []
    for resource, stack_id, _, _ in placed:
        for requirer in resource.get('required_by') or ():
            edges.append({'from': node_id(stack_id, requirer),
                          'to': node_id(stack_id, resource['resource_name'])})
    return sorted(edges, key=lambda e: (e['from'], e['to']))


def level_counts(nodes: Iterable[Mapping[str, Any]]) -> list[dict]:
    """Per nested level (0 is the stack itself), how many nodes are in
    each of STATES."""
    levels: dict[int, dict] = {}
    for node in nodes:
        counts = levels.setdefault(node['level'], dict.fromkeys(STATES, 0))
        counts[node['state']] += 1
    return [dict(level=level, **levels[level]) for level in sorted(levels)]


def build(stack: Mapping[str, Any],
          resources: Iterable[Mapping[str, Any]]) -> dict:
    """The graph of ``stack`` (a REST stack view) from its resource list
    (nested levels included).  ``progress`` is the engine's own figure
    when the stack view has one (ours; heat-api's has not)."""
    op = operation(stack)
    placed = _placed(stack['id'], resources)
    nodes = [_node(r, sid, level, parent, op)
             for r, sid, level, parent in placed]
    known = {n['id'] for n in nodes}
    return {
        'stack': {'id': stack['id'], 'name': stack['stack_name'],
                  'status': stack.get('stack_status'),
                  'status_reason': stack.get('stack_status_reason') or '',
                  'operation': op},
        'progress': stack.get('progress'),
        'levels': level_counts(nodes),
        'nodes': nodes,
        # an edge to a row the list does not show (none in practice) would
        # point nowhere; drawing it would invent a node
        'edges': [e for e in _edges(placed)
                  if e['from'] in known and e['to'] in known],
    }
