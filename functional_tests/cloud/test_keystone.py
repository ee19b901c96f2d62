"""convergence-all behind a real Keystone, driven by python-openstackclient.

One Keystone (functional_tests/cloud/keystone.py) and one convergence-all
with ``[paste_deploy] flavor = keystone`` for the class; the orchestration
endpoint is in Keystone's catalog, as in a cloud, so ``openstack stack ...``
finds it.  Users: alice (member of project A), carol (reader of A), bob
(member of project B).
"""

import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request

import testtools

from functional_tests import cli
from functional_tests.cloud import credentials
from functional_tests.cloud import keystone
from functional_tests import server

PASSWORD = 'conv-k-user'
TEMPLATE = '''heat_template_version: 2018-08-31
resources:
  word: {type: OS::Heat::RandomString, properties: {length: 8}}
outputs:
  length: {value: {get_attr: [word, value]}}
'''


class KeystoneAuthTest(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            keystone.ensure_venv()
        except keystone.KeystoneUnavailable as err:
            raise testtools.TestCase.skipException(str(err))
        cls.keystone = keystone.KeystoneFixture()
        cls.keystone.setUp()
        try:
            cls._make_users()
            cls.server = server.ServerFixture(sections={
                'paste_deploy': {'flavor': 'keystone'},
                'keystone_authtoken': credentials.authtoken_options(
                    credentials.Credentials(cls.keystone.auth_url, 'admin',
                                            keystone.ADMIN_PASSWORD,
                                            'admin'))})
            cls.server.setUp()
            cls._register_endpoint()
        except Exception:
            cls.keystone.cleanUp()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanUp()
        cls.keystone.cleanUp()
        super().tearDownClass()

    @classmethod
    def _make_users(cls):
        from keystoneclient.v3 import client
        ks = client.Client(session=cls.keystone.admin_session())
        cls.ks = ks
        roles = {role.name: role for role in ks.roles.list()}
        cls.projects = {}
        for name, (project, role) in {'alice': ('conv-k-a', 'member'),
                                      'carol': ('conv-k-a', 'reader'),
                                      'bob': ('conv-k-b', 'member')}.items():
            if project not in cls.projects:
                cls.projects[project] = ks.projects.create(project, 'default')
            user = ks.users.create(name, domain='default', password=PASSWORD)
            ks.roles.grant(roles[role], user=user,
                           project=cls.projects[project])

    @classmethod
    def _register_endpoint(cls):
        service = cls.ks.services.create('heat', type='orchestration')
        cls.ks.endpoints.create(
            service, '%s/v1/%%(tenant_id)s' % cls.server.base_url,
            interface='public', region=keystone.REGION)

    def openstack(self, user: str, *args: str, check: bool = True):
        project = {'alice': 'conv-k-a', 'carol': 'conv-k-a',
                   'bob': 'conv-k-b'}[user]
        env = dict(os.environ, OS_AUTH_URL=self.keystone.auth_url,
                   OS_USERNAME=user, OS_PASSWORD=PASSWORD,
                   OS_PROJECT_NAME=project, OS_USER_DOMAIN_NAME='Default',
                   OS_PROJECT_DOMAIN_NAME='Default',
                   OS_REGION_NAME=keystone.REGION, OS_IDENTITY_API_VERSION='3')
        result = subprocess.run([cli.openstack_command()] + list(args),
                                capture_output=True, text=True, env=env,
                                timeout=cli.CLI_TIMEOUT)
        if check and result.returncode != 0:
            self.fail('openstack %s as %s exited %s:\n%s%s' % (
                ' '.join(args), user, result.returncode, result.stdout,
                result.stderr))
        return result

    def token(self, user: str) -> str:
        from keystoneauth1.identity import v3
        from keystoneauth1 import session
        project = 'conv-k-b' if user == 'bob' else 'conv-k-a'
        return session.Session(auth=v3.Password(
            auth_url=self.keystone.auth_url, username=user, password=PASSWORD,
            project_name=project, user_domain_id='default',
            project_domain_id='default')).get_token()

    def get(self, path: str, token: str | None = None):
        """(status, JSON body) of GET path on convergence-all."""
        req = urllib.request.Request(self.server.base_url + path, headers=dict(
            {'Accept': 'application/json'},
            **({'X-Auth-Token': token} if token else {})))
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b'null')
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b'null')

    def create(self, user: str, name: str, check: bool = True):
        with tempfile.NamedTemporaryFile('w', suffix='.yaml') as tmpl:
            tmpl.write(TEMPLATE)
            tmpl.flush()
            return self.openstack(user, 'stack', 'create', '--wait', '-t',
                                  tmpl.name, name, check=check)

    def test_a_member_creates_lists_and_shows_with_its_token(self):
        self.create('alice', 'k-alice-1')
        listed = json.loads(self.openstack(
            'alice', 'stack', 'list', '-f', 'json').stdout)
        self.assertIn('k-alice-1', [s['Stack Name'] for s in listed])
        shown = json.loads(self.openstack(
            'alice', 'stack', 'show', 'k-alice-1', '-f', 'json').stdout)
        self.assertEqual(('CREATE_COMPLETE', self.projects['conv-k-a'].id),
                         (shown['stack_status'], shown['parameters'][
                             'OS::project_id']))

    def test_no_token_or_a_bad_one_is_refused_401(self):
        path = '/v1/%s/stacks' % self.projects['conv-k-a'].id
        self.assertEqual(401, self.get(path)[0])
        self.assertEqual(401, self.get(path, 'not-a-token')[0])

    def test_a_member_of_another_project_gets_403_or_404(self):
        self.create('alice', 'k-alice-2')
        status, body = self.get(
            '/v1/%s/stacks' % self.projects['conv-k-a'].id, self.token('bob'))
        self.assertEqual((403, 'HTTPForbidden'),
                         (status, body['error']['type']))
        # Through its own project's URL the stack is not there at all.
        result = self.openstack('bob', 'stack', 'show', 'k-alice-2',
                                check=False)
        self.assertNotEqual(0, result.returncode)
        self.assertIn('Stack not found: k-alice-2', result.stderr)
        listed = json.loads(self.openstack(
            'bob', 'stack', 'list', '-f', 'json').stdout)
        self.assertNotIn('k-alice-2', [s['Stack Name'] for s in listed])

    def test_a_reader_can_look_but_not_create(self):
        self.create('alice', 'k-alice-3')
        listed = json.loads(self.openstack(
            'carol', 'stack', 'list', '-f', 'json').stdout)
        self.assertIn('k-alice-3', [s['Stack Name'] for s in listed])
        result = self.create('carol', 'k-carol-1', check=False)
        self.assertNotEqual(0, result.returncode)
        self.assertIn('You are not authorized to use stacks:create',
                      result.stderr)
