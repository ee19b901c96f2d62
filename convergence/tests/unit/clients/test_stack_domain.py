"""The stack user domain: its options checked at start-up, the tree's
project made once even when two resources race, users and keypairs on
the in-memory twin, the tree's project deleted with its credentials."""

import os
import tempfile

from oslo_config import cfg
import testtools

from convergence import config
from convergence.clients import clouds
from convergence.clients import memory
from convergence.clients import memory_stack_domain
from convergence.clients import stack_domain
from convergence.clients import stack_users


def _conf(trustee: bool = False, **options) -> cfg.ConfigOpts:
    conf = config.register(cfg.ConfigOpts())
    lines = ['[DEFAULT]'] + ['%s = %s' % item for item in options.items()]
    if trustee:
        lines += ['[trustee]', 'auth_type = password',
                  'auth_url = http://keystone:5000', 'username = heat',
                  'password = p', 'user_domain_name = Default']
    with tempfile.NamedTemporaryFile('w', suffix='.conf',
                                     delete=False) as f:
        f.write('\n'.join(lines) + '\n')
    try:
        conf(['--config-file', f.name], project='convergence',
             default_config_files=[])
    finally:
        os.unlink(f.name)
    return conf


class SettingsTest(testtools.TestCase):

    def test_no_domain_asks_for_no_stack_users(self):
        self.assertIsNone(stack_domain.settings(_conf()))
        self.assertIsNone(clouds.CloudClients(_conf(), None).domain)

    def test_a_domain_without_its_admin_is_refused_with_heats_words(self):
        error = self.assertRaises(
            stack_domain.StackDomainConfigError, stack_domain.settings,
            _conf(stack_user_domain_name='heat',
                  stack_domain_admin='heat_domain_admin'))
        self.assertIn('cannot specify "stack_user_domain_id" or '
                      '"stack_user_domain_name" without "stack_domain_admin" '
                      'and "stack_domain_admin_password"', str(error))

    def test_a_domain_without_the_engines_keystone_is_refused(self):
        error = self.assertRaises(
            stack_domain.StackDomainConfigError, clouds.CloudClients,
            _conf(stack_user_domain_id='d', stack_domain_admin='a',
                  stack_domain_admin_password='p'), None)
        self.assertIn('stack_user_domain_id is set, but stack domain users '
                      'need the engine\'s Keystone: [trustee] auth_type is '
                      'not set', str(error))

    def test_a_complete_domain_authenticates_at_the_trustees_keystone(self):
        domain = stack_domain.settings(_conf(
            stack_user_domain_name='heat', stack_domain_admin='a',
            stack_domain_admin_password='p', trustee=True))
        self.assertEqual(('heat', None, 'a', 'http://keystone:5000/v3',
                          'heat_stack_user'),
                         (domain.domain_name, domain.domain_id, domain.admin,
                          domain.auth_url, domain.user_role))


class _Recorded:
    def __init__(self):
        self.value = None

    def get(self):
        return self.value

    def set_if_unset(self, project_id):
        if self.value is None:
            self.value = project_id
        return self.value


class _Racing(_Recorded):
    """Another resource of the tree records its project between this
    one's read and its compare-and-swap."""

    def __init__(self, winner: str):
        super().__init__()
        self.winner = winner

    def set_if_unset(self, project_id):
        self.value = self.value or self.winner
        return self.value


class StackUsersTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.domain = memory_stack_domain.InMemoryStackDomain()

    def users(self, project) -> stack_users.StackUsers:
        return stack_users.StackUsers(self.domain, project, 'tenant', 'st')

    def test_the_tree_gets_one_project_and_users_in_it(self):
        users = self.users(_Recorded())
        first = users.create_user('r1', 'pw1')
        second = users.create_user('r2', 'pw2')
        [project_id] = self.domain.projects
        self.assertEqual('tenant-st', self.domain.projects[project_id][
            'name'])
        for user_id in (first, second):
            self.assertEqual(project_id, self.domain.users[user_id][
                'default_project_id'])
        token = users.user_token(first, 'pw1')
        self.assertEqual(['heat_stack_user'],
                         self.domain.tokens[token]['roles'])
        users.set_enabled(first, False)
        self.assertRaises(Exception, users.user_token, first, 'pw1')

    def test_the_loser_of_a_race_drops_its_project(self):
        winner = self.domain.create_project('tenant', 'st')
        users = self.users(_Racing(winner))
        self.assertEqual(winner, users.project_id())
        self.assertEqual([winner], list(self.domain.projects))

    def test_keypairs_and_users_go(self):
        users = self.users(_Recorded())
        user_id = users.create_user('r', 'pw')
        keypair = users.create_keypair(user_id)
        self.assertEqual({'id', 'access', 'secret'}, set(keypair))
        users.delete_keypair(user_id, keypair['id'])
        self.assertEqual({}, self.domain.credentials)
        users.delete_user(user_id)
        users.delete_user(user_id)   # gone already: no error
        self.assertEqual({}, self.domain.users)

    def test_a_project_of_another_domain_is_never_deleted(self):
        self.domain.projects['other'] = {'id': 'other',
                                         'domain_id': 'default'}
        stack_users.delete_tree_project(self.domain, 'other', 'st')
        self.assertIn('other', self.domain.projects)


class TreeProjectOnCredentialsTest(testtools.TestCase):

    def test_the_roots_delete_deletes_the_trees_project(self):
        domain = memory_stack_domain.InMemoryStackDomain()
        found = memory.InMemoryClouds(domain=domain)

        class Ctxt:
            auth_token, user_id, roles = 'tok', 'alice', ['member']
        stack = {'id': 'st', 'name': 's', 'tenant': 'tenant',
                 'user_creds_id': found.stack_creds_create(Ctxt(), 'st')}
        users = found.stack_users(stack)
        users.create_user('r', 'pw')
        self.assertEqual(list(domain.projects),
                         [found.stack_user_project(stack)])
        found.stack_creds_delete(stack)
        self.assertEqual({}, domain.projects)

    def test_without_a_domain_stack_users_are_unavailable_by_name(self):
        from convergence.clients import errors
        found = memory.InMemoryClouds()
        error = self.assertRaises(errors.CloudUnavailable,
                                  found.stack_users, {'user_creds_id': 'x'})
        self.assertIn('no stack user domain is configured', str(error))
