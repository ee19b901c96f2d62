"""Who may call which route: oslo.policy with Heat's rule names and defaults.

The names are heat-api's (``<scope>:<handler>``, e.g. ``stacks:create``) so a
policy file written for Heat applies here unchanged.  Each rule's default is
a persona: *reader* (``role:reader`` in the project), *member*
(``role:member`` in the project), *admin*, or *reader or stack user* for the
routes a server's in-instance agent calls.  Before ``[oslo_policy]
enforce_new_defaults`` each rule's deprecated default (``not
role:heat_stack_user`` for almost all) is also accepted, as oslo.policy does
for every rule that names one.  Every rule is project scoped, checked when
``enforce_scope`` is set.
"""

from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from convergence import exceptions

# Base rules other rules (and operators' policy files) refer to.
BASE_RULES = [
    oslo_policy.RuleDefault(
        'context_is_admin', '(role:admin and is_admin_project:True)',
        description='Who is admin: a request context with is_admin set.'),
    oslo_policy.RuleDefault('project_admin', 'role:admin',
                            description='A project admin.'),
    oslo_policy.RuleDefault('deny_stack_user', 'not role:heat_stack_user',
                            description='Anybody but a stack domain user.'),
    oslo_policy.RuleDefault('deny_everybody', '!',
                            description='Nobody.'),
    oslo_policy.RuleDefault('allow_everybody', '',
                            description='Everybody.'),
]

_IN_PROJECT = ' and project_id:%(project_id)s'
READER = 'role:reader' + _IN_PROJECT
MEMBER = 'role:member' + _IN_PROJECT
ADMIN = 'role:admin' + _IN_PROJECT
READER_OR_STACK_USER = '(%s) or (role:heat_stack_user%s)' % (
    READER, _IN_PROJECT)

# persona -> (default, the deprecated default it replaced)
PERSONAS = {
    'reader': (READER, 'rule:deny_stack_user'),
    'member': (MEMBER, 'rule:deny_stack_user'),
    'admin': (ADMIN, 'rule:context_is_admin'),
    'reader_or_stack_user': (READER_OR_STACK_USER, 'rule:allow_everybody'),
}

# rule name -> persona, for every route of the v1 API (api/app.py).
ROUTE_RULES = {
    'actions:snapshot': 'member',
    'actions:suspend': 'member',
    'actions:resume': 'member',
    'actions:check': 'reader',
    'actions:cancel_update': 'member',
    'actions:cancel_without_rollback': 'member',
    'build_info:build_info': 'reader',
    'events:index': 'reader',
    'events:show': 'reader',
    'resource:index': 'reader',
    'resource:metadata': 'reader_or_stack_user',
    'resource:signal': 'reader_or_stack_user',
    'resource:mark_unhealthy': 'member',
    'resource:show': 'reader',
    'service:index': 'admin',
    'stacks:abandon': 'member',
    'stacks:create': 'member',
    'stacks:delete': 'member',
    'stacks:detail': 'reader',
    'stacks:export': 'member',
    'stacks:generate_template': 'member',
    'stacks:index': 'reader',
    'stacks:list_resource_types': 'reader',
    'stacks:list_template_versions': 'reader',
    'stacks:list_template_functions': 'reader',
    'stacks:lookup': 'reader_or_stack_user',
    'stacks:preview': 'reader',
    'stacks:resource_schema': 'reader',
    'stacks:show': 'reader',
    'stacks:template': 'reader',
    'stacks:environment': 'reader',
    'stacks:files': 'reader',
    'stacks:update': 'member',
    'stacks:update_patch': 'member',
    'stacks:preview_update': 'member',
    'stacks:preview_update_patch': 'member',
    'stacks:validate_template': 'member',
    'stacks:snapshot': 'member',
    'stacks:show_snapshot': 'reader',
    'stacks:delete_snapshot': 'member',
    'stacks:list_snapshots': 'reader',
    'stacks:restore_snapshot': 'member',
    'stacks:list_outputs': 'reader',
    'stacks:show_output': 'reader',
    'software_configs:index': 'reader',
    'software_configs:create': 'member',
    'software_configs:show': 'reader',
    'software_configs:delete': 'member',
    'software_deployments:index': 'reader',
    'software_deployments:create': 'member',
    'software_deployments:show': 'reader',
    'software_deployments:update': 'member',
    'software_deployments:delete': 'member',
    'software_deployments:metadata': 'reader_or_stack_user',
}

# Rules with a plain default and nothing deprecated.
OTHER_RULES = [
    # Listing every project's stacks (GET /stacks?global_tenant=true).
    oslo_policy.RuleDefault('stacks:global_index', 'rule:deny_everybody',
                            description='List the stacks of all projects.'),
    oslo_policy.RuleDefault('software_configs:global_index',
                            'rule:deny_everybody',
                            description='List the software configs of all '
                                        'projects.'),
]

_DEPRECATED_SINCE = 'W'
_DEPRECATED_REASON = ('Heat moved to the reader/member/admin personas of '
                      'Keystone.')


def _route_rule(name: str, persona: str) -> oslo_policy.RuleDefault:
    default, deprecated = PERSONAS[persona]
    return oslo_policy.RuleDefault(
        name, default, scope_types=['project'],
        description='%s (%s).' % (name, persona.replace('_', ' ')),
        deprecated_rule=oslo_policy.DeprecatedRule(
            name, deprecated, deprecated_reason=_DEPRECATED_REASON,
            deprecated_since=_DEPRECATED_SINCE))


def list_rules() -> list[oslo_policy.RuleDefault]:
    """Every registered default (also for oslopolicy-sample-generator)."""
    return (BASE_RULES + OTHER_RULES
            + [_route_rule(name, persona)
               for name, persona in ROUTE_RULES.items()])


class Policy:
    """The enforcer of one API process: defaults plus ``[oslo_policy]
    policy_file`` overrides, raising Heat's Forbidden on a denial."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        # Heat's default_rule: a rule nobody registered allows nobody.
        self.enforcer = oslo_policy.Enforcer(conf, default_rule='!')
        self.enforcer.register_defaults(list_rules())
        # Every route rule has a deprecated default; Heat silences these too.
        self.enforcer.suppress_deprecation_warnings = True

    def is_admin(self, ctx) -> bool:
        """Whether ``context_is_admin`` holds for the caller."""
        return bool(self.enforcer.authorize(
            'context_is_admin', {}, ctx.to_policy_values(), do_raise=False))

    def authorize(self, ctx, rule: str, project_id: str | None) -> None:
        """Raise Forbidden unless ``rule`` allows ``ctx`` on ``project_id``."""
        target = {'project_id': project_id}
        try:
            allowed = self.enforcer.authorize(rule, target,
                                              ctx.to_policy_values(),
                                              do_raise=False)
        except oslo_policy.InvalidScope:
            allowed = False
        if not allowed:
            raise exceptions.Forbidden(action=rule)
