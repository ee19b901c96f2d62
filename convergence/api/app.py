"""The Heat orchestration API v1 as a WSGI app: the route table.

``make_app(engine_client, conf)`` needs nothing but an object with
EngineClient's methods (docs/engine-rpc.md); no paste.  ``v1_filter``
(api/auth.py's Keystone middleware) wraps the ``/v1`` routes only: the
versions document at ``/`` needs no token, as heat-api's, nor do the
agents' URLs under ``/agent/v1`` (api/agent.py), whose token is in the
URL.
The table below is heat-api's (heat/api/openstack/v1/__init__.py): the
order matters, the lookup routes come before ``/stacks/{name}/{id}``.
"""

from typing import Any, Callable

import routes
import webob
import webob.dec

from convergence.api import agent
from convergence.api import catalog
from convergence.api import graph
from convergence.api import resources
from convergence.api import software_configs
from convergence.api import stacks
from convergence.api import wsgi

DEFAULT_MAX_JSON_BODY_SIZE = 1048576
DEFAULT_MAX_TEMPLATE_SIZE = 524288

T = '/v1/{tenant_id}'
# A name may be empty here: a stack stored under "" before names were
# checked can still be reached by its id.
S = T + '/stacks/{stack_name:[^/]*}/{stack_id}'
R = S + '/resources/{resource_name}'
SC = T + '/software_configs'
SD = T + '/software_deployments'
_LOOKUP_GET = ('resources|events|template|actions|environment|files|graph|'
               'live')
_LOOKUP_POST = 'resources|events|template|actions'
_ANY = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

# (methods, path, controller, action, takes a JSON body)
ROUTES = [
    ('POST', T + '/validate', 'catalog', 'validate_template', True),
    ('GET', T + '/resource_types', 'catalog', 'list_resource_types', False),
    ('GET', T + '/resource_types/{type_name}', 'catalog', 'resource_schema',
     False),
    ('GET', T + '/resource_types/{type_name}/template', 'catalog',
     'generate_template', False),
    ('GET', T + '/template_versions', 'catalog', 'list_template_versions',
     False),
    ('GET', T + '/template_versions/{template_version}/functions', 'catalog',
     'list_template_functions', False),
    ('GET', T + '/build_info', 'catalog', 'build_info', False),
    ('GET', T + '/services', 'catalog', 'list_services', False),
    ('GET', T + '/stacks', 'stacks', 'index', False),
    ('POST', T + '/stacks', 'stacks', 'create', True),
    ('POST', T + '/stacks/preview', 'stacks', 'preview', True),
    ('GET', T + '/stacks/detail', 'stacks', 'detail', False),
    (_ANY, T + '/stacks/{stack_name}', 'stacks', 'lookup', True),
    # An ARN as is; quoted whole (one path segment: quoted and followed by
    # "/<id>" it is the name of a stack stored before names were checked);
    # or with only its colons quoted and its slashes kept, as
    # python-heatclient sends the ARN a nested stack's get_resource gives,
    # with whatever path follows.
    (_ANY, T + r'/stacks/{stack_name:arn(\x3A.*|%3[aA][^/]*|'
     r'(%3[aA][^/%]*)+/.*)}', 'stacks', 'lookup', True),
    ('GET', T + '/stacks/{stack_name}/{path:%s}' % _LOOKUP_GET, 'stacks',
     'lookup', False),
    ('POST', T + '/stacks/{stack_name}/{path:%s}' % _LOOKUP_POST, 'stacks',
     'lookup', True),
    ('GET', S, 'stacks', 'show', False),
    ('GET', S + '/template', 'stacks', 'template', False),
    ('GET', S + '/environment', 'stacks', 'environment', False),
    ('GET', S + '/files', 'stacks', 'files', False),
    ('PUT', S, 'stacks', 'update', True),
    ('PATCH', S, 'stacks', 'update_patch', True),
    ('PUT', S + '/preview', 'stacks', 'preview_update', True),
    ('PATCH', S + '/preview', 'stacks', 'preview_update_patch', True),
    ('DELETE', S, 'stacks', 'delete', False),
    ('DELETE', S + '/abandon', 'stacks', 'abandon', False),
    ('GET', S + '/export', 'stacks', 'export', False),
    ('POST', S + '/snapshots', 'stacks', 'snapshot', True),
    ('GET', S + '/snapshots', 'stacks', 'list_snapshots', False),
    ('GET', S + '/snapshots/{snapshot_id}', 'stacks', 'show_snapshot',
     False),
    ('DELETE', S + '/snapshots/{snapshot_id}', 'stacks', 'delete_snapshot',
     False),
    ('POST', S + '/snapshots/{snapshot_id}/restore', 'stacks',
     'restore_snapshot', True),
    ('GET', S + '/outputs', 'stacks', 'list_outputs', False),
    # ours, not heat-api's: the dependency graph and a live page of it
    ('GET', S + '/graph', 'graph', 'graph', False),
    ('GET', S + '/live', 'graph', 'live', False),
    ('GET', S + '/outputs/{output_key}', 'stacks', 'show_output', False),
    ('GET', S + '/resources', 'resources', 'index', False),
    ('GET', R, 'resources', 'show', False),
    ('GET', R + '/metadata', 'resources', 'metadata', False),
    ('POST', R + '/signal', 'resources', 'signal', True),
    ('PATCH', R, 'resources', 'mark_unhealthy', True),
    ('GET', S + '/events', 'events', 'index', False),
    ('GET', R + '/events', 'events', 'index', False),
    ('GET', R + '/events/{event_id}', 'events', 'show', False),
    ('POST', S + '/actions', 'actions', 'action', True),
    ('GET', SC, 'software_configs', 'index', False),
    ('POST', SC, 'software_configs', 'create_config', True),
    ('GET', SC + '/{config_id}', 'software_configs', 'show', False),
    ('DELETE', SC + '/{config_id}', 'software_configs', 'delete_config',
     False),
    ('GET', SD, 'software_deployments', 'index', False),
    ('GET', SD + '/metadata/{server_id}', 'software_deployments',
     'metadata', False),
    ('POST', SD, 'software_deployments', 'create_deployment', True),
    ('GET', SD + '/{deployment_id}', 'software_deployments', 'show', False),
    ('PUT', SD + '/{deployment_id}', 'software_deployments',
     'update_deployment', True),
    ('DELETE', SD + '/{deployment_id}', 'software_deployments',
     'delete_deployment', False),
]

