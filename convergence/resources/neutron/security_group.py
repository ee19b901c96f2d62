"""OS::Neutron::SecurityGroup and OS::Neutron::SecurityGroupRule, with Heat
27's properties.

A group's ``rules`` are made with it and, on an update, reconciled with
what Neutron holds (stale rules deleted, missing ones made; without an
egress rule Neutron's default egress rules are kept); ``name``,
``description``, ``rules`` and ``stateful`` change in place.  A rule is
its own resource and is replaced on any change.
"""

from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.neutron import base
from convergence.resources.properties import BOOLEAN, INTEGER, LIST, MAP, \
    STRING, Schema

NAME, DESCRIPTION, RULES, STATEFUL = ('name', 'description', 'rules',
                                      'stateful')
(DIRECTION, ETHERTYPE, PORT_RANGE_MIN, PORT_RANGE_MAX, PROTOCOL, REMOTE_MODE,
 REMOTE_GROUP_ID, REMOTE_IP_PREFIX) = (
    'direction', 'ethertype', 'port_range_min', 'port_range_max', 'protocol',
    'remote_mode', 'remote_group_id', 'remote_ip_prefix')
PROTOCOL_NAMES = ['ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'icmpv6',
                  'igmp', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp',
                  'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm',
                  'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp']
PROTOCOLS = [str(n) for n in range(256)] + PROTOCOL_NAMES
DEFAULT_EGRESS = [{DIRECTION: 'egress', ETHERTYPE: 'IPv4'},
                  {DIRECTION: 'egress', ETHERTYPE: 'IPv6'}]
# What makes two rules the same rule (Heat's _COMPARABLE_RULE_KEYS).
RULE_KEYS = (DIRECTION, ETHERTYPE, PROTOCOL, PORT_RANGE_MIN, PORT_RANGE_MAX,
             REMOTE_GROUP_ID, REMOTE_IP_PREFIX, 'security_group_id')


def _direction(default='ingress'):
    return Schema(STRING, 'The direction in which the security group rule '
                  'is applied.', default=default,
                  constraints=[constr.AllowedValues(['ingress', 'egress'])])


def _port(which: str) -> Schema:
    return Schema(INTEGER, 'The %s port number in the range that is matched '
                  'by the security group rule.' % which,
                  constraints=[constr.Range(0, 65535)])


_RULE = Schema(MAP, schema={
    DIRECTION: _direction(),
    ETHERTYPE: Schema(STRING, 'Ethertype of the traffic.', default='IPv4',
                      constraints=[constr.AllowedValues(['IPv4', 'IPv6'])]),
    PORT_RANGE_MIN: _port('minimum'),
    PORT_RANGE_MAX: _port('maximum'),
    PROTOCOL: Schema(STRING, 'The protocol that is matched by the security '
                     'group rule.',
                     constraints=[constr.AllowedValues(PROTOCOLS)]),
    REMOTE_MODE: Schema(STRING, 'Whether to specify a remote group or a '
                        'remote IP prefix.', default='remote_ip_prefix',
                        constraints=[constr.AllowedValues(
                            ['remote_ip_prefix', 'remote_group_id'])]),
    REMOTE_GROUP_ID: Schema(STRING, 'The remote group ID to be associated '
                            'with this security group rule.', constraints=[
                                constr.CustomConstraint(
                                    'neutron.security_group')]),
    REMOTE_IP_PREFIX: Schema(STRING, 'The remote IP prefix (CIDR) to be '
                             'associated with this security group rule.'),
    DESCRIPTION: Schema(STRING, 'Description of the security group rule.'),
})


def _rule_key(rule: dict) -> tuple:
    return tuple(None if rule.get(k) is None else str(rule.get(k))
                 for k in RULE_KEYS)


