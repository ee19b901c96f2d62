"""OS::Heat::DeployedServer: a server outside the cloud that runs an agent.

Its physical id is the resource's uuid (as Heat's), the ``server`` that
deployments name.  With POLL_TEMP_URL (the one transport served here) the
engine hands it a metadata URL of its own (software_config/agent_urls.py)
whose GET answers the server's metadata, computed from the deployment
store at each request: ``deployments`` (the derived configs of its
deployments, by name) and ``os-collect-config``.  The ``os_collect_config``
attribute is what os-collect-config needs to poll it with its ``request``
collector, in Heat's shape.

With POLL_SERVER_HEAT (decision 23) the server has a stack domain user
and ``os_collect_config`` is the ``heat`` collector's settings: the
agent reads ``resource metadata`` (which lists the server's deployments)
through the API as that user.  The metadata URL is made either way: it
tells a deployment that its server is one the engine serves.

Refused by name: POLL_SERVER_CFN and ZAQAR_MESSAGE (no CFN API, no
Zaqar), ``deployment_swift_data`` (no Swift: the engine serves the URL)
and ``metadata`` (Heat 27 ignores it).
"""

from convergence import exceptions
from convergence.resources import constraints as constr
from convergence.resources.base import Resource
from convergence.resources import software_config
from convergence.resources import stack_user
from convergence.resources.properties import MAP, STRING, Schema
from convergence.software_config import agent_urls
from convergence.template.unresolved import contains_unresolved

NAME, METADATA, TRANSPORT, SWIFT_DATA = (
    'name', 'metadata', 'software_config_transport',
    'deployment_swift_data')
NAME_ATTR, OS_COLLECT_CONFIG = 'name', 'os_collect_config'
# Resource data: the metadata URL (it holds the token the server uses);
# the heat collector's settings (POLL_SERVER_HEAT).
URL_DATA, HEAT_DATA = 'metadata_url', 'heat_collector'


class DeployedServer(stack_user.StackUser, Resource):
    """A server deployed outside the cloud, configured by deployments."""

    retry_safe = True
    properties_schema = {
        NAME: Schema(STRING, 'Server name.', update_allowed=True),
        METADATA: Schema(MAP, 'Deprecated in Heat 9.0.0, which ignores it; '
                         'refused here.', update_allowed=True),
        TRANSPORT: Schema(
            STRING, 'How the server should receive the metadata required '
            'for software configuration: POLL_TEMP_URL, a URL the engine '
            'serves; POLL_SERVER_HEAT, resource metadata through the API '
            'as the server\'s stack domain user.  Default: the '
            'default_software_config_transport option.', update_allowed=True,
            constraints=[constr.AllowedValues(
                list(agent_urls.CONFIG_TRANSPORTS))]),
        SWIFT_DATA: Schema(MAP, 'Swift container and object for the '
                           'deployment data: refused here (no Swift).',
                           update_allowed=True),
    }
    attributes_schema = {
        NAME_ATTR: 'Name of the server.',
        OS_COLLECT_CONFIG: "The os-collect-config configuration for the "
                           "server's local agent to be configured to "
                           "connect to Heat to retrieve deployment data.",
    }
    attribute_types = {NAME_ATTR: 'string', OS_COLLECT_CONFIG: 'map'}

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        where = 'Property error: resources.%s.properties.' % resource_name
        transport = props.get(TRANSPORT)
        if (transport is not None and not contains_unresolved(transport)
                and transport not in agent_urls.CONFIG_TRANSPORTS_SERVED):
            raise exceptions.StackValidationFailed(
                '%s%s: %s is not supported here; use POLL_TEMP_URL (a '
                'metadata URL the engine serves) or POLL_SERVER_HEAT.'
                % (where, TRANSPORT, transport))
        if props.get(SWIFT_DATA):
            raise exceptions.StackValidationFailed(
                '%s%s is not supported: there is no Swift here; the engine '
                'serves the metadata URL.' % (where, SWIFT_DATA))
        if props.get(METADATA) is not None:
            raise exceptions.StackValidationFailed(
                '%s%s is not supported: Heat 27 ignores it (deprecated in '
                '9.0.0), and so it is refused here.' % (where, METADATA))

    def _store(self):
        return software_config.store(self.context)

    def _agents(self) -> agent_urls.AgentSettings:
        return self.context.agents or agent_urls.AgentSettings()

    def handle_create(self):
        server_id = self.context.resource_uuid
        store = self._store()
        # A create repeated after its engine died: one URL, not two.
        store.agent_urls_delete(server_id)
        token, token_hash = agent_urls.new_token()
        store.agent_url_create({'token_hash': token_hash,
                                'kind': agent_urls.METADATA,
                                'target': server_id,
                                'tenant': self.context.tenant})
        self.data_set(URL_DATA, agent_urls.url(
            self._agents().public_url, agent_urls.METADATA, token))
        self._set_transport(self.properties)
        self.resource_id_set(server_id)

    def _set_transport(self, properties: dict) -> None:
        """POLL_SERVER_HEAT: the stack user and the heat collector's
        settings; any other: neither."""
        transport = (properties.get(TRANSPORT)
                     or self._agents().default_config_transport)
        if transport != agent_urls.POLL_SERVER_HEAT:
            self.delete_stack_user()
            self.data_delete(HEAT_DATA)
            return
        creds = self.stack_user_credentials()
        self.data_set(HEAT_DATA, {
            'user_id': creds['user_id'], 'password': creds['password'],
            'auth_url': creds['auth_url'],
            'project_id': creds['project_id'],
            'stack_id': '%s/%s' % (self.context.stack_name,
                                   self.context.stack_id),
            'resource_name': self.name})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        """The name (an attribute) changes; the URL stays; a transport
        change makes or drops the stack user."""
        if TRANSPORT in prop_diff:
            self._set_transport(new_properties)
        return None

    def handle_delete(self):
        if self.resource_id is not None:
            self._store().agent_urls_delete(self.resource_id)
        self.delete_stack_user()

    @classmethod
    def live_metadata(cls, row: dict, deployments_of) -> dict:
        """As Heat keeps it in the resource's metadata: os-collect-config
        and the server's deployments (what the heat collector reads)."""
        data = row.get('rsrc_data') or {}
        if not row.get('physical_resource_id') or URL_DATA not in data:
            return {}
        return {'os-collect-config': agent_urls.os_collect_config(
                    data[URL_DATA], data.get(HEAT_DATA)),
                'deployments': deployments_of(row['physical_resource_id'])}

    def _resolve_attribute(self, name: str) -> object:
        if self.resource_id is None:
            return None
        if name == NAME_ATTR:
            return self.properties.get(NAME) or self.physical_resource_name()
        if name == OS_COLLECT_CONFIG:
            return agent_urls.os_collect_config(self.data_get(URL_DATA),
                                                self.data_get(HEAT_DATA))
        return None
