"""OS::Neutron::Net: a Neutron network, with Heat 27's properties.

Every property but ``tenant_id`` changes in place.  Heat's ``dhcp_agent_ids``
and ``qos_policy`` (which need Neutron's agent and QoS extensions) are not
implemented: a template that sets them is refused by name.
"""

from convergence.exceptions import StackValidationFailed
from convergence.resources.neutron import base
from convergence.resources.properties import BOOLEAN, STRING, Schema

NAME, VALUE_SPECS, ADMIN_STATE_UP, TENANT_ID, SHARED = (
    'name', 'value_specs', 'admin_state_up', 'tenant_id', 'shared')
PORT_SECURITY_ENABLED, DNS_DOMAIN = 'port_security_enabled', 'dns_domain'
# Heat's properties this type refuses (see the module's docstring).
NOT_IMPLEMENTED = ('dhcp_agent_ids', 'qos_policy')


class Net(base.NeutronResource):
    """A network: an isolated layer-2 broadcast domain."""

    entity = 'network'
    observes = ('name', 'admin_state_up', 'port_security_enabled')

    properties_schema = {
        NAME: Schema(STRING, 'A string specifying a symbolic name for the '
                     'network, which is not required to be unique.',
                     update_allowed=True),
        VALUE_SPECS: base.value_specs_schema(
            'Extra parameters to include in the request. Parameters are '
            'often specific to installed hardware or extensions.'),
        ADMIN_STATE_UP: Schema(BOOLEAN, 'A boolean value specifying the '
                               'administrative status of the network.',
                               default=True, update_allowed=True),
        TENANT_ID: Schema(STRING, 'The ID of the tenant which will own the '
                          'network. Only administrative users can set the '
                          'tenant identifier.'),
        SHARED: Schema(BOOLEAN, 'Whether this network should be shared '
                       'across all tenants.', default=False,
                       update_allowed=True),
        PORT_SECURITY_ENABLED: Schema(
            BOOLEAN, 'Flag to enable/disable port security on the network.',
            update_allowed=True),
        DNS_DOMAIN: Schema(STRING, 'DNS domain associated with this network.',
                           update_allowed=True),
    }

    attributes_schema = {
        'status': 'The status of the network.',
        'name': 'The name of the network.',
        'subnets': 'Subnets of this network.',
        'admin_state_up': 'The administrative status of the network.',
        'tenant_id': 'The tenant owning this network.',
        'port_security_enabled': 'Port security enabled of the network.',
        'mtu': 'The maximum transmission unit size(in bytes) for the '
               'network.',
        'qos_policy_id': 'The QoS policy ID attached to this network.',
        'l2_adjacency': 'A boolean value for L2 adjacency, True means that '
                        'you can expect L2 connectivity throughout the '
                        'Network.',
    }
    attribute_types = {'status': 'string', 'name': 'string',
                       'subnets': 'list', 'admin_state_up': 'string',
                       'tenant_id': 'string',
                       'port_security_enabled': 'boolean', 'mtu': 'integer',
                       'qos_policy_id': 'string', 'l2_adjacency': 'boolean'}

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        refuse_not_implemented(props, NOT_IMPLEMENTED, 'OS::Neutron::Net')
        return props


def refuse_not_implemented(props: dict, names, type_name: str) -> None:
    """Refuse, by name, Heat's properties a type does not implement."""
    asked = sorted(set(props) & set(names))
    if asked:
        raise StackValidationFailed(
            'Property %s of %s is not implemented here.' % (
                ', '.join(asked), type_name))
