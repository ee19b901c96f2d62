"""OS::Neutron::Router and OS::Neutron::RouterInterface, with Heat 27's
properties.

A router's ``name``, ``admin_state_up``, ``value_specs`` and
``external_gateway_info`` change in place; a check compares the name, the
state and the gateway with Neutron's (decision 34: a gateway cleared, set
or moved behind the stack's back fails it, and the next update sets the
template's again).  Heat 27's ``l3_agent_ids``,
``distributed``, ``ha``, ``availability_zone_hints`` and ``tags`` are not
implemented and refused by name.  An interface attaches a subnet or a
port to a router; its id is Heat's ``<router>:subnet_id=<subnet>`` (or
``port_id=``); detaching one already gone succeeds, and one removed behind
the stack's back fails a check and is attached again by the next update
(its replacement has the same id).
"""

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.neutron import base
from convergence.resources.neutron.net import refuse_not_implemented
from convergence.resources.properties import BOOLEAN, LIST, MAP, STRING, \
    Schema

NAME, EXTERNAL_GATEWAY, VALUE_SPECS, ADMIN_STATE_UP, TENANT_ID = (
    'name', 'external_gateway_info', 'value_specs', 'admin_state_up',
    'tenant_id')
NOT_IMPLEMENTED = ('l3_agent_id', 'l3_agent_ids', 'distributed', 'ha',
                   'availability_zone_hints', 'tags')
_GATEWAY = Schema(MAP, 'External network gateway configuration for a '
                  'router.', update_allowed=True, schema={
                      'network': Schema(STRING, 'ID or name of the external '
                                        'network for the gateway.',
                                        required=True, update_allowed=True,
                                        constraints=[constr.CustomConstraint(
                                            'neutron.network')]),
                      'enable_snat': Schema(BOOLEAN, 'Enables Source NAT on '
                                            'the router gateway.',
                                            update_allowed=True),
                      'external_fixed_ips': Schema(
                          LIST, 'External fixed IP addresses for the '
                          'gateway.', update_allowed=True, schema=Schema(
                              MAP, schema={
                                  'ip_address': Schema(STRING),
                                  'subnet': Schema(STRING, constraints=[
                                      constr.CustomConstraint(
                                          'neutron.subnet')])})),
                  })


class Router(base.NeutronResource):
    """A router."""

    entity = 'router'
    observes = ('name', 'admin_state_up')

    properties_schema = {
        NAME: Schema(STRING, 'The name of the router.', update_allowed=True),
        EXTERNAL_GATEWAY: _GATEWAY,
        VALUE_SPECS: base.value_specs_schema(
            'Extra parameters to include in the creation request.'),
        ADMIN_STATE_UP: Schema(BOOLEAN, 'The administrative state of the '
                               'router.', default=True, update_allowed=True),
        TENANT_ID: Schema(STRING, 'The ID of the tenant which will own the '
                          'router.'),
    }
    attributes_schema = {
        'status': 'The status of the router.',
        'external_gateway_info': 'Gateway network for the router.',
        'name': 'Friendly name of the router.',
        'admin_state_up': 'Administrative state of the router.',
        'tenant_id': 'Tenant owning the router.',
    }
    attribute_types = {'external_gateway_info': 'map'}

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        refuse_not_implemented(props, NOT_IMPLEMENTED, 'OS::Neutron::Router')
        return props

    def _gateway(self, gateway: dict | None) -> dict | None:
        """Heat's gateway body: the network by id, the fixed IPs' subnets
        by id, unset keys left out."""
        if not gateway:
            return None
        body = {'network_id': self.find_id('network', gateway['network'],
                                           EXTERNAL_GATEWAY)}
        if gateway.get('enable_snat') is not None:
            body['enable_snat'] = gateway['enable_snat']
        fixed = []
        for ip in gateway.get('external_fixed_ips') or ():
            entry = {}
            if ip.get('subnet'):
                entry['subnet_id'] = self.find_id('subnet', ip['subnet'],
                                                  EXTERNAL_GATEWAY)
            if ip.get('ip_address'):
                entry['ip_address'] = ip['ip_address']
            fixed.append(entry)
        if fixed:
            body['external_fixed_ips'] = fixed
        return body

    def create_body(self) -> dict:
        body = self.body(self.properties)
        gateway = self._gateway(body.pop(EXTERNAL_GATEWAY, None))
        if gateway:
            body[EXTERNAL_GATEWAY] = gateway
        return body

    def update_body(self, prop_diff: dict) -> dict:
        body = super().update_body(prop_diff)
        if EXTERNAL_GATEWAY in body:
            body[EXTERNAL_GATEWAY] = self._gateway(body[EXTERNAL_GATEWAY]) \
                or {}
        return body

    # --- reality (live_state) ---

    def expected_live(self) -> dict:
        """Beside the name and state: the gateway as Neutron takes it
        (none when the template gives none)."""
        expected = super().expected_live()
        expected[EXTERNAL_GATEWAY] = gateway_words(
            self._gateway(self.properties.get(EXTERNAL_GATEWAY)))
        return expected

    def live_properties(self, shown: dict) -> dict:
        live = super().live_properties(shown)
        asked = self.expected_live()[EXTERNAL_GATEWAY] or {}
        live[EXTERNAL_GATEWAY] = gateway_words(
            shown.get(EXTERNAL_GATEWAY) or None, asked)
        return live


