"""OS::Neutron::FloatingIP: an address of an external network, optionally
associated with a port, with Heat 27's properties.

``port_id`` and ``fixed_ip_address`` change in place (associate,
re-associate, dissociate); the rest replace it.  A check compares the
association with Neutron's (decision 34): a floating IP associated,
re-associated or dissociated behind the stack's back fails it, and the
next update puts the template's association back.  Heat's ``dns_name`` and
``dns_domain`` (Neutron's DNS integration) are not implemented and refused
by name.  As in Heat, a port's subnet must reach the external network
through a router before the association: a template says so with
``depends_on`` on the router interface (Heat adds that dependency by
itself; this engine does not).
"""

from convergence.resources import constraints as constr
from convergence.resources.neutron import base
from convergence.resources.neutron.net import refuse_not_implemented
from convergence.resources.properties import STRING, Schema

(FLOATING_NETWORK_ID, FLOATING_NETWORK, FLOATING_SUBNET, VALUE_SPECS,
 PORT_ID, FIXED_IP_ADDRESS, FLOATING_IP_ADDRESS) = (
    'floating_network_id', 'floating_network', 'floating_subnet',
    'value_specs', 'port_id', 'fixed_ip_address', 'floating_ip_address')
NOT_IMPLEMENTED = ('dns_name', 'dns_domain')


class FloatingIP(base.NeutronResource):
    """A floating IP address."""

    entity = 'floatingip'

    properties_schema = {
        FLOATING_NETWORK_ID: Schema(STRING, hidden=True, constraints=[
            constr.CustomConstraint('neutron.network')]),
        FLOATING_NETWORK: Schema(STRING, 'Network to allocate floating IP '
                                 'from.', required=True, constraints=[
                                     constr.CustomConstraint(
                                         'neutron.network')]),
        FLOATING_SUBNET: Schema(STRING, 'Subnet to allocate floating IP '
                                'from.', constraints=[
                                    constr.CustomConstraint(
                                        'neutron.subnet')]),
        VALUE_SPECS: base.value_specs_schema(
            'Extra parameters to include in the "floatingip" object in the '
            'creation request.', update_allowed=False),
        PORT_ID: Schema(STRING, 'ID of an existing port with at least one '
                        'IP address to associate with this floating IP.',
                        update_allowed=True, constraints=[
                            constr.CustomConstraint('neutron.port')]),
        FIXED_IP_ADDRESS: Schema(STRING, 'IP address to use if the port has '
                                 'multiple addresses.', update_allowed=True),
        FLOATING_IP_ADDRESS: Schema(STRING, 'IP address of the floating '
                                    'IP.'),
    }
    attributes_schema = {
        'router_id': 'ID of the router used as gateway, set when associated '
                     'with a port.',
        'tenant_id': 'The tenant owning this floating IP.',
        'floating_network_id': 'ID of the network in which this IP is '
                               'allocated.',
        'fixed_ip_address': 'IP address of the associated port, if '
                            'specified.',
        'floating_ip_address': 'The allocated address of this IP.',
        'port_id': 'ID of the port associated with this IP.',
    }

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        refuse_not_implemented(props, NOT_IMPLEMENTED,
                               'OS::Neutron::FloatingIP')
        props = dict(props)
        if props.get(FLOATING_NETWORK_ID) is not None and \
                props.get(FLOATING_NETWORK) is None:
            props[FLOATING_NETWORK] = props.pop(FLOATING_NETWORK_ID)
        return props

    def create_body(self) -> dict:
        body = self.body(self.properties)
        body.pop(FLOATING_NETWORK_ID, None)
        body['floating_network_id'] = self.find_id(
            'network', body.pop(FLOATING_NETWORK), FLOATING_NETWORK)
        if FLOATING_SUBNET in body:
            body['subnet_id'] = self.find_id(
                'subnet', body.pop(FLOATING_SUBNET), FLOATING_SUBNET)
        if PORT_ID in body:
            body[PORT_ID] = self.find_id('port', body[PORT_ID], PORT_ID)
        return body

    def update_body(self, prop_diff: dict) -> dict:
        """Heat's: the association as the new properties have it."""
        after = dict(self.properties, **prop_diff)
        port = after.get(PORT_ID)
        return {PORT_ID: port and self.find_id('port', port, PORT_ID),
                FIXED_IP_ADDRESS: after.get(FIXED_IP_ADDRESS)}

    # --- reality (live_state) ---

    def expected_live(self) -> dict:
        """The port the template associates (none: no port), and the
        address on it when the template names one."""
        port = self.properties.get(PORT_ID)
        expected = {PORT_ID: port and self.find_id('port', port, PORT_ID)}
        if self.properties.get(FIXED_IP_ADDRESS):
            expected[FIXED_IP_ADDRESS] = self.properties[FIXED_IP_ADDRESS]
        return expected

    def live_properties(self, shown: dict) -> dict:
        return {PORT_ID: shown.get(PORT_ID),
                FIXED_IP_ADDRESS: shown.get(FIXED_IP_ADDRESS)}
