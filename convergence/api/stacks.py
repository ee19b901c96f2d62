"""The stack endpoints: list, create, lookup, show, update, delete, preview.

Each handler takes ``(req, ctx, **route values)`` and returns a JSON-able
body (200) or a webob response/exception; see convergence.api.app for the
routes.  Argument names and conversions follow heat-api's StackController.
"""

from typing import Any
from urllib import parse

from webob import exc

from convergence.api import params as p
from convergence.api import views
from convergence.api.stack_data import StackData
from convergence.api import wsgi
from convergence.api.wsgi import json_response

ARN_PREFIX = 'arn:openstack:heat::'

_LIST_PARAMS = {
    'limit': p.SINGLE, 'marker': p.SINGLE, 'sort_dir': p.SINGLE,
    'sort_keys': p.MULTI, 'show_deleted': p.SINGLE, 'show_nested': p.SINGLE,
    'show_hidden': p.SINGLE, 'tags': p.SINGLE, 'tags_any': p.SINGLE,
    'not_tags': p.SINGLE, 'not_tags_any': p.SINGLE,
}
_LIST_FILTERS = dict.fromkeys((
    'stack_name', 'stack_action', 'stack_status', 'stack_status_reason',
    'disable_rollback', 'timeout_mins', 'stack_owner', 'parent',
    'stack_user_project_id',
    # older names heat-api still accepts
    'id', 'status', 'name', 'action', 'tenant', 'username', 'owner_id'),
    p.MIXED)
_BOOL_LIST_PARAMS = ('show_deleted', 'show_nested', 'show_hidden')
_TAG_PARAMS = ('tags', 'tags_any', 'not_tags', 'not_tags_any')


def stack_identity(ctx, stack_name: str, stack_id: str) -> dict:
    """The identity the engine expects for ``/stacks/<name>/<id>``."""
    return {'tenant': ctx.project_id, 'stack_name': stack_name,
            'stack_id': stack_id, 'path': ''}


def parse_arn(arn: str) -> dict | None:
    """``arn:openstack:heat::<tenant>:stacks/<name>/<id>[path]`` → identity."""
    if not arn.startswith(ARN_PREFIX):
        return None
    tenant, _, rest = arn[len(ARN_PREFIX):].partition(':')
    parts = rest.split('/', 3)
    if len(parts) < 3 or parts[0] != 'stacks':
        return None
    path = '/' + parts[3] if len(parts) > 3 else ''
    return {'tenant': parse.unquote(tenant),
            'stack_name': parse.unquote(parts[1]),
            'stack_id': parse.unquote(parts[2]), 'path': path}


