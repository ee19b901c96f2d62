"""OS::Heat::Stack: a stack made through the orchestration API, in this
stack's region or another, with Heat 27's properties and attributes.

The stack's own credentials (its trust) reach whatever ``orchestration``
endpoint the catalog has in ``context.region_name`` (this engine's own API
when it is behind Keystone).  While a create or update is validated, the
requesting user's cloud is asked first whether the region has that
endpoint, then to validate the template (Heat's two 400s: ``Cannot
establish connection to Heat endpoint at region ...`` and ``Failed
validating stack template using Heat endpoint at region ...``).

Every update of this resource's stack updates the remote stack, changed
properties or not, and the remote stack's resources decide what changes
(Heat's); a new ``region_name`` replaces it.  Suspend, resume and check
are the remote stack's own; every wait polls the remote stack's status
through the clock.  ``context.credential_secret_id`` (a Barbican secret
with another cloud's credentials) is not implemented: refused by name.
Snapshots do not reach the remote stack: a snapshot of a stack holding one
is refused (``handle_snapshot``).
"""

from convergence.clients import errors
from convergence.clients import validation
from convergence.exceptions import StackValidationFailed
from convergence.resources.base import IN_PLACE, NO_CHANGE, Resource, \
    UpdatePlan
from convergence.resources.cloud_resource import (
    ResourceInError, ResourceUnknownStatus)
from convergence.resources.polling import BackingOff
from convergence.resources.properties import BOOLEAN, INTEGER, MAP, \
    STRING, Schema
from convergence import template as tmpl
from convergence.template import environment as env_mod
from convergence.template.unresolved import contains_unresolved

(CONTEXT, TEMPLATE, TIMEOUT, PARAMETERS) = (
    'context', 'template', 'timeout', 'parameters')
(REGION_NAME, CREDENTIAL_SECRET_ID, CA_CERT, INSECURE) = (
    'region_name', 'credential_secret_id', 'ca_cert', 'insecure')
# The resource data key holding the remote stack's name (its path is
# /stacks/<name>/<id>).
STACK_NAME_KEY = 'stack_name'


CONTEXT_SCHEMA = {
    REGION_NAME: Schema(STRING, 'Region name in which this stack will be '
                        'created.'),
    CREDENTIAL_SECRET_ID: Schema(
        STRING, 'A Barbican secret ID. The Barbican secret should contain '
        'an OpenStack credential that can be used to access a remote cloud '
        '(not implemented here).', update_allowed=True),
    CA_CERT: Schema(STRING, 'CA Cert for SSL.', update_allowed=True),
    INSECURE: Schema(BOOLEAN, "If set, then the server's certificate will "
                     "not be verified.", default=False, update_allowed=True),
}