class SecurityGroup(base.NeutronResource):
    """A security group with its rules."""

    entity = 'security_group'
    observes = ('name', 'description')

    properties_schema = {
        NAME: Schema(STRING, 'A string specifying a symbolic name for the '
                     'security group, which is not required to be unique.',
                     update_allowed=True),
        DESCRIPTION: Schema(STRING, 'Description of the security group.',
                            update_allowed=True),
        RULES: Schema(LIST, 'List of security group rules.', default=[],
                      schema=_RULE, update_allowed=True),
        STATEFUL: Schema(BOOLEAN, 'Whether to create this security group as '
                         'stateful or stateless.', update_allowed=True),
    }
    attributes_schema = {}

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        if props.get(NAME) == 'default':
            raise StackValidationFailed('Security groups cannot be assigned '
                                        'the name "default".')

    def create_body(self) -> dict:
        body = self.body(self.properties)
        body.pop(RULES, None)
        return body

    def handle_create(self):
        made = super().handle_create()
        self._create_rules(self.properties.get(RULES) or [])
        return made

    def _format(self, rule: dict) -> dict:
        """Heat's _format_rule: the rule as Neutron takes it."""
        rule = {k: v for k, v in rule.items() if v is not None}
        rule['security_group_id'] = self.resource_id
        mode = rule.pop(REMOTE_MODE, None)
        if mode == REMOTE_GROUP_ID:
            rule.pop(REMOTE_IP_PREFIX, None)
            rule.setdefault(REMOTE_GROUP_ID, self.resource_id)
        elif mode is not None:
            rule.pop(REMOTE_GROUP_ID, None)
        return rule

    def _create_rules(self, rules: list) -> None:
        if any(r.get(DIRECTION) == 'egress' for r in rules):
            self._delete_rules(lambda rule: rule[DIRECTION] == 'egress')
        for rule in rules:
            self.network().create('security_group_rule', self._format(rule))

    def _current_rules(self) -> list:
        group = self.show_resource() or {}
        return group.get('security_group_rules') or []

    def _delete_rules(self, chosen=lambda rule: True) -> None:
        for rule in self._current_rules():
            if chosen(rule):
                self.network().delete('security_group_rule', rule['id'])

    def handle_update(self, new_properties: dict, prop_diff: dict):
        diff = dict(prop_diff)
        rules = diff.pop(RULES, None)
        body = self.update_body(diff)
        if body:
            self.network().update(self.entity, self.resource_id, body)
        if RULES in prop_diff:
            self._reconcile(rules or [])
        return body

    def _reconcile(self, rules: list) -> None:
        if not any(r.get(DIRECTION) == 'egress' for r in rules):
            rules = list(rules) + DEFAULT_EGRESS
        wanted = {_rule_key(r): r for r in map(self._format, rules)}
        current = {_rule_key(r): r for r in self._current_rules()}
        for key, rule in current.items():
            if key not in wanted:
                self.network().delete('security_group_rule', rule['id'])
        for key, rule in wanted.items():
            if key not in current:
                self.network().create('security_group_rule', rule)

    def handle_delete(self):
        if self.resource_id is None:
            return None
        self._delete_rules()
        return super().handle_delete()


class SecurityGroupRule(base.NeutronResource):
    """One rule of a security group (any change replaces it)."""

    entity = 'security_group_rule'
    support_version = '7.0.0'

    properties_schema = {
        'security_group': Schema(STRING, 'Security group name or ID to add '
                                 'rule.', required=True, constraints=[
                                     constr.CustomConstraint(
                                         'neutron.security_group')]),
        DESCRIPTION: Schema(STRING, 'Description of the security group '
                            'rule.'),
        DIRECTION: _direction(),
        ETHERTYPE: Schema(STRING, 'Ethertype of the traffic.', default='IPv4',
                          constraints=[constr.AllowedValues(['IPv4',
                                                             'IPv6'])]),
        PORT_RANGE_MIN: _port('minimum'),
        PORT_RANGE_MAX: _port('maximum'),
        PROTOCOL: Schema(STRING, 'The protocol that is matched by the '
                         'security group rule.', default='tcp',
                         constraints=[constr.AllowedValues(PROTOCOLS)]),
        'remote_group': Schema(STRING, 'The remote group name or ID to be '
                               'associated with this security group rule.',
                               constraints=[constr.CustomConstraint(
                                   'neutron.security_group')]),
        REMOTE_IP_PREFIX: Schema(STRING, 'The remote IP prefix (CIDR) to be '
                                 'associated with this security group '
                                 'rule.'),
    }
    attributes_schema = {}

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        if (props.get('remote_group') is not None
                and props.get(REMOTE_IP_PREFIX) is not None):
            raise StackValidationFailed(
                'Cannot define the following properties at the same time: '
                'remote_group, remote_ip_prefix')
        low, high = props.get(PORT_RANGE_MIN), props.get(PORT_RANGE_MAX)
        if (isinstance(low, int) and isinstance(high, int) and high < low
                and props.get(PROTOCOL) not in ('icmp', 'icmpv6',
                                                'ipv6-icmp')):
            raise StackValidationFailed('The minimum port number must be '
                                        'less than or equal to the maximum '
                                        'port number.')

    def create_body(self) -> dict:
        body = {k: v for k, v in self.properties.items() if v is not None}
        body['security_group_id'] = self.find_id(
            'security_group', body.pop('security_group'), 'security_group')
        if 'remote_group' in body:
            body['remote_group_id'] = self.find_id(
                'security_group', body.pop('remote_group'), 'remote_group')
        return body
