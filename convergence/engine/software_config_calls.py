"""heat-engine's software config and deployment calls.

The RPC methods of heat/engine/service_software_config.py with its names,
arguments, result shapes and errors: a config or deployment another tenant
owns is "not found" as one that does not exist; bad input is a 400
(``Invalid``) naming the problem and writes nothing.

Every query is scoped by the caller's tenant, admin or not, as every stack
query is here (convergence/rpc/context.py): under noauth every caller is an
admin, and heat-engine would show an admin every tenant's configs.  As
heat-engine, an admin's listing names each config's ``project``.

A server's metadata is not pushed into a resource's metadata, as
heat-engine does: the engine serves it at the server's URL, computed from
the deployments at each request, and the deployment signal is
``engine/deployment_signals.py``.
"""

import time
import uuid
from collections.abc import Mapping

from oslo_utils import timeutils

from convergence import exceptions
from convergence.engine import format as fmt
from convergence.software_config import configs

IN_PROGRESS, FAILED, COMPLETE = 'IN_PROGRESS', 'FAILED', 'COMPLETE'
# A deployment's action when the request names none (heat-engine's default).
DEFAULT_ACTION = 'INIT'
# heat-engine's check_software_deployment polls this often.
CHECK_INTERVAL_SECONDS = 1.0
# Heat's column width for stack_user_project_id.
MAX_PROJECT_ID_LENGTH = 64


def _own_stack_user_project(db, ctxt, stack_user_project_id) -> None:
    """A deployment's stack user project is its creator's own project, the
    stack user domain project of one of its creator's stack trees
    (decision 23), or none.  Heat takes any: there a stack user project is
    always a secret project of a stack.  Here a stack without a stack user
    domain has its own project as its stack user project, so a deployment
    naming another project would be listed to that project and served to
    its servers' agents: one project could run its configs on another's
    servers (decision 25)."""
    if stack_user_project_id in (None, '', ctxt.project_id):
        return
    if not db.user_creds_tree_project_of(ctxt.project_id,
                                         stack_user_project_id):
        raise exceptions.InvalidTenant(target=stack_user_project_id,
                                       actual=ctxt.project_id)


def format_software_config(config: dict, detail: bool = True,
                           include_project: bool = False) -> dict:
    """heat-engine's format_software_config."""
    result = {'id': config['id'], 'name': config['name'],
              'group': config['group'],
              'creation_time': fmt.isotime(config['created_at'])}
    if detail:
        document = config['config'] or {}
        for key in ('config', 'inputs', 'outputs', 'options'):
            result[key] = document.get(key)
    if include_project:
        result['project'] = config['tenant']
    return result


def format_software_deployment(deployment: dict) -> dict:
    """heat-engine's format_software_deployment."""
    result = {key: deployment[key] for key in (
        'id', 'server_id', 'input_values', 'output_values', 'action',
        'status', 'status_reason', 'config_id')}
    result['creation_time'] = fmt.isotime(deployment['created_at'])
    if deployment.get('updated_at'):
        result['updated_time'] = fmt.isotime(deployment['updated_at'])
    return result


def _deployment_not_found(deployment_id) -> exceptions.NotFound:
    return exceptions.NotFound(
        message='Deployment with id %s not found' % deployment_id)


def _is_admin(ctxt) -> bool:
    return bool(getattr(ctxt, 'is_admin', False))


def _map_or_none(name: str, value):
    if value is not None and not isinstance(value, Mapping):
        raise exceptions.Invalid(reason='"%s" must be a map' % name)
    return value


def _text_or_none(name: str, value):
    if value is not None and not isinstance(value, str):
        raise exceptions.Invalid(reason='"%s" must be a string' % name)
    return value


def _updated_at(updated_at) -> object:
    if not updated_at:
        return timeutils.utcnow()
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(updated_at))
    except ValueError as exc:
        raise exceptions.Invalid(reason='"updated_at": %s' % exc) from None


