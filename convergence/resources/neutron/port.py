"""OS::Neutron::Port: a port of a network, with Heat 27's properties.

``network`` (or the hidden ``network_id``), each fixed IP's ``subnet`` (or
``subnet_id``) and ``security_groups`` take names or ids, looked up when the
port is made or updated.  A change to ``network`` or ``mac_address`` (or any
change with ``replacement_policy: REPLACE_ALWAYS``) replaces the port; the
rest change in place.  As Heat, a port about to be replaced gives up its
fixed IPs (remembered in its data as ``port_fip``) so that its replacement
can take the same addresses, and a rollback to it gives them back.  A
check compares its name, state, MAC, fixed IPs and security groups with
what Neutron holds (``live_state``).  Heat 27's other port properties
(``qos_policy``, ``dns_name``, ``binding:profile``, ``no_fixed_ips``,
``tags``, ``propagate_uplink_status``) are not implemented and refused by
name.
"""

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.neutron import base
from convergence.resources.neutron.net import refuse_not_implemented
from convergence.resources.properties import BOOLEAN, LIST, MAP, STRING, \
    Schema

(NAME, NETWORK_ID, NETWORK, FIXED_IPS, SECURITY_GROUPS, REPLACEMENT_POLICY,
 DEVICE_ID, DEVICE_OWNER, VALUE_SPECS, ADMIN_STATE_UP, MAC_ADDRESS,
 ALLOWED_ADDRESS_PAIRS, VNIC_TYPE, PORT_SECURITY_ENABLED) = (
    'name', 'network_id', 'network', 'fixed_ips', 'security_groups',
    'replacement_policy', 'device_id', 'device_owner', 'value_specs',
    'admin_state_up', 'mac_address', 'allowed_address_pairs',
    'binding:vnic_type', 'port_security_enabled')
SUBNET_ID, SUBNET, IP_ADDRESS = 'subnet_id', 'subnet', 'ip_address'
# The data key of the fixed IPs a port gave up for its replacement.
RELEASED_FIXED_IPS = 'port_fip'
NOT_IMPLEMENTED = ('qos_policy', 'dns_name', 'binding:profile',
                   'no_fixed_ips', 'tags', 'propagate_uplink_status')

_FIXED_IP = Schema(MAP, schema={
    SUBNET_ID: Schema(STRING, hidden=True, constraints=[
        constr.CustomConstraint('neutron.subnet')]),
    SUBNET: Schema(STRING, 'Subnet in which to allocate the IP address for '
                   'this port.', constraints=[
                       constr.CustomConstraint('neutron.subnet')]),
    IP_ADDRESS: Schema(STRING, 'IP address desired in the subnet for this '
                       'port.'),
})
_ADDRESS_PAIR = Schema(MAP, schema={
    'mac_address': Schema(STRING, 'MAC address to allow through this port.'),
    'ip_address': Schema(STRING, 'IP address to allow through this port.',
                         required=True),
})