def gateway_words(gateway: dict | None, asked: dict | None = None
                  ) -> dict | None:
    """A gateway body (Neutron's or the template's, by ids) in the
    property's words.  With ``asked`` (the template's, in these words),
    Neutron's is told in the keys the template gives: SNAT only when it
    asks, each external fixed IP it asks in its keys, then the others."""
    if not gateway:
        return None
    words = {'network': gateway.get('network_id')}
    if asked is None or 'enable_snat' in asked:
        if gateway.get('enable_snat') is not None:
            words['enable_snat'] = gateway['enable_snat']
    fixed = [{k: v for k, v in (('subnet', f.get('subnet_id')),
                                ('ip_address', f.get('ip_address'))) if v}
             for f in gateway.get('external_fixed_ips') or ()]
    if asked is None:
        if fixed:
            words['external_fixed_ips'] = fixed
        return words
    wanted = asked.get('external_fixed_ips')
    if wanted:
        told = []
        for entry in wanted:
            match = next((f for f in fixed if all(
                f.get(k) == v for k, v in entry.items())), None)
            if match is not None:
                fixed.remove(match)
                told.append({k: match[k] for k in entry})
        words['external_fixed_ips'] = told + fixed
    return words


ROUTER, ROUTER_ID, SUBNET, SUBNET_ID, PORT, PORT_ID = (
    'router', 'router_id', 'subnet', 'subnet_id', 'port', 'port_id')


class RouterInterface(base.NeutronResource):
    """A subnet or port attached to a router (any change replaces it)."""

    entity = 'router_interface'
    support_version = '2014.1'

    properties_schema = {
        ROUTER: Schema(STRING, 'The router.', required=True, constraints=[
            constr.CustomConstraint('neutron.router')]),
        ROUTER_ID: Schema(STRING, hidden=True),
        SUBNET: Schema(STRING, 'The subnet, either subnet or port should be '
                       'specified.', constraints=[
                           constr.CustomConstraint('neutron.subnet')]),
        SUBNET_ID: Schema(STRING, hidden=True),
        PORT: Schema(STRING, 'The port, either subnet or port should be '
                     'specified.', constraints=[
                         constr.CustomConstraint('neutron.port')]),
        PORT_ID: Schema(STRING, hidden=True),
    }
    attributes_schema = {}

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        props = dict(props)
        for hidden, shown in ((ROUTER_ID, ROUTER), (SUBNET_ID, SUBNET),
                              (PORT_ID, PORT)):
            if props.get(hidden) is not None and props.get(shown) is None:
                props[shown] = props.pop(hidden)
        return props

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        subnet, port = props.get(SUBNET), props.get(PORT)
        if subnet is not None and port is not None:
            raise StackValidationFailed('Cannot define the following '
                                        'properties at the same time: '
                                        'subnet, port')
        if subnet is None and port is None:
            raise StackValidationFailed('At least one of the following '
                                        'properties must be specified: '
                                        'subnet, port.')

    def handle_create(self):
        router = self.find_id('router', self.properties[ROUTER], ROUTER)
        if self.properties.get(SUBNET) is not None:
            key, value = SUBNET_ID, self.find_id(
                'subnet', self.properties[SUBNET], SUBNET)
        else:
            key, value = PORT_ID, self.find_id('port', self.properties[PORT],
                                               PORT)
        self.network().router_interface(router, True, **{key: value})
        self.resource_id_set('%s:%s=%s' % (router, key, value))

    def check_create_complete(self, token) -> bool:
        return True

    def _parts(self) -> tuple[str, str, str]:
        router, _, attached = self.resource_id.partition(':')
        key, _, value = attached.partition('=')
        return router, key, value

    def handle_delete(self):
        if self.resource_id is None:
            return None
        router, key, value = self._parts()
        self.network().router_interface(router, False, **{key: value})
        return None

    def check_delete_complete(self, token) -> bool:
        return True

    def handle_check(self):
        router, key, value = self._parts()
        ports = [p for p in self.network().list(
            'port', {'device_id': router}) if any(
                f.get('subnet_id') == value for f in p.get('fixed_ips', ()))
            or p.get('id') == value]
        if not ports:
            raise errors.NotFound('Router interface %s could not be found.'
                                  % self.resource_id, 404)

    def _resolve_attribute(self, name: str) -> object:
        return None

    def get_attribute(self, name: str) -> object:
        if name == 'show':
            return None
        return super().get_attribute(name)
