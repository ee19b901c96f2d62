"""OS::Neutron::Subnet: a block of addresses of a network.

``network`` (or Heat's hidden ``network_id``) names the network by name or
id; the id is looked up when the subnet is made.  Changes to ``network``,
``cidr``, ``ip_version``, ``tenant_id`` and the IPv6 modes replace the
subnet; the rest change in place.  ``subnetpool`` and ``prefixlen`` (subnet
pools) are not implemented: refused by name.
"""

import ipaddress

from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.neutron import base
from convergence.resources.neutron.net import refuse_not_implemented
from convergence.resources.properties import BOOLEAN, INTEGER, LIST, MAP, \
    STRING, Schema
from convergence.template.unresolved import contains_unresolved

(NETWORK_ID, NETWORK, CIDR, VALUE_SPECS, NAME, IP_VERSION, DNS_NAMESERVERS,
 GATEWAY_IP, ENABLE_DHCP, ALLOCATION_POOLS, TENANT_ID, HOST_ROUTES,
 IPV6_RA_MODE, IPV6_ADDRESS_MODE) = (
    'network_id', 'network', 'cidr', 'value_specs', 'name', 'ip_version',
    'dns_nameservers', 'gateway_ip', 'enable_dhcp', 'allocation_pools',
    'tenant_id', 'host_routes', 'ipv6_ra_mode', 'ipv6_address_mode')
IPV6_MODES = ('dhcpv6-stateful', 'dhcpv6-stateless', 'slaac')
NOT_IMPLEMENTED = ('subnetpool', 'prefixlen')


def _string_map(**entries) -> Schema:
    return Schema(MAP, schema={key: Schema(STRING, required=True)
                               for key in entries})


class Subnet(base.NeutronResource):
    """A subnet of a Neutron network."""

    entity = 'subnet'
    observes = ('name', 'enable_dhcp')

    properties_schema = {
        NETWORK_ID: Schema(STRING, hidden=True,
                           constraints=[constr.CustomConstraint(
                               'neutron.network')]),
        NETWORK: Schema(STRING, 'The ID of the attached network.',
                        required=True, constraints=[constr.CustomConstraint(
                            'neutron.network')]),
        CIDR: Schema(STRING, 'The CIDR.'),
        VALUE_SPECS: base.value_specs_schema(
            'Extra parameters to include in the request.'),
        NAME: Schema(STRING, 'The name of the subnet.', update_allowed=True),
        IP_VERSION: Schema(INTEGER, 'The IP version, which is 4 or 6.',
                           default=4,
                           constraints=[constr.AllowedValues([4, 6])]),
        DNS_NAMESERVERS: Schema(LIST, 'A specified set of DNS name servers '
                                'to be used.', default=[],
                                update_allowed=True),
        GATEWAY_IP: Schema(STRING, 'The gateway IP address. Set to any of '
                           '[ null | ~ | "" ] to create/update a subnet '
                           'without a gateway.', update_allowed=True),
        ENABLE_DHCP: Schema(BOOLEAN, 'Set to true if DHCP is enabled and '
                            'false if DHCP is disabled.', default=True,
                            update_allowed=True),
        ALLOCATION_POOLS: Schema(LIST, 'The start and end addresses for the '
                                 'allocation pools.',
                                 schema=_string_map(start=1, end=1),
                                 update_allowed=True),
        TENANT_ID: Schema(STRING, 'The ID of the tenant who owns the '
                          'network.'),
        HOST_ROUTES: Schema(LIST, schema=_string_map(destination=1,
                                                     nexthop=1),
                            update_allowed=True),
        IPV6_RA_MODE: Schema(STRING, 'IPv6 RA (Router Advertisement) mode.',
                             constraints=[constr.AllowedValues(IPV6_MODES)]),
        IPV6_ADDRESS_MODE: Schema(STRING, 'IPv6 address mode.',
                                  constraints=[constr.AllowedValues(
                                      IPV6_MODES)]),
    }

    attributes_schema = {
        'name': 'Friendly name of the subnet.',
        'network_id': 'Parent network of the subnet.',
        'tenant_id': 'Tenant owning the subnet.',
        'allocation_pools': 'Ip allocation pools and their ranges.',
        'gateway_ip': "Ip of the subnet's gateway.",
        'host_routes': 'Additional routes for this subnet.',
        'ip_version': 'Ip version for the subnet.',
        'cidr': 'CIDR block notation for this subnet.',
        'dns_nameservers': 'List of dns nameservers.',
        'enable_dhcp': "'true' if DHCP is enabled for this subnet; 'false' "
                       "otherwise.",
    }
    attribute_types = {name: 'list' if name in (
        'allocation_pools', 'host_routes', 'dns_nameservers') else 'string'
        for name in attributes_schema}

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        refuse_not_implemented(props, NOT_IMPLEMENTED, 'OS::Neutron::Subnet')
        props = dict(props)
        if props.get(NETWORK_ID) is not None and props.get(NETWORK) is None:
            props[NETWORK] = props.pop(NETWORK_ID)
        return props

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        super().check_properties(resource_name, props)
        if props.get(CIDR) is None:
            raise StackValidationFailed(
                'At least one of the following properties must be specified:'
                ' subnetpool, cidr.')
        ra, address = props.get(IPV6_RA_MODE), props.get(IPV6_ADDRESS_MODE)
        if props.get(IP_VERSION) == 4 and (ra or address):
            raise StackValidationFailed('ipv6_ra_mode and ipv6_address_mode '
                                        'are not supported for ipv4.')
        if ra and address and ra != address:
            raise StackValidationFailed('When both ipv6_ra_mode and '
                                        'ipv6_address_mode are set, they must '
                                        'be equal.')
        _check_address(props.get(CIDR), ipaddress.ip_network,
                       "Error validating value '%s': Invalid net cidr")
        gateway = props.get(GATEWAY_IP)
        if gateway not in (None, '', '~'):
            _check_address(gateway, ipaddress.ip_address,
                           'Gateway IP address "%s" is in invalid format.')

    def create_body(self) -> dict:
        body = self.body(self.properties)
        body.pop(NETWORK_ID, None)
        network = body.pop(NETWORK)
        body['network_id'] = self.find_id('network', network, NETWORK)
        return _null_gateway(body)

    def update_body(self, prop_diff: dict) -> dict:
        body = super().update_body(prop_diff)
        if ALLOCATION_POOLS in body and body[ALLOCATION_POOLS] is None:
            body[ALLOCATION_POOLS] = []
        return _null_gateway(body)


def _null_gateway(body: dict) -> dict:
    """A gateway of '' or '~' means none, which Neutron spells null."""
    if body.get(GATEWAY_IP) in ('', '~'):
        body[GATEWAY_IP] = None
    return body


def _check_address(value, parse, message: str) -> None:
    if value is None or contains_unresolved(value):
        return
    try:
        parse(str(value), strict=False) if parse is ipaddress.ip_network \
            else parse(str(value))
    except ValueError:
        raise StackValidationFailed(message % value)
