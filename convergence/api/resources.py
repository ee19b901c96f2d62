"""Resource, event and action endpoints of one stack (heat-api's shapes)."""

from typing import Any

from webob import exc

from convergence.api import params as p
from convergence.api import views
from convergence.api import wsgi
from convergence.api.stacks import stack_identity

_RESOURCE_FILTERS = dict.fromkeys(
    ('type', 'status', 'name', 'action', 'id', 'physical_resource_id'),
    p.MIXED)
_RESOURCE_LIST_PARAMS = frozenset(_RESOURCE_FILTERS) | {'nested_depth',
                                                        'with_detail'}
_EVENT_PARAMS = {'limit': p.SINGLE, 'marker': p.SINGLE, 'sort_dir': p.SINGLE,
                 'sort_keys': p.MULTI, 'nested_depth': p.SINGLE}
_EVENT_FILTERS = dict.fromkeys(
    ('resource_status', 'resource_action', 'resource_name', 'resource_type'),
    p.MIXED)
_MARK_UNHEALTHY_KEYS = ('mark_unhealthy', 'resource_status_reason')


class ResourceController:
    """``/stacks/<name>/<id>/resources[/<resource>[/metadata|/signal]]``."""

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine

    def index(self, req, ctx, stack_name: str, stack_id: str) -> dict:
        invalid = set(req.GET.keys()) - _RESOURCE_LIST_PARAMS
        if invalid:
            raise exc.HTTPBadRequest('Invalid filter parameters %s'
                                     % str(sorted(invalid)))
        nested_depth = p.extract_int('nested_depth',
                                     req.GET.get('nested_depth', 0))
        with_detail = (p.extract_bool('with_detail', req.GET['with_detail'])
                       if 'with_detail' in req.GET else False)
        filters = p.get_allowed_params(req.GET, _RESOURCE_FILTERS)
        resources = self.engine.list_stack_resources(
            ctx, stack_identity(ctx, stack_name, stack_id),
            nested_depth=nested_depth, with_detail=with_detail,
            filters=filters)
        return {'resources': [views.format_resource(req, r)
                              for r in resources]}

    def show(self, req, ctx, stack_name: str, stack_id: str,
             resource_name: str) -> dict:
        with_attr = req.GET.getall('with_attr') or None
        res = self.engine.describe_stack_resource(
            ctx, stack_identity(ctx, stack_name, stack_id), resource_name,
            with_attr=with_attr)
        return {'resource': views.format_resource(req, res)}

    def metadata(self, req, ctx, stack_name: str, stack_id: str,
                 resource_name: str) -> dict:
        res = self.engine.describe_stack_resource(
            ctx, stack_identity(ctx, stack_name, stack_id), resource_name)
        return {'metadata': res.get('metadata', {})}

    def signal(self, req, ctx, stack_name: str, stack_id: str,
               resource_name: str, body=None) -> Any:
        return self.engine.resource_signal(
            ctx, stack_identity(ctx, stack_name, stack_id), resource_name,
            details=body)

    def mark_unhealthy(self, req, ctx, stack_name: str, stack_id: str,
                       resource_name: str, body=None) -> None:
        body = body or {}
        invalid = set(body) - set(_MARK_UNHEALTHY_KEYS)
        if invalid:
            raise exc.HTTPBadRequest('Invalid keys in resource mark '
                                     'unhealthy %s' % invalid)
        if 'mark_unhealthy' not in body:
            raise exc.HTTPBadRequest('Missing mandatory (mark_unhealthy) '
                                     'key from mark unhealthy request')
        self.engine.resource_mark_unhealthy(
            ctx, stack_identity(ctx, stack_name, stack_id), resource_name,
            mark_unhealthy=p.extract_bool('mark_unhealthy',
                                          body['mark_unhealthy']),
            resource_status_reason=body.get('resource_status_reason', ''))


class EventController:
    """Events of a stack, or of one of its resources (or of the stack)."""

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine

    def index(self, req, ctx, stack_name: str, stack_id: str,
              resource_name: str | None = None) -> dict:
        query = p.get_allowed_params(req.GET, _EVENT_PARAMS)
        filters = p.get_allowed_params(req.GET, _EVENT_FILTERS)
        for key in ('limit', 'nested_depth'):
            if key in query:
                query[key] = p.extract_int(key, query[key])
        if resource_name is None:
            filters = filters or None
        else:
            filters['resource_name'] = resource_name
        events = self.engine.list_events(
            ctx, stack_identity(ctx, stack_name, stack_id), filters=filters,
            **query)
        if not events and resource_name is not None:
            raise exc.HTTPNotFound('No events found for resource %s'
                                   % resource_name)
        return {'events': [views.format_event(req, e,
                                              views.EVENT_SUMMARY_KEYS)
                           for e in events]}

    def show(self, req, ctx, stack_name: str, stack_id: str,
             resource_name: str, event_id: str) -> dict:
        events = self.engine.list_events(
            ctx, stack_identity(ctx, stack_name, stack_id),
            filters={'resource_name': resource_name, 'uuid': event_id})
        if not events:
            raise exc.HTTPNotFound('No event %s found' % event_id)
        return {'event': views.format_event(req, events[0])}


class ActionController:
    """``POST .../actions`` with exactly one of the known action keys."""

    ACTIONS = ('suspend', 'resume', 'check', 'cancel_update',
               'cancel_without_rollback')

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine

    def action(self, req, ctx, stack_name: str, stack_id: str,
               body=None) -> None:
        body = body or {}
        if len(body) < 1:
            raise exc.HTTPBadRequest('No action specified')
        if len(body) > 1:
            raise exc.HTTPBadRequest('Multiple actions specified')
        action = next(iter(body))
        if action not in self.ACTIONS:
            raise exc.HTTPBadRequest('Invalid action %s specified' % action)
        wsgi.authorize(req, ctx, 'actions:%s' % action)
        identity = stack_identity(ctx, stack_name, stack_id)
        if action.startswith('cancel_'):
            self.engine.stack_cancel_update(
                ctx, identity,
                cancel_with_rollback=(action == 'cancel_update'))
        else:
            getattr(self.engine, 'stack_' + action)(ctx, identity)
