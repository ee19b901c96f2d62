"""The software config and deployment endpoints (heat-api's shapes).

``/software_configs[/<id>]`` and ``/software_deployments[/<id>|/metadata/
<server_id>]``: the request keys heat-api reads and passes on, the bodies
it answers with, 204 for a delete.  (The handlers that write are named
apart from the stack operations' create/update/delete, which the operation
log records as stack operations.)
"""

from typing import Any

from webob import exc

from convergence.api import params as p
from convergence.api import wsgi

_CONFIG_KEYS = ('name', 'group', 'config', 'inputs', 'outputs', 'options')
_DEPLOYMENT_CREATE_KEYS = ('config_id', 'server_id', 'input_values',
                           'action', 'status', 'status_reason',
                           'stack_user_project_id')
_DEPLOYMENT_UPDATE_KEYS = ('config_id', 'input_values', 'output_values',
                           'action', 'status', 'status_reason')
_LIST_PARAMS = {'limit': p.SINGLE, 'marker': p.SINGLE}


def _object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise exc.HTTPBadRequest('The request body must be a JSON object.')
    return body


class SoftwareConfigController:
    """``/software_configs``."""

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine

    def index(self, req, ctx) -> dict:
        if 'global_tenant' in req.GET and p.extract_bool(
                'global_tenant', req.GET['global_tenant']):
            wsgi.refuse_every_project(req, ctx,
                                      'software_configs:global_index',
                                      'software configs')
        query = p.get_allowed_params(req.GET, _LIST_PARAMS)
        if 'limit' in query:
            query['limit'] = p.extract_int('limit', query['limit'])
        return {'software_configs': self.engine.list_software_configs(
            ctx, **query)}

    def show(self, req, ctx, config_id: str) -> dict:
        return {'software_config': self.engine.show_software_config(
            ctx, config_id)}

    def create_config(self, req, ctx, body=None) -> dict:
        body = _object(body)
        return {'software_config': self.engine.create_software_config(
            ctx, **{key: body.get(key) for key in _CONFIG_KEYS})}

    def delete_config(self, req, ctx, config_id: str):
        self.engine.delete_software_config(ctx, config_id)
        return exc.HTTPNoContent()


class SoftwareDeploymentController:
    """``/software_deployments``."""

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine

    def index(self, req, ctx) -> dict:
        query = p.get_allowed_params(req.GET, {'server_id': p.SINGLE})
        return {'software_deployments':
                self.engine.list_software_deployments(ctx, **query)}

    def metadata(self, req, ctx, server_id: str) -> dict:
        return {'metadata': self.engine.metadata_software_deployments(
            ctx, server_id=server_id)}

    def show(self, req, ctx, deployment_id: str) -> dict:
        return {'software_deployment': self.engine.show_software_deployment(
            ctx, deployment_id)}

    def create_deployment(self, req, ctx, body=None) -> dict:
        body = _object(body)
        return {'software_deployment':
                self.engine.create_software_deployment(
                    ctx, **{key: body.get(key)
                            for key in _DEPLOYMENT_CREATE_KEYS})}

    def update_deployment(self, req, ctx, deployment_id: str,
                          body=None) -> dict:
        body = _object(body)
        values = {key: body[key] for key in _DEPLOYMENT_UPDATE_KEYS
                  if body.get(key) is not None}
        return {'software_deployment':
                self.engine.update_software_deployment(
                    ctx, deployment_id, **values)}

    def delete_deployment(self, req, ctx, deployment_id: str):
        self.engine.delete_software_deployment(ctx, deployment_id)
        return exc.HTTPNoContent()