class SoftwareConfigCalls:
    """A mixin of EngineService (which gives ``rt``)."""

    # --- configs ---

    def _software_config(self, ctxt, config_id) -> dict:
        return configs.get(self.rt.db, ctxt.project_id, config_id)

    def show_software_config(self, ctxt, config_id):
        return format_software_config(self._software_config(ctxt, config_id))

    def list_software_configs(self, ctxt, limit=None, marker=None):
        if limit is not None and (isinstance(limit, bool)
                                  or not isinstance(limit, int) or limit < 0):
            raise exceptions.Invalid(
                reason='"limit" must be a non-negative integer')
        return [format_software_config(c, detail=False,
                                       include_project=_is_admin(ctxt))
                for c in self.rt.db.software_configs(ctxt.project_id, limit,
                                                     marker)]

    def create_software_config(self, ctxt, group, name, config,
                               inputs=None, outputs=None, options=None):
        return format_software_config(configs.create(
            self.rt.db, ctxt.project_id, group, name, config, inputs,
            outputs, options))

    def delete_software_config(self, ctxt, config_id):
        configs.delete(self.rt.db, ctxt.project_id, config_id)

    # --- deployments ---

    def _software_deployment(self, ctxt, deployment_id) -> dict:
        deployment = (self.rt.db.software_deployment_get(deployment_id)
                      if isinstance(deployment_id, str) else None)
        if deployment is None or ctxt.project_id not in (
                deployment['tenant'], deployment['stack_user_project_id']):
            raise _deployment_not_found(deployment_id)
        return deployment

    def list_software_deployments(self, ctxt, server_id=None):
        return [format_software_deployment(d) for d in
                self.rt.db.software_deployments(ctxt.project_id, server_id)]

    def metadata_software_deployments(self, ctxt, server_id):
        """The configs of the server's deployments, by config name."""
        if not server_id:
            raise exceptions.Invalid(reason='server_id must be specified')
        return server_deployments(self.rt.db, ctxt.project_id, server_id)

    def show_software_deployment(self, ctxt, deployment_id):
        return format_software_deployment(
            self._software_deployment(ctxt, deployment_id))

    def check_software_deployment(self, ctxt, deployment_id, timeout):
        """The deployment once it is no longer IN_PROGRESS; as heat-engine,
        a deployment still in progress after ``timeout`` seconds is a
        Timeout.  As heat-engine's, the call waits in its RPC worker (a
        green thread in the engine)."""
        deadline = time.monotonic() + (timeout or 0)
        while True:
            deployment = self._software_deployment(ctxt, deployment_id)
            if deployment['status'] != IN_PROGRESS:
                return format_software_deployment(deployment)
            if time.monotonic() >= deadline:
                raise exceptions.Timeout(
                    message='Deployment %s is still in progress after %s s'
                            % (deployment_id, timeout))
            time.sleep(CHECK_INTERVAL_SECONDS)

    def create_software_deployment(self, ctxt, server_id, config_id=None,
                                   input_values=None, action=DEFAULT_ACTION,
                                   status=COMPLETE, status_reason='',
                                   stack_user_project_id=None,
                                   deployment_id=None):
        if stack_user_project_id is not None and (
                len(str(stack_user_project_id)) > MAX_PROJECT_ID_LENGTH):
            raise exceptions.Invalid(
                reason='"stack_user_project_id" should be no more than 64 '
                       'characters')
        if not server_id or not isinstance(server_id, str):
            raise exceptions.Invalid(reason='server_id must be specified')
        _own_stack_user_project(self.rt.db, ctxt, stack_user_project_id)
        self._software_config(ctxt, config_id)
        row = {'id': deployment_id or str(uuid.uuid4()),
               'config_id': config_id, 'server_id': server_id,
               'input_values': _map_or_none('input_values', input_values)
               or {},
               'tenant': ctxt.project_id,
               'stack_user_project_id': stack_user_project_id,
               # heat-api passes None for a key the body lacks; it means
               # the call's default here (heat-engine would store None and
               # the text "None").
               'action': _text_or_none('action', action) or DEFAULT_ACTION,
               'status': _text_or_none('status', status) or COMPLETE,
               'status_reason': ('' if status_reason is None
                                 else str(status_reason))}
        if self.rt.db.software_deployment_get(row['id']) is not None:
            raise exceptions.Invalid(
                reason='a deployment with id %s exists' % row['id'])
        if not self.rt.db.software_deployment_create(row):
            raise configs.not_found(config_id)
        return format_software_deployment(
            self.rt.db.software_deployment_get(row['id']))

    def update_software_deployment(self, ctxt, deployment_id,
                                   config_id=None, input_values=None,
                                   output_values=None, action=None,
                                   status=None, status_reason=None,
                                   updated_at=None):
        self._software_deployment(ctxt, deployment_id)
        # As heat-engine: only what is given (and not empty) changes.
        values = {}
        if config_id:
            self._software_config(ctxt, config_id)
            values['config_id'] = config_id
        if input_values:
            values['input_values'] = _map_or_none('input_values',
                                                  input_values)
        if output_values:
            values['output_values'] = _map_or_none('output_values',
                                                   output_values)
        if action:
            values['action'] = _text_or_none('action', action)
        if status:
            values['status'] = _text_or_none('status', status)
        if status_reason:
            values['status_reason'] = str(status_reason)
        values['updated_at'] = _updated_at(updated_at)
        if not self.rt.db.software_deployment_update(deployment_id, values):
            if config_id and self.rt.db.software_config_get(config_id) is None:
                raise configs.not_found(config_id)
            raise _deployment_not_found(deployment_id)
        return format_software_deployment(
            self.rt.db.software_deployment_get(deployment_id))

    def delete_software_deployment(self, ctxt, deployment_id):
        self._software_deployment(ctxt, deployment_id)
        self.rt.db.software_deployment_delete(deployment_id)


def server_deployments(db, tenant: str, server_id: str) -> list[dict]:
    """The configs of the tenant's deployments to the server, by config
    name (a server's ``deployments`` metadata, as Heat orders it)."""
    found = [db.software_config_get(d['config_id'])
             for d in db.software_deployments(tenant, server_id)]
    found = sorted((c for c in found if c is not None),
                   key=lambda c: c['name'] or '')
    return [format_software_config(c) for c in found]
