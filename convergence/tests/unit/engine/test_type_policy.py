"""Heat's resource_types:<type> policies (engine/type_policy.py)."""

import os

import fixtures
from oslo_config import cfg
import testtools

from convergence import exceptions
from convergence.engine import type_policy
from convergence.rpc import context as rpc_context


def context(*roles) -> rpc_context.RequestContext:
    return rpc_context.RequestContext(project_id='p', user_id='u',
                                      roles=list(roles))


class TypePolicyTest(testtools.TestCase):

    def policy(self, policy_text: str | None = None) -> type_policy.TypePolicy:
        conf = cfg.ConfigOpts()
        args = []
        if policy_text is not None:
            directory = self.useFixture(fixtures.TempDir()).path
            path = os.path.join(directory, 'policy.yaml')
            with open(path, 'w') as policy_file:
                policy_file.write(policy_text)
            conf_path = os.path.join(directory, 'convergence.conf')
            with open(conf_path, 'w') as conf_file:
                conf_file.write('[oslo_policy]\npolicy_file = %s\n' % path)
            args = ['--config-file', conf_path]
        conf(args, project='convergence')
        return type_policy.TypePolicy(conf)

    def test_the_keystone_types_and_flavors_are_for_a_project_admin(self):
        policy = self.policy()
        member, admin = context('member', 'reader'), context('admin')
        for name in ('OS::Keystone::User', 'OS::Keystone::Domain',
                     'OS::Nova::Flavor'):
            self.assertEqual((False, True), (policy.allowed(member, name),
                                             policy.allowed(admin, name)))
        self.assertTrue(policy.allowed(member, 'OS::Nova::Server'))
        error = self.assertRaises(exceptions.Forbidden, type_policy.check,
                                  policy.enforcer.conf, member,
                                  ['OS::Heat::Value', 'OS::Keystone::Role'])
        self.assertEqual('You are not authorized to use OS::Keystone::Role.',
                         str(error))

    def test_an_operators_policy_file_overrides_the_defaults(self):
        policy = self.policy('"resource_types:OS::Keystone::*": ""\n'
                             '"resource_types:OS::Nova::Flavor": "role:x"\n'
                             '"resource_types:OS::Heat::Value": "role:x"\n')
        member = context('member')
        self.assertTrue(policy.allowed(member, 'OS::Keystone::User'))
        self.assertFalse(policy.allowed(member, 'OS::Nova::Flavor'))
        self.assertTrue(policy.allowed(context('x'), 'OS::Nova::Flavor'))
        # As Heat 27 (is_registered_policy): a rule no default registers
        # is not enforced.
        self.assertTrue(policy.allowed(member, 'OS::Heat::Value'))

    def test_one_policy_per_configuration(self):
        conf = cfg.ConfigOpts()
        conf([], project='convergence')
        self.assertIs(type_policy.of(conf), type_policy.of(conf))