# controller -> heat-api's REQUEST_SCOPE: a route's policy rule is
# "<scope>:<action>" (api/policy.py), but for those in RULE_EXCEPTIONS.
POLICY_SCOPES = {
    'stacks': 'stacks',
    'catalog': 'stacks',
    'resources': 'resource',
    'events': 'events',
    'software_configs': 'software_configs',
    'software_deployments': 'software_deployments',
}
RULE_EXCEPTIONS = {
    ('catalog', 'build_info'): 'build_info:build_info',
    ('catalog', 'list_services'): 'service:index',
    # actions:<the body's action>, enforced by the controller.
    ('actions', 'action'): None,
    # ours: the graph and the live page read what a stack show reads.
    ('graph', 'graph'): 'stacks:show',
    ('graph', 'live'): 'stacks:show',
    ('software_configs', 'create_config'): 'software_configs:create',
    ('software_configs', 'delete_config'): 'software_configs:delete',
    ('software_deployments', 'create_deployment'):
        'software_deployments:create',
    ('software_deployments', 'update_deployment'):
        'software_deployments:update',
    ('software_deployments', 'delete_deployment'):
        'software_deployments:delete',
}

CONTROLLERS = {
    'stacks': stacks.StackController,
    'resources': resources.ResourceController,
    'events': resources.EventController,
    'actions': resources.ActionController,
    'catalog': catalog.CatalogController,
    'graph': graph.GraphController,
    'software_configs': software_configs.SoftwareConfigController,
    'software_deployments': software_configs.SoftwareDeploymentController,
}


def _options(conf: Any) -> dict:
    """The limits the API enforces, from ``conf`` or Heat's defaults."""
    return {
        'max_json_body_size': getattr(conf, 'max_json_body_size', None)
        or DEFAULT_MAX_JSON_BODY_SIZE,
        'max_template_size': getattr(conf, 'max_template_size', None)
        or DEFAULT_MAX_TEMPLATE_SIZE,
    }


def _routes(engine_client: Any, options: dict) -> tuple:
    """A routes.Mapper plus, per route name, (handler, takes a body)."""
    controllers = {name: cls(engine_client, options)
                   for name, cls in CONTROLLERS.items()}
    mapper = routes.Mapper()
    handlers = {}
    for index, (methods, path, controller, action, body) in enumerate(ROUTES):
        name = 'r%d' % index
        if isinstance(methods, str):
            methods = [methods]
        mapper.connect(name, path, conditions={'method': methods})
        handlers[name] = (getattr(controllers[controller], action), body,
                          policy_rule(controller, action))
    mapper.create_regs()  # now, not lazily inside concurrent requests
    return mapper, handlers


def policy_rule(controller: str, action: str) -> str | None:
    """The policy rule a route is checked against (heat-api's name)."""
    if (controller, action) in RULE_EXCEPTIONS:
        return RULE_EXCEPTIONS[(controller, action)]
    return '%s:%s' % (POLICY_SCOPES[controller], action)


class VersionsApp:
    """``GET /`` (and anything outside ``/v1``): 300 with the versions."""

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        body = {'versions': [{
            'id': 'v1.0', 'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': req.host_url + '/v1/'}]}]}
        return wsgi.json_response(body, 300)


class APIApp:
    """Sends ``/v1/...`` to the router, ``/agent/v1/...`` to the agents'
    URLs (outside ``v1_filter``: their token is the credential) and
    everything else to versions."""

    def __init__(self, router: Callable, agents: Callable) -> None:
        self.router = router
        self.agents = agents
        self.versions = VersionsApp()

    def __call__(self, environ: dict, start_response):
        path = environ.get('PATH_INFO', '')
        if path.startswith('/v1/'):
            app = self.router
        elif agent.is_agent_path(path):
            app = self.agents
        else:
            app = self.versions
        return app(environ, start_response)


def make_app(engine_client: Any, conf: Any = None,
             v1_filter: Callable | None = None) -> APIApp:
    """The v1 API over ``engine_client``.

    ``conf`` (an oslo.config ConfigOpts or any object) may set
    ``max_json_body_size`` and ``max_template_size``; Heat's defaults
    otherwise.  ``v1_filter(app)``, when given, wraps the v1 router.
    """
    options = _options(conf)
    mapper, handlers = _routes(engine_client, options)
    router = wsgi.Router(mapper, handlers, options['max_json_body_size'])
    return APIApp(v1_filter(router) if v1_filter else router,
                  agent.AgentApp(engine_client,
                                 options['max_json_body_size']))