class StackController:
    """Stack endpoints over an EngineClient."""

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine
        self.options = options

    def _data(self, body, patch: bool = False) -> StackData:
        return StackData(body, patch, self.options['max_template_size'])

    # --- collection ---

    def index(self, req, ctx) -> dict:
        query = p.get_allowed_params(req.GET, _LIST_PARAMS)
        filters = p.get_allowed_params(req.GET, _LIST_FILTERS) or None
        for name in _BOOL_LIST_PARAMS:
            if name in query:
                query[name] = p.extract_bool(name, query[name])
        if 'limit' in query:
            query['limit'] = p.extract_int('limit', query['limit'])
        for name in _TAG_PARAMS:
            if name in query:
                query[name] = p.extract_tags(query[name])
        if 'global_tenant' in req.GET and p.extract_bool(
                'global_tenant', req.GET['global_tenant']):
            wsgi.refuse_every_project(req, ctx, 'stacks:global_index',
                                      'stacks')
        stacks = self.engine.list_stacks(ctx, filters=filters, **query)
        count = None
        if req.GET.get('with_count') and p.extract_bool(
                'with_count', req.GET['with_count']):
            count_args = {k: v for k, v in query.items()
                          if k in _BOOL_LIST_PARAMS + _TAG_PARAMS}
            count = self.engine.count_stacks(ctx, filters=filters,
                                             **count_args)
        return views.stack_collection(req, stacks, count, ctx.is_admin)

    def detail(self, req, ctx) -> dict:
        stacks = self.engine.list_stacks(ctx)
        return {'stacks': [views.format_stack(req, s) for s in stacks]}

    def create(self, req, ctx, body=None):
        data = self._data(body)
        name, args = data.stack_name(), data.args()
        identity = self.engine.create_stack(
            ctx, stack_name=name, args=args, **data.engine_kwargs())
        stack = views.format_stack(req, {'stack_identity': identity})
        resp = json_response({'stack': stack}, 201)
        resp.location = stack['links'][0]['href']
        return resp

    def preview(self, req, ctx, body=None) -> dict:
        data = self._data(body)
        name, args = data.stack_name(), data.args()
        result = self.engine.preview_stack(
            ctx, stack_name=name, args=args, **data.engine_kwargs())
        return {'stack': views.format_stack(req, result)}

    # --- one stack ---

    def lookup(self, req, ctx, stack_name: str, path: str = '', body=None):
        """302 to the canonical ``/stacks/<name>/<id>[/path][?query]``."""
        identity = parse_arn(parse.unquote(stack_name))
        if identity is None:
            identity = self.engine.identify_stack(ctx, stack_name)
        location = views.identity_url(req, identity)
        if path:
            location = '%s/%s' % (location, path)
        if req.query_string:
            location += '?' + parse.urlencode(list(req.GET.items()))
        return exc.HTTPFound(location=location)

    def show(self, req, ctx, stack_name: str, stack_id: str) -> dict:
        resolve = True
        if 'resolve_outputs' in req.GET:
            resolve = p.extract_bool('resolve_outputs',
                                     req.GET['resolve_outputs'])
        stacks = self.engine.show_stack(
            ctx, stack_identity(ctx, stack_name, stack_id),
            resolve_outputs=resolve)
        if not stacks:
            raise exc.HTTPInternalServerError()
        return {'stack': views.format_stack(req, stacks[0])}

    def update(self, req, ctx, stack_name: str, stack_id: str, body=None,
               patch: bool = False):
        data = self._data(body, patch)
        args = data.args(is_update=True)
        self.engine.update_stack(
            ctx, stack_identity(ctx, stack_name, stack_id), args=args,
            **data.engine_kwargs())
        return exc.HTTPAccepted()

    def update_patch(self, req, ctx, stack_name: str, stack_id: str,
                     body=None):
        return self.update(req, ctx, stack_name, stack_id, body, patch=True)

    def preview_update(self, req, ctx, stack_name: str, stack_id: str,
                       body=None, patch: bool = False) -> dict:
        data = self._data(body, patch)
        args = data.args(is_update=True)
        if 'show_nested' in req.GET:
            args['show_nested'] = p.extract_bool('show_nested',
                                                 req.GET['show_nested'])
        changes = self.engine.preview_update_stack(
            ctx, stack_identity(ctx, stack_name, stack_id), args=args,
            **data.engine_kwargs())
        return {'resource_changes': changes}

    def preview_update_patch(self, req, ctx, stack_name: str, stack_id: str,
                             body=None) -> dict:
        return self.preview_update(req, ctx, stack_name, stack_id, body,
                                   patch=True)

    def delete(self, req, ctx, stack_name: str, stack_id: str):
        self.engine.delete_stack(ctx,
                                 stack_identity(ctx, stack_name, stack_id))
        return exc.HTTPNoContent()

    def abandon(self, req, ctx, stack_name: str, stack_id: str) -> Any:
        return self.engine.abandon_stack(
            ctx, stack_identity(ctx, stack_name, stack_id))

    def export(self, req, ctx, stack_name: str, stack_id: str) -> Any:
        return self.engine.export_stack(
            ctx, stack_identity(ctx, stack_name, stack_id))

    # --- snapshots ---

    def snapshot(self, req, ctx, stack_name: str, stack_id: str,
                 body=None) -> Any:
        name = body.get('name') if isinstance(body, dict) else None
        return self.engine.stack_snapshot(
            ctx, stack_identity(ctx, stack_name, stack_id), name)

    def list_snapshots(self, req, ctx, stack_name: str,
                       stack_id: str) -> dict:
        return {'snapshots': self.engine.stack_list_snapshots(
            ctx, stack_identity(ctx, stack_name, stack_id))}

    def show_snapshot(self, req, ctx, stack_name: str, stack_id: str,
                      snapshot_id: str) -> dict:
        return {'snapshot': self.engine.show_snapshot(
            ctx, stack_identity(ctx, stack_name, stack_id), snapshot_id)}

    def delete_snapshot(self, req, ctx, stack_name: str, stack_id: str,
                        snapshot_id: str):
        self.engine.delete_snapshot(
            ctx, stack_identity(ctx, stack_name, stack_id), snapshot_id)
        return exc.HTTPNoContent()

    def restore_snapshot(self, req, ctx, stack_name: str, stack_id: str,
                         snapshot_id: str, body=None):
        self.engine.stack_restore(
            ctx, stack_identity(ctx, stack_name, stack_id), snapshot_id)
        return exc.HTTPAccepted()

    # --- stored inputs and outputs ---

    def template(self, req, ctx, stack_name: str, stack_id: str) -> dict:
        return self.engine.get_template(
            ctx, stack_identity(ctx, stack_name, stack_id))

    def environment(self, req, ctx, stack_name: str, stack_id: str) -> dict:
        return self.engine.get_environment(
            ctx, stack_identity(ctx, stack_name, stack_id))

    def files(self, req, ctx, stack_name: str, stack_id: str) -> dict:
        return self.engine.get_files(
            ctx, stack_identity(ctx, stack_name, stack_id))

    def list_outputs(self, req, ctx, stack_name: str, stack_id: str) -> dict:
        return {'outputs': self.engine.list_outputs(
            ctx, stack_identity(ctx, stack_name, stack_id))}

    def show_output(self, req, ctx, stack_name: str, stack_id: str,
                    output_key: str) -> dict:
        return {'output': self.engine.show_output(
            ctx, stack_identity(ctx, stack_name, stack_id), output_key)}
