"""OS::Heat::SoftwareDeployment and OS::Heat::StructuredDeployment.

A deployment applies a config to a server.  Each lifecycle action the
``actions`` property lists (CREATE and UPDATE by default; DELETE, SUSPEND,
RESUME too) makes a derived config (the source config with this
deployment's input values and Heat's ``deploy_*`` inputs), points the
deployment row at it (IN_PROGRESS, "Deploy data available") and waits for
the server's agent to signal the result (worker/signal_wait.py: the row
records the wait, no thread holds it).  An action not listed completes
without waiting, as does any action with ``signal_transport: NO_SIGNAL``.

The signal's ``deploy_status_code`` (non-zero fails), ``deploy_stdout``,
``deploy_stderr`` and the outputs the config declares become the
deployment's output values and the resource's attributes; a failed one
fails the resource with "Deployment to server failed: ..." naming the
status code and the script's stderr.

Signals come by the engine-served URL of the action (TEMP_URL_SIGNAL: PUT,
CFN_SIGNAL: POST; ``deploy_signal_id`` in the derived config) or, for any
transport, by ``resource_signal`` (HEAT_SIGNAL) or
``signal_software_deployment``.  With HEAT_SIGNAL and a stack user domain
the deployment has a stack domain user (stack_user.py) whose credentials
are Heat's ``deploy_auth_url``, ``deploy_username``, ``deploy_user_id``,
``deploy_password`` and ``deploy_project_id`` inputs: the agent signals as
that user; the user goes with the deployment.  ZAQAR_SIGNAL is refused by
name.
"""

import uuid

from oslo_utils import timeutils

from convergence import exceptions
from convergence.resources import constraints as constr
from convergence.resources.await_signal import Await
from convergence.resources.base import Resource
from convergence.resources.failures import resource_failure
from convergence.resources import software_config
from convergence.resources import stack_user
from convergence.resources.properties import LIST, MAP, STRING, Schema
from convergence.software_config import agent_urls
from convergence.software_config import configs
from convergence.software_config import deployment_rules as rules
from convergence.template.unresolved import contains_unresolved

CONFIG, SERVER, INPUT_VALUES, ACTIONS, NAME, SIGNAL_TRANSPORT = (
    'config', 'server', 'input_values', 'actions', 'name',
    'signal_transport')
INPUT_KEY, INPUT_VALUES_VALIDATE = 'input_key', 'input_values_validate'
ALLOWED_ACTIONS = ('CREATE', 'UPDATE', 'DELETE', 'SUSPEND', 'RESUME')
# Namespace of the deployment ids derived from resource uuids.
DEPLOYMENT_ID_NAMESPACE = uuid.UUID('5d0c3f4e-2a1b-4c7d-9e8f-0a1b2c3d4e5f')
# Resource data: the output values last received, the outputs the last
# derived config declares.
OUTPUTS_DATA, DECLARED_DATA = 'output_values', 'declared_outputs'
NOT_WAITING = 'Not waiting for outputs signal'
DEPLOY_DATA_AVAILABLE = 'Deploy data available'
CANCELLED = 'Deployment cancelled.'


