"""Engine results as heat-api shows them: ids, links, joined statuses.

The engine returns Heat's RPC shapes (docs/engine-rpc.md); these functions
turn them into the REST bodies: ``*_identity`` becomes ``id`` plus ``links``
built from the request's host, ``<x>_action`` + ``<x>_status`` become one
``<ACTION>_<STATUS>`` string, engine-only keys are dropped.
"""

from typing import Any, Iterable, Mapping
from urllib import parse

import webob

API_PREFIX = '/v1'

# Keys of a stack in a list (heat-api's stacks_view.basic_keys).
STACK_SUMMARY_KEYS = frozenset((
    'stack_identity', 'stack_name', 'description', 'stack_status',
    'stack_status_reason', 'creation_time', 'deletion_time', 'updated_time',
    'stack_owner', 'parent', 'stack_user_project_id', 'tags'))
EVENT_SUMMARY_KEYS = frozenset((
    'event_identity', 'event_time', 'resource_name', 'resource_status',
    'resource_status_reason', 'physical_resource_id'))
_RESOURCE_HIDDEN = frozenset((
    'stack_name', 'stack_identity', 'resource_action', 'nested_stack_id',
    'metadata'))
_EVENT_HIDDEN = frozenset(('stack_identity', 'stack_name', 'resource_action'))


# --- urls ---

def api_url(req: webob.Request) -> str:
    """``http://<Host>/<script>/v1``: the base every link starts from."""
    return req.host_url + req.script_name + API_PREFIX


def _segment(text: str) -> str:
    """``text`` quoted as one path segment; ``.`` and ``..`` (names stored
    before names were checked) too, which clients would otherwise resolve
    as "this" and "parent" directories."""
    if text in ('.', '..'):
        return text.replace('.', '%2E')
    return parse.quote(text, '')


def identity_path(identity: Mapping[str, str]) -> str:
    """``<tenant>/stacks/<name>/<id><path>``, URL-quoted as Heat does."""
    return '%s/stacks/%s/%s%s' % (
        _segment(identity['tenant']),
        _segment(identity['stack_name']),
        _segment(identity['stack_id']),
        parse.quote(identity.get('path') or ''))


def identity_url(req: webob.Request, identity: Mapping[str, str]) -> str:
    return '%s/%s' % (api_url(req), identity_path(identity))


def link(req: webob.Request, identity: Mapping[str, str],
         rel: str = 'self') -> dict:
    return {'href': identity_url(req, identity), 'rel': rel}


def _parent_path(path: str, levels: int) -> str:
    return '/'.join(path.split('/')[:-levels]) if levels else path


def _with_path(identity: Mapping[str, str], path: str) -> dict:
    return dict(identity, path=path)


# --- stacks ---

def format_stack(req: webob.Request, stack: Mapping[str, Any],
                 keys: Iterable[str] | None = None,
                 include_project: bool = False) -> dict:
    """One stack; ``keys`` limits it to a list view's keys."""
    keys = frozenset(keys) if keys else None
    view = {}
    for key, value in stack.items():
        if keys is not None and key not in keys:
            continue
        if key == 'stack_identity':
            view['id'] = value['stack_id']
            view['links'] = [link(req, value)]
            if include_project:
                view['project'] = value['tenant']
        elif key == 'stack_action':
            continue
        elif key == 'stack_status' and 'stack_action' in stack:
            view[key] = '%s_%s' % (stack['stack_action'], value)
        else:
            view[key] = value
    return view


def next_link(req: webob.Request, marker: str) -> str:
    params = req.GET.copy()
    params['marker'] = marker
    return '%s?%s' % (req.path_url, parse.urlencode(list(params.items())))


def stack_collection(req: webob.Request, stacks: list, count: int | None,
                     include_project: bool) -> dict:
    """The ``GET /stacks`` body, with a ``next`` link when a page is full."""
    items = [format_stack(req, s, STACK_SUMMARY_KEYS, include_project)
             for s in stacks]
    result: dict[str, Any] = {'stacks': items}
    try:
        limit = int(req.GET.get('limit') or 0)
    except ValueError:
        limit = 0
    if items and limit > 0 and limit == len(items):
        result['links'] = [{'rel': 'next',
                            'href': next_link(req, items[-1]['id'])}]
    if count is not None:
        result['count'] = count
    return result


# --- resources ---

def format_resource(req: webob.Request, res: Mapping[str, Any]) -> dict:
    """One resource: ``links`` (self, stack, nested), joined status."""
    view = {}
    for key, value in res.items():
        if key == 'resource_identity':
            view['links'] = _resource_links(req, value, res)
        elif key in _RESOURCE_HIDDEN:
            continue
        elif key == 'resource_status' and 'resource_action' in res:
            view[key] = '%s_%s' % (res['resource_action'], value)
        elif key == 'resource_name':
            view['logical_resource_id'] = value
            view[key] = value
        else:
            view[key] = value
    return view


def _resource_links(req, identity, res) -> list[dict]:
    stack = _with_path(identity, _parent_path(identity['path'], 2))
    links = [link(req, identity), link(req, stack, 'stack')]
    if res.get('nested_stack_id'):
        links.append(link(req, res['nested_stack_id'], 'nested'))
    return links


# --- events ---

def format_event(req: webob.Request, event: Mapping[str, Any],
                 keys: Iterable[str] | None = None) -> dict:
    """One event; ``keys`` limits it to the summary keys of a list."""
    keys = frozenset(keys) if keys else None
    view = {}
    for key, value in event.items():
        if keys is not None and key not in keys:
            continue
        if key == 'event_identity':
            view['id'] = value['path'].rsplit('/', 1)[-1]
            view['links'] = _event_links(req, value)
        elif key in _EVENT_HIDDEN:
            continue
        elif key == 'resource_status' and 'resource_action' in event:
            view[key] = '%s_%s' % (event['resource_action'], value)
        elif key == 'resource_name':
            view['logical_resource_id'] = value
            view[key] = value
        else:
            view[key] = value
    if event.get('root_stack_id'):
        view['links'].append(link(req, event['root_stack_id'], 'root_stack'))
    return view


def _event_links(req, identity) -> list[dict]:
    resource = _with_path(identity, _parent_path(identity['path'], 2))
    stack = _with_path(identity, _parent_path(identity['path'], 4))
    return [link(req, identity), link(req, resource, 'resource'),
            link(req, stack, 'stack')]
