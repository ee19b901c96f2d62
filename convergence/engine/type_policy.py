"""Which resource types a caller may use: Heat 27's ``resource_types:<type>``
policies (its ResourceEnforcer).

A type is allowed unless the rule of its name, or of its namespace's
wildcard (``resource_types:OS::Keystone::*`` for ``OS::Keystone::User``),
denies the caller; a type no rule names is allowed.  The defaults are
Heat's: the Keystone types, OS::Nova::Flavor and the other admin types of
Heat's list (``ADMIN_TYPES``) are for a project's admin.  A create,
update, preview or validation using a denied type is refused 403 (``You
are not authorized to use OS::Keystone::User.``) before anything is
stored; the type list leaves it out and its schema or template is
refused.  Operators override the rules
in ``[oslo_policy] policy_file`` as for the API's.
"""

import threading

from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from convergence import exceptions
from convergence.api import policy as api_policy

PREFIX = 'resource_types:'
_ADMIN = 'rule:project_admin'

# Heat 27's registered rules, every one for a project's admin.  Most name
# types we do not have: a non-admin is refused them 403 as by Heat, before
# validation says the type does not exist.
ADMIN_TYPES = (
    'OS::Nova::Flavor', 'OS::Cinder::EncryptedVolumeType',
    'OS::Cinder::VolumeType', 'OS::Cinder::Quota', 'OS::Neutron::Quota',
    'OS::Nova::Quota', 'OS::Octavia::Quota', 'OS::Manila::ShareType',
    'OS::Neutron::ProviderNet', 'OS::Neutron::QoSPolicy',
    'OS::Neutron::QoSBandwidthLimitRule', 'OS::Neutron::QoSDscpMarkingRule',
    'OS::Neutron::QoSMinimumBandwidthRule',
    'OS::Neutron::QoSMinimumPacketRateRule', 'OS::Neutron::Segment',
    'OS::Nova::HostAggregate', 'OS::Cinder::QoSSpecs',
    'OS::Cinder::QoSAssociation', 'OS::Keystone::*', 'OS::Blazar::Host',
    'OS::Octavia::Flavor', 'OS::Octavia::FlavorProfile',
    'OS::Octavia::AvailabilityZone', 'OS::Octavia::AvailabilityZoneProfile')

RULES = [oslo_policy.RuleDefault(PREFIX + type_name, _ADMIN,
                                 scope_types=['project'],
                                 description='Use %s (a project admin).'
                                 % type_name)
         for type_name in ADMIN_TYPES]


# As in Heat only registered rules are enforced (a policy file's other
# ``resource_types:`` entries are not), so these are all that can deny.
RULE_NAMES = frozenset(rule.name for rule in RULES)


def wildcard(type_name: str) -> str:
    """``OS::Keystone::*`` for ``OS::Keystone::User``."""
    return '::'.join(type_name.split('::')[:-1] + ['*'])


def rules_of(type_name: str) -> list[str]:
    """The registered rules that govern ``type_name`` (most are none)."""
    return [PREFIX + name for name in (type_name, wildcard(type_name))
            if PREFIX + name in RULE_NAMES]


class TypePolicy:
    """The resource type rules of one process, on ``conf``'s policy file."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.enforcer = oslo_policy.Enforcer(conf)
        self.enforcer.register_defaults(api_policy.BASE_RULES + RULES)

    def _allows(self, rule: str, credentials: dict) -> bool:
        try:
            return bool(self.enforcer.authorize(rule, {}, credentials,
                                                do_raise=False))
        except oslo_policy.InvalidScope:
            return False

    def allowed(self, ctxt, type_name: str) -> bool:
        credentials = ctxt.to_policy_values()
        return all(self._allows(rule, credentials)
                   for rule in rules_of(type_name))


def allowed(conf: cfg.ConfigOpts, ctxt, type_name: str) -> bool:
    """Whether the caller may use ``type_name`` (no policy is built for a
    type no rule governs)."""
    return not rules_of(type_name) or of(conf).allowed(ctxt, type_name)


def check(conf: cfg.ConfigOpts, ctxt, type_names) -> None:
    """Raise Forbidden naming the first type the caller may not use."""
    for type_name in type_names:
        if not allowed(conf, ctxt, type_name):
            raise exceptions.Forbidden(action=type_name)


def check_definition(conf: cfg.ConfigOpts, ctxt, stack_def) -> None:
    """As ``check``, for the types of a stack's template (a nested stack's
    are checked by its own operation, not the request's)."""
    check(conf, ctxt, [stack_def.resource_definition(name).type
                       for name in stack_def.resource_names()])


_POLICIES: dict[int, tuple] = {}
_LOCK = threading.Lock()


def of(conf: cfg.ConfigOpts) -> TypePolicy:
    """The TypePolicy of ``conf`` (one per configuration and process)."""
    with _LOCK:
        kept = _POLICIES.get(id(conf))
        if kept is None or kept[0] is not conf:
            kept = (conf, TypePolicy(conf))
            _POLICIES[id(conf)] = kept
        return kept[1]