class SoftwareDeployment(stack_user.StackUser, Resource):
    """Associates a server with a config to be deployed to it."""

    support_version = '2014.1'
    retry_safe = True
    # Heat's: a deployment takes signals in every action (its DELETE and
    # SUSPEND actions wait for one too).
    no_signal_actions = ()
    properties_schema = {
        CONFIG: Schema(STRING, 'ID of software configuration resource to '
                       'execute when applying to the server.',
                       update_allowed=True),
        SERVER: Schema(STRING, 'ID of resource to apply configuration to.',
                       required=True),
        INPUT_VALUES: Schema(MAP, 'Input values to apply to the software '
                             'configuration on this server.',
                             update_allowed=True),
        ACTIONS: Schema(LIST, 'Which lifecycle actions of the deployment '
                        'resource will result in this deployment being '
                        'triggered.', update_allowed=True,
                        default=['CREATE', 'UPDATE'],
                        constraints=[constr.AllowedValues(
                            list(ALLOWED_ACTIONS))]),
        NAME: Schema(STRING, 'Name of the derived config associated with '
                     'this deployment.', update_allowed=True),
        SIGNAL_TRANSPORT: Schema(
            STRING, 'How the server should signal to heat with the '
            'deployment output values: TEMP_URL_SIGNAL (HTTP PUT) and '
            'CFN_SIGNAL (HTTP POST) to a URL the engine serves, HEAT_SIGNAL '
            '(resource-signal through the API), NO_SIGNAL (no wait).  '
            'Default: the default_deployment_signal_transport option.',
            constraints=[constr.AllowedValues(
                list(agent_urls.SIGNAL_TRANSPORTS))]),
    }
    attributes_schema = {
        rules.STDOUT: 'Captured stdout from the configuration execution.',
        rules.STDERR: 'Captured stderr from the configuration execution.',
        rules.STATUS_CODE: 'Returned status code from the configuration '
                           'execution.',
    }
    attribute_types = {name: 'string' for name in rules.DEPLOY_OUTPUTS}

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        transport = props.get(SIGNAL_TRANSPORT)
        if (transport is not None and not contains_unresolved(transport)
                and transport not in agent_urls.SIGNAL_TRANSPORTS_SERVED):
            raise exceptions.StackValidationFailed(
                'Property error: resources.%s.properties.%s: %s is not '
                'supported here (no Zaqar); use TEMP_URL_SIGNAL, CFN_SIGNAL, '
                'HEAT_SIGNAL or NO_SIGNAL.' % (resource_name,
                                               SIGNAL_TRANSPORT, transport))

    @classmethod
    def has_attribute(cls, name: str) -> bool:
        """Any name: the config's outputs are attributes too, known only
        once the config is (Heat checks them when they are read)."""
        return isinstance(name, str)

    # --- the stores ---

    def _store(self):
        return software_config.store(self.context)

    def _agents(self) -> agent_urls.AgentSettings:
        return self.context.agents or agent_urls.AgentSettings()

    def _transport(self) -> str:
        return (self.properties.get(SIGNAL_TRANSPORT)
                or self._agents().default_signal_transport)

    def _source(self) -> dict:
        """The config as show_software_config gives it; {} without one."""
        config_id = self.properties.get(CONFIG)
        if not config_id:
            return {'inputs': [], 'outputs': []}
        row = configs.get(self._store(), self.context.tenant, config_id)
        document = row['config'] or {}
        return {'id': row['id'], 'name': row['name'], 'group': row['group'],
                'config': document.get('config'),
                'inputs': document.get('inputs') or [],
                'outputs': document.get('outputs') or [],
                'options': document.get('options')}

    def _structured(self) -> dict | None:
        """A StructuredDeployment's substitution settings."""
        return None

    # --- actions ---

    def handle_create(self):
        # Any server id is accepted, as Heat's (no constraint on it): one
        # the engine serves no metadata for (a group's placeholder names,
        # a server outside the stacks) is still signalled through the API.
        return self._deploy('CREATE')

    def handle_update(self, new_properties: dict, prop_diff: dict):
        old_inputs = self._derived_inputs_now()
        self.properties = new_properties
        source = self._source()
        self._refuse_replacing_inputs(source, old_inputs)
        return self._deploy('UPDATE', source)

    def handle_suspend(self):
        return self._deploy('SUSPEND') if self.resource_id else None

    def handle_resume(self):
        return self._deploy('RESUME') if self.resource_id else None

    def handle_delete(self):
        if self.resource_id is None:
            self.delete_stack_user()
            return None
        deployment = self._store().software_deployment_get(self.resource_id)
        if deployment is not None and self._server_known():
            try:
                awaited = self._deploy('DELETE')
            except exceptions.NotFound:
                awaited = None
            if awaited is not None:
                return awaited
        self._remove()
        return None

    def _deploy(self, action: str, source: dict | None = None):
        """Run ``action`` on the server: a new derived config and, unless
        it does not wait, an Await for the agent's signal."""
        if source is None:
            source = self._source()
        if not rules.runs_for(source, action, self.properties.get(ACTIONS)):
            return None
        store, tenant = self._store(), self.context.tenant
        deployment_id = self.resource_id or str(uuid.uuid5(
            DEPLOYMENT_ID_NAMESPACE, self.context.resource_uuid))
        transport = self._transport()
        signal_url = url_hash = None
        if transport in agent_urls.URL_VERBS:
            token, url_hash = agent_urls.new_token()
            signal_url = agent_urls.url(self._agents().public_url,
                                        agent_urls.SIGNAL, token)
        deploy = rules.Deploy(
            server_id=self.properties[SERVER], action=action,
            stack_path='%s/%s' % (self.context.stack_name,
                                  self.context.stack_id),
            resource_name=self.name, signal_transport=transport,
            signal_id=signal_url,
            signal_verb=agent_urls.URL_VERBS.get(transport),
            auth=self._signal_credentials(transport))
        inputs = rules.derived_inputs(source['inputs'],
                                      self.properties.get(INPUT_VALUES),
                                      deploy)
        params = rules.derived_config(source, inputs,
                                      self.properties.get(NAME),
                                      self._structured())
        derived = configs.create(
            store, tenant, params['group'],
            params['name'] or self.physical_resource_name(),
            params['config'], params['inputs'], params['outputs'],
            params['options'])
        waits = transport != agent_urls.NO_SIGNAL
        state = {'config_id': derived['id'], 'action': action,
                 'input_values': self.properties.get(INPUT_VALUES) or {},
                 'status': rules.IN_PROGRESS if waits else rules.COMPLETE,
                 'status_reason': DEPLOY_DATA_AVAILABLE if waits
                 else NOT_WAITING}
        previous = store.software_deployment_get(deployment_id)
        if previous is None:
            store.software_deployment_create(dict(
                state, id=deployment_id, server_id=self.properties[SERVER],
                tenant=tenant))
        else:
            store.software_deployment_update(
                deployment_id, dict(state, updated_at=timeutils.utcnow()))
            if previous['config_id'] != derived['id']:
                _delete_config(store, tenant, previous['config_id'])
        self.resource_id_set(deployment_id)
        self.data_set(DECLARED_DATA, [o['name'] for o in
                                      params['outputs']])
        # The URL of an earlier action signals nothing any more.
        store.agent_urls_delete(deployment_id)
        if not waits:
            return None
        if url_hash is not None:
            store.agent_url_create({
                'token_hash': url_hash, 'kind': agent_urls.SIGNAL,
                'target': deployment_id, 'action': action,
                'tenant': tenant})
        return Await({'deployment_id': deployment_id, 'action': action,
                      'config_id': derived['id'], 'url_hash': url_hash})

    def _signal_credentials(self, transport: str) -> dict | None:
        """HEAT_SIGNAL: the deployment's stack domain user, which the
        agent signals as (Heat's deploy_auth_url... inputs).  Without a
        stack user domain (or in noauth mode) none is made: the agent
        then needs a token of its own (decision 21)."""
        if transport != agent_urls.HEAT_SIGNAL or \
                stack_user.unavailable_reason(self) is not None:
            return None
        return self.stack_user_credentials()

    def handle_awaited_signal(self, token: dict, details):
        """The agent's signal: the deployment's outputs and status."""
        store = self._store()
        deployment = store.software_deployment_get(token['deployment_id'])
        if deployment is None:
            raise exceptions.Error('the deployment %s is gone'
                                   % token['deployment_id'])
        if deployment['status'] == rules.IN_PROGRESS:
            deployment = apply_signal(store, deployment, details)
        store.agent_urls_delete(token['deployment_id'])
        self.data_set(OUTPUTS_DATA, deployment['output_values'] or {})
        if deployment['status'] == rules.FAILED:
            raise resource_failure(
                self.name, 'Error',
                rules.failure_reason(deployment['status_reason']))
        if token['action'] == 'DELETE':
            self._remove()
        return None

    def handle_signal(self, details):
        """resource_signal while no action waits: as heat-engine's
        signal_software_deployment, a deployment no longer IN_PROGRESS
        takes nothing."""
        if self.resource_id is None:
            return None
        store = self._store()
        deployment = store.software_deployment_get(self.resource_id)
        if deployment is None or deployment['status'] != rules.IN_PROGRESS:
            return None
        return apply_signal(store, deployment, details)['status']

    def _cancel(self, token) -> None:
        """Heat's _handle_cancel: an IN_PROGRESS deployment is FAILED."""
        store = self._store()
        deployment_id = (token or {}).get('deployment_id') or self.resource_id
        if not deployment_id:
            return
        deployment = store.software_deployment_get(deployment_id)
        if deployment is not None and deployment['status'] == (
                rules.IN_PROGRESS):
            store.software_deployment_update(deployment_id, {
                'status': rules.FAILED, 'status_reason': CANCELLED,
                'updated_at': timeutils.utcnow()})
        store.agent_urls_delete(deployment_id)

    handle_create_cancel = handle_update_cancel = _cancel
    handle_delete_cancel = handle_suspend_cancel = _cancel
    handle_resume_cancel = _cancel

    # --- helpers ---

    def _server_known(self) -> bool:
        """Whether the server is one the engine serves metadata for (a
        DeployedServer of this tenant): the only servers there are here."""
        server = self.properties.get(SERVER)
        return any(u['kind'] == agent_urls.METADATA
                   and u['tenant'] == self.context.tenant
                   for u in self._store().agent_urls(server or ''))

    def _derived_inputs_now(self) -> dict:
        """The inputs of the derived config deployed now, by name."""
        if self.resource_id is None:
            return {}
        store = self._store()
        deployment = store.software_deployment_get(self.resource_id)
        config = (store.software_config_get(deployment['config_id'])
                  if deployment is not None else None)
        if config is None:
            return {}
        return {i['name']: i for i in (config['config'] or {}).get(
            'inputs') or ()}

    def _refuse_replacing_inputs(self, source: dict, old: dict) -> None:
        """Heat: an input declared replace_on_change whose value changes
        replaces the deployment."""
        values = self.properties.get(INPUT_VALUES) or {}
        for declared in source['inputs']:
            name = declared['name']
            if not declared.get('replace_on_change') or name not in old:
                continue
            value = values.get(name, declared.get('default'))
            if value != old[name].get('value'):
                raise exceptions.UpdateReplace(resource_name=self.name)

    def _remove(self) -> None:
        """Heat's _delete_resource: the deployment, its derived config and
        its URLs go."""
        store, deployment_id = self._store(), self.resource_id
        self.delete_stack_user()
        deployment = store.software_deployment_get(deployment_id)
        store.software_deployment_delete(deployment_id)
        store.agent_urls_delete(deployment_id)
        if deployment is not None:
            _delete_config(store, self.context.tenant,
                           deployment['config_id'])

    def _resolve_attribute(self, name: str) -> object:
        values = self.data_get(OUTPUTS_DATA) or {}
        if name in values:
            return values[name]
        declared = self.data_get(DECLARED_DATA)
        if (declared is not None and name not in declared
                and name not in rules.DEPLOY_OUTPUTS):
            raise exceptions.InvalidTemplateAttribute(resource=self.name,
                                                      key=name)
        return None