class Port(base.NeutronResource):
    """A port: an attachment point of a network."""

    entity = 'port'
    observes = ('name', 'admin_state_up', 'mac_address',
                'port_security_enabled', 'binding:vnic_type')

    properties_schema = {
        NAME: Schema(STRING, 'A symbolic name for this port.',
                     update_allowed=True),
        NETWORK_ID: Schema(STRING, hidden=True, constraints=[
            constr.CustomConstraint('neutron.network')]),
        NETWORK: Schema(STRING, 'Network this port belongs to.',
                        required=True, constraints=[
                            constr.CustomConstraint('neutron.network')]),
        DEVICE_ID: Schema(STRING, 'Device ID of this port.',
                          update_allowed=True),
        DEVICE_OWNER: Schema(STRING, 'Name of the network owning the port.',
                             update_allowed=True),
        FIXED_IPS: Schema(LIST, 'Desired IPs for this port.', default=[],
                          schema=_FIXED_IP, update_allowed=True),
        SECURITY_GROUPS: Schema(LIST, 'Security group IDs to associate with '
                                'this port.', update_allowed=True),
        REPLACEMENT_POLICY: Schema(
            STRING, 'Policy on how to respond to a stack-update for this '
            'resource.', default='AUTO', update_allowed=True,
            constraints=[constr.AllowedValues(['REPLACE_ALWAYS', 'AUTO'])]),
        VALUE_SPECS: base.value_specs_schema(
            'Extra parameters to include in the request.'),
        ADMIN_STATE_UP: Schema(BOOLEAN, 'The administrative state of this '
                               'port.', default=True, update_allowed=True),
        MAC_ADDRESS: Schema(STRING, 'MAC address to give to this port.'),
        ALLOWED_ADDRESS_PAIRS: Schema(
            LIST, 'Additional MAC/IP address pairs allowed to pass through '
            'the port.', schema=_ADDRESS_PAIR, update_allowed=True),
        VNIC_TYPE: Schema(STRING, 'The vnic type to be bound on the neutron '
                          'port.', update_allowed=True, constraints=[
                              constr.AllowedValues([
                                  'normal', 'direct', 'macvtap',
                                  'direct-physical', 'baremetal',
                                  'virtio-forwarder', 'smart-nic'])]),
        PORT_SECURITY_ENABLED: Schema(BOOLEAN, 'Flag to enable/disable port '
                                      'security on the port.',
                                      update_allowed=True),
    }

    attributes_schema = {
        'admin_state_up': 'The administrative state of this port.',
        'device_id': 'Unique identifier for the device.',
        'device_owner': 'Name of the network owning the port.',
        'fixed_ips': 'Fixed IP addresses.',
        'mac_address': 'MAC address of the port.',
        'name': 'Friendly name of the port.',
        'network_id': 'Unique identifier for the network owning the port.',
        'security_groups': 'A list of security groups for the port.',
        'status': 'The status of the port.',
        'tenant_id': 'Tenant owning the port.',
        'allowed_address_pairs': 'Additional MAC/IP address pairs allowed to '
                                 'pass through a port.',
        'subnets': 'A list of all subnet attributes for the port.',
        'port_security_enabled': 'Port security enabled of the port.',
    }
    attribute_types = {name: 'list' if name in (
        'fixed_ips', 'security_groups', 'allowed_address_pairs', 'subnets')
        else 'string' for name in attributes_schema}
    attribute_types['port_security_enabled'] = 'boolean'

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        refuse_not_implemented(props, NOT_IMPLEMENTED, 'OS::Neutron::Port')
        props = dict(props)
        if props.get(NETWORK_ID) is not None and props.get(NETWORK) is None:
            props[NETWORK] = props.pop(NETWORK_ID)
        fixed = props.get(FIXED_IPS)
        if isinstance(fixed, list):
            props[FIXED_IPS] = [_subnet_named(f) for f in fixed]
        return props

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        super().check_properties(resource_name, props)
        for pair in props.get(ALLOWED_ADDRESS_PAIRS) or ():
            if isinstance(pair, dict) and pair.get('ip_address') == '':
                raise StackValidationFailed(
                    'Property error: resources.%s.properties.'
                    'allowed_address_pairs: ip_address may not be empty'
                    % resource_name)

    def needs_replace_with_prop_diff(self, changed, after, before) -> bool:
        return after.get(REPLACEMENT_POLICY) == 'REPLACE_ALWAYS'

    def create_body(self) -> dict:
        body = self.body(self.properties)
        body.pop(NETWORK_ID, None)
        body['network_id'] = self.find_id('network', body.pop(NETWORK),
                                          NETWORK)
        return self._port_body(body, for_update=False)

    def update_body(self, prop_diff: dict) -> dict:
        body = super().update_body(prop_diff)
        return self._port_body(body, for_update=True)

    def _port_body(self, body: dict, for_update: bool) -> dict:
        """Heat's _prepare_port_properties: subnets and security groups by
        id, no empty MACs or fixed IPs, no replacement_policy."""
        body.pop(REPLACEMENT_POLICY, None)
        if FIXED_IPS in body:
            body[FIXED_IPS] = [self._fixed_ip(f) for f in body[FIXED_IPS]]
            if not body[FIXED_IPS] and not for_update:
                del body[FIXED_IPS]
        for pair in body.get(ALLOWED_ADDRESS_PAIRS) or ():
            if pair.get('mac_address') is None:
                pair.pop('mac_address', None)
        if body.get(SECURITY_GROUPS) is not None:
            body[SECURITY_GROUPS] = [
                self.find_id('security_group', group, SECURITY_GROUPS)
                for group in body[SECURITY_GROUPS]]
        elif for_update and SECURITY_GROUPS in body:
            # Removed from the template: back to the project's default.
            body[SECURITY_GROUPS] = [self.find_id(
                'security_group', 'default', SECURITY_GROUPS)]
        return body

    def _fixed_ip(self, fixed: dict) -> dict:
        fixed = {k: v for k, v in fixed.items() if v is not None}
        if fixed.get(SUBNET):
            fixed[SUBNET_ID] = self.find_id('subnet', fixed.pop(SUBNET),
                                            FIXED_IPS)
        return fixed

    # --- reality (live_state) ---

    def expected_live(self) -> dict:
        """Beside the observed fields: the fixed IPs the template gives
        (subnets by id) and its security groups (by id)."""
        expected = super().expected_live()
        fixed = self.properties.get(FIXED_IPS)
        if fixed:
            expected[FIXED_IPS] = [self._fixed_ip(dict(f)) for f in fixed]
        groups = self.properties.get(SECURITY_GROUPS)
        if groups is not None:
            expected[SECURITY_GROUPS] = sorted(
                self.find_id('security_group', group, SECURITY_GROUPS)
                for group in groups)
        return expected

    def live_properties(self, shown: dict) -> dict:
        """Neutron's fixed IPs, each one the template asks told in the
        keys it uses (a subnet asked without an address matches any
        address on it), then any others Neutron holds."""
        live = super().live_properties(shown)
        left = list(shown.get(FIXED_IPS) or ())
        told = []
        for wanted in self.expected_live().get(FIXED_IPS, ()):
            match = next((f for f in left if all(
                f.get(k) == v for k, v in wanted.items())), None)
            if match is not None:
                left.remove(match)
                told.append({k: match[k] for k in wanted})
        live[FIXED_IPS] = told + left
        live[SECURITY_GROUPS] = sorted(shown.get(SECURITY_GROUPS) or ())
        return live

    # --- replacement ---

    def prepare_for_replace(self) -> None:
        """Heat's: the fixed IPs are remembered and released, so that the
        replacement can be given the same addresses."""
        port = self.show_resource()
        if port is None:
            return
        self.data_set(RELEASED_FIXED_IPS, port.get(FIXED_IPS) or [])
        self.network().update('port', self.resource_id, {FIXED_IPS: []})

    def restore_after_rollback(self, replacement_id: str | None) -> None:
        """Heat's restore_prev_rsrc: a rollback to this port takes the
        addresses back from its replacement."""
        if replacement_id:
            try:
                self.network().update('port', replacement_id,
                                      {FIXED_IPS: []})
            except errors.NotFound:
                pass
        released = self.data_get(RELEASED_FIXED_IPS)
        if released and self.resource_id:
            self.network().update('port', self.resource_id,
                                  {FIXED_IPS: released})
            self.data_delete(RELEASED_FIXED_IPS)

    def _resolve_attribute(self, name: str) -> object:
        if name != 'subnets':
            return super()._resolve_attribute(name)
        port = self._attributes() or {}
        return [self.network().show('subnet', fixed['subnet_id'])
                for fixed in port.get(FIXED_IPS) or ()]


def _subnet_named(fixed):
    """Heat's translation of a fixed IP's hidden subnet_id to subnet."""
    if not isinstance(fixed, dict) or fixed.get(SUBNET_ID) is None:
        return fixed
    fixed = dict(fixed)
    subnet_id = fixed.pop(SUBNET_ID)
    fixed.setdefault(SUBNET, subnet_id)
    if fixed[SUBNET] is None:
        fixed[SUBNET] = subnet_id
    return fixed