class RemoteStack(BackingOff, Resource):
    """A stack of the orchestration API, as one resource."""

    service_type = 'orchestration'
    default_client_name = 'heat'
    support_version = '2014.2'
    # The parent's environment and files go to the remote stack.
    inherits_stack_environment = True

    properties_schema = {
        CONTEXT: Schema(MAP, 'Context for this stack.', update_allowed=True,
                        schema=CONTEXT_SCHEMA),
        TEMPLATE: Schema(STRING, 'Template that specifies the stack to be '
                         'created as a resource.', required=True,
                         update_allowed=True),
        TIMEOUT: Schema(INTEGER, 'Number of minutes to wait for this stack '
                        'creation.', update_allowed=True),
        PARAMETERS: Schema(MAP, 'Set of parameters passed to this stack.',
                           default={}, update_allowed=True),
    }
    attributes_schema = {
        'stack_name': 'Name of the stack.',
        'outputs': 'A dict of key-value pairs output from the stack.',
    }
    attribute_types = {'stack_name': 'string', 'outputs': 'map'}

    # --- validation ---

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        context = props.get(CONTEXT) or {}
        if context.get(CREDENTIAL_SECRET_ID):
            raise StackValidationFailed(
                'Property context.credential_secret_id of OS::Heat::Stack '
                'is not implemented here (it needs Barbican).')

    @classmethod
    def validate_in_cloud(cls, resource_name: str, props: dict,
                          files: dict, environment: dict) -> None:
        """Heat's RemoteStack.validate, with the requesting user's cloud:
        the region's endpoint, then the template as the remote Heat sees
        it.  Nothing to ask without a request cloud (noauth)."""
        cloud = validation.current()
        if cloud is None:
            return
        context = props.get(CONTEXT) or {}
        region = context.get(REGION_NAME) or cloud.region
        try:
            heat = _client(cloud, context)
        except errors.CloudError as exc:
            raise StackValidationFailed(
                'Cannot establish connection to Heat endpoint at region '
                '"%s" due to "%s"' % (region, exc)) from None
        if contains_unresolved(props):
            return  # what it depends on is not known before the create
        try:
            heat.validate(_stack_input(props, files, environment,
                                       resource_name))
        except (errors.CloudError, ValueError) as exc:
            raise StackValidationFailed(
                'Failed validating stack template using Heat endpoint at '
                'region "%s" due to "%s"' % (region, _heat_words(exc))
            ) from None

    # --- the remote stack ---

    def heat(self):
        """The orchestration API the remote stack lives in."""
        return _client(self.cloud(), self.properties.get(CONTEXT) or {})

    def _stack_name(self) -> str:
        return self.data_get(STACK_NAME_KEY) or self.physical_resource_name()

    def _input(self, properties: dict) -> dict:
        body = _stack_input(properties, self.context.files,
                            self.context.environment, self.name)
        body.update(timeout_mins=properties.get(TIMEOUT),
                    disable_rollback=True)
        return body

    def remote(self) -> dict | None:
        if self.resource_id is None:
            return None
        return self.heat().show(self._stack_name(), self.resource_id)

    def _action_complete(self, action: str) -> bool:
        """Heat's _check_action_complete: done when the remote stack's
        ``action`` completed; its failure fails this resource."""
        stack = self.remote()
        if stack is None:
            raise errors.NotFound('The Stack (%s) could not be found.'
                                  % self._stack_name(), 404)
        stack_action, status = stack['stack_status'].split('_', 1)
        if stack_action != action or status == 'IN_PROGRESS':
            return False
        if status == 'COMPLETE':
            return True
        reason = stack.get('stack_status_reason') or 'Unknown'
        if status == 'FAILED':
            raise ResourceInError(stack['stack_status'], reason)
        raise ResourceUnknownStatus('Stack %s failed' % action.lower(),
                                    stack['stack_status'])

    # --- actions ---

    def handle_create(self):
        name = self.physical_resource_name()
        body = dict(self._input(self.properties), stack_name=name)
        self.data_set(STACK_NAME_KEY, name)
        self.resource_id_set(self.heat().create(body))

    def check_create_complete(self, token) -> bool:
        return self._action_complete('CREATE')

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> UpdatePlan:
        planned = super().plan_update(new_properties, failed=failed)
        if planned.decision == NO_CHANGE:
            # Heat's: the remote stack's resources decide what changes.
            return UpdatePlan(IN_PLACE, {})
        return planned

    def needs_replace_with_prop_diff(self, changed: set, after: dict,
                                     before: dict) -> bool:
        return CONTEXT in changed and (
            (after.get(CONTEXT) or {}).get(REGION_NAME)
            != (before.get(CONTEXT) or {}).get(REGION_NAME))

    def handle_update(self, new_properties: dict, prop_diff: dict):
        if self.resource_id is None:
            return None
        self.properties = new_properties
        self.heat().update(self._stack_name(), self.resource_id,
                           self._input(new_properties))
        return True

    def check_update_complete(self, token) -> bool:
        return not token or self._action_complete('UPDATE')

    def handle_delete(self):
        if self.resource_id is None:
            return None
        return self.heat().delete(self._stack_name(),
                                  self.resource_id) or None

    def check_delete_complete(self, token) -> bool:
        if not token:
            return True
        try:
            return self._action_complete('DELETE')
        except errors.NotFound:
            return True  # gone: deleted

    def _start(self, action: str) -> bool:
        if self.resource_id is None:
            raise Exception('Cannot %s %s, resource not found'
                            % (action, self.name))
        self.heat().action(self._stack_name(), self.resource_id, action)
        return True

    def handle_suspend(self):
        return self._start('suspend')

    def check_suspend_complete(self, token) -> bool:
        return self._action_complete('SUSPEND')

    def handle_resume(self):
        return self._start('resume')

    def check_resume_complete(self, token) -> bool:
        return self._action_complete('RESUME')

    def handle_check(self):
        return self._start('check')

    def check_check_complete(self, token) -> bool:
        return self._action_complete('CHECK')

    def handle_snapshot(self):
        raise Exception('A snapshot of OS::Heat::Stack %s is not '
                        'implemented here: the remote stack is not '
                        'snapshotted.' % self.name)

    # --- attributes ---

    def get_reference_id(self) -> str:
        return str(self.resource_id) if self.resource_id else str(self.name)

    def _resolve_attribute(self, name: str) -> object:
        if self.resource_id is None:
            return None
        stack = self.remote() or {}
        if name == 'stack_name':
            return stack.get('stack_name') or self._stack_name()
        return {o['output_key']: o.get('output_value')
                for o in stack.get('outputs') or []}


def _client(cloud, context: dict):
    return cloud.orchestration(region=context.get(REGION_NAME),
                               ca_cert=context.get(CA_CERT),
                               insecure=bool(context.get(INSECURE)))


def _stack_input(props: dict, files: dict, environment: dict,
                 resource_name: str) -> dict:
    """What the remote stack is made of: the parsed template, the parent's
    files, and the parent's environment with ``parameters`` as its own
    (Heat's get_child_environment).

    Raises:
        ValueError: the template is neither YAML nor JSON.
    """
    params = dict(props.get(PARAMETERS) or {})
    try:
        template = tmpl.parse_template(props[TEMPLATE])
    except Exception as exc:
        raise ValueError(getattr(exc, 'message', None) or str(exc)) from None
    return {'template': template, 'files': dict(files or {}),
            'parameters': params,
            'environment': env_mod.child_environment(
                environment or {}, params, resource_name)}


def _heat_words(exc: Exception) -> str:
    """An error as python-heatclient prints the API's (Heat's text
    quotes it)."""
    if isinstance(exc, errors.CloudError):
        return 'ERROR: %s' % exc
    return str(exc)