class StructuredDeployment(SoftwareDeployment):
    """A deployment whose config's ``get_input``s are substituted."""

    properties_schema = dict(SoftwareDeployment.properties_schema, **{
        INPUT_KEY: Schema(STRING, 'Name of key to use for substituting '
                          'inputs during deployment.',
                          default=rules.INPUT_KEY_DEFAULT),
        INPUT_VALUES_VALIDATE: Schema(
            STRING, 'Perform a check on the input values passed to verify '
            'that each required input has a corresponding value.',
            default=rules.LAX,
            constraints=[constr.AllowedValues([rules.LAX, rules.STRICT])]),
    })

    def _structured(self) -> dict | None:
        return {'input_key': self.properties[INPUT_KEY],
                'validate': self.properties[INPUT_VALUES_VALIDATE]}


def apply_signal(store, deployment: dict, details) -> dict:
    """Record a signal on an IN_PROGRESS deployment (heat-engine's
    signal_software_deployment); returns the deployment as it is now."""
    config = store.software_config_get(deployment['config_id']) or {}
    declared = (config.get('config') or {}).get('outputs') or []
    result = rules.signalled(deployment['id'], declared, details,
                             deployment['output_values'])
    store.software_deployment_update(deployment['id'], {
        'output_values': result.output_values, 'status': result.status,
        'status_reason': result.status_reason,
        'updated_at': timeutils.utcnow()})
    return dict(deployment, output_values=result.output_values,
                status=result.status, status_reason=result.status_reason)


def _delete_config(store, tenant: str, config_id: str) -> None:
    try:
        configs.delete(store, tenant, config_id)
    except (exceptions.NotFound, exceptions.InvalidRestrictedAction):
        pass  # gone already, or another deployment uses it: Heat ignores
