"""Stack domain users on a real Keystone, with a real agent (decision 23).

A stack user domain of the test's own (a domain, its admin) and a
convergence-all configured with it.  In ``AgentAsStackUsersTest`` the
convergence-all is the catalog's ``orchestration`` service for the class,
so run that under the shared catalog lock:

    flock /tmp/convergence-cloud-catalog.lock \\
        .venv/bin/python -m stestr --test-path ./functional_tests run \\
        test_stack_users

A wait condition handle's ``curl_cli``, run on this host as a guest's
user_data would, signals as the handle's stack user (a Keystone token of
it, at the URL of the tree's domain project).  In the other class a
member creates a fake-Nova server with ``user_data_format:
SOFTWARE_CONFIG`` and ``software_config_transport: POLL_SERVER_HEAT``,
and a script deployment to it signalling with HEAT_SIGNAL.  There is no
guest, so the test does what the guest's cloud-init would: it reads the
server's user_data from Nova (as the admin), takes the os-collect-config
settings the cfn-init-data part carries and runs os-collect-config with
them on this host.  The agent polls ``resource metadata`` through our API
as the server's stack domain user and signals as the deployment's; the
stack completes with the script's output, and its delete removes the
users and the tree's domain project from Keystone.
"""

import base64
import email
import json
import subprocess
import time
import uuid

import fixtures

from functional_tests import agents
from functional_tests.cloud import identity
from functional_tests.cloud import stacks

IMAGE, FLAVOR, NETWORK = 'tiny', 'm1.tiny', 'private'
SCRIPT = '#!/bin/sh\necho "made by $(id -un)" > $heat_outputs_path.result\n'


def template() -> dict:
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'server': {'type': 'OS::Nova::Server', 'properties': {
                'image': IMAGE, 'flavor': FLAVOR,
                'networks': [{'network': NETWORK}],
                'user_data_format': 'SOFTWARE_CONFIG',
                'software_config_transport': 'POLL_SERVER_HEAT'}},
            'config': {'type': 'OS::Heat::SoftwareConfig', 'properties': {
                'group': 'script', 'config': SCRIPT,
                'outputs': [{'name': 'result'}]}},
            'deploy': {'type': 'OS::Heat::SoftwareDeployment', 'properties': {
                'config': {'get_resource': 'config'},
                'server': {'get_resource': 'server'},
                'signal_transport': 'HEAT_SIGNAL'}}},
        'outputs': {'result': {'value': {'get_attr': ['deploy',
                                                      'result']}}}}


def wait_template() -> dict:
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'handle': {'type': 'OS::Heat::WaitConditionHandle'},
            'wait': {'type': 'OS::Heat::WaitCondition', 'properties': {
                'handle': {'get_resource': 'handle'}, 'count': 2,
                'timeout': 300}}},
        'outputs': {
            'curl_cli': {'value': {'get_attr': ['handle', 'curl_cli']}},
            'data': {'value': {'get_attr': ['wait', 'data']}}}}


class StackDomain(fixtures.Fixture):
    """A domain and its admin (admin role on the domain), made as the
    cloud's admin and deleted with everything in it."""

    def __init__(self, cloud):
        super().__init__()
        self.cloud = cloud

    def _setUp(self):
        registry = identity.keystone_registry(self.cloud.admin.session())
        ks = registry.ks
        name = 'conv-sdu-%s' % uuid.uuid4().hex[:8]
        self.password = uuid.uuid4().hex
        self.domain = ks.domains.create(name)
        self.addCleanup(ks.domains.delete, self.domain)
        self.addCleanup(ks.domains.update, self.domain, enabled=False)
        self.admin = ks.users.create(name + '-admin', domain=self.domain,
                                     password=self.password)
        ks.roles.grant(registry.role('admin'), user=self.admin,
                       domain=self.domain)
        # Shared with upstream Heat's runs: found or made, never deleted.
        registry.role('heat_stack_user')
        self.ks = ks

    def options(self) -> dict:
        return {'stack_user_domain_id': self.domain.id,
                'stack_domain_admin': self.admin.name,
                'stack_domain_admin_password': self.password}

    def projects(self) -> list:
        return [p for p in self.ks.projects.list(domain=self.domain)]

    def users(self) -> list:
        return [u for u in self.ks.users.list(domain=self.domain)
                if u.id != self.admin.id]


class StackDomainServer(stacks.CloudStackTest):
    """A stack user domain of the class's own, configured in its
    convergence-all (no tests of its own)."""

    users_prefix = 'conv-sdu'

    @classmethod
    def setUpClass(cls):
        from functional_tests.cloud import local_cloud
        cls.stack_domain = StackDomain(local_cloud.get())
        cls.stack_domain.setUp()
        try:
            super().setUpClass()
        except Exception:
            cls.stack_domain.cleanUp()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.stack_domain.cleanUp()

    @classmethod
    def server_options(cls) -> dict:
        return cls.stack_domain.options()


class HandleAsStackUserTest(StackDomainServer):

    def test_a_handles_curl_cli_signals_as_its_stack_user(self):
        """test_os_wait_condition's signals, sent from this host (there is
        no guest): the handle's curl_cli carries a Keystone token of its
        stack user and the URL of the tree's domain project."""
        stack_id = self.create('sdu-wc', wait_template())
        deadline = time.monotonic() + stacks.STACK_TIMEOUT
        curl_cli = None
        while curl_cli is None and time.monotonic() < deadline:
            shown = self.stack('sdu-wc', stack_id)
            curl_cli = {o['output_key']: o.get('output_value')
                        for o in shown.get('outputs') or ()}.get('curl_cli')
            time.sleep(1)
        [project] = self.stack_domain.projects()
        self.assertIn('/v1/%s/stacks/' % project.id, curl_cli)
        for body in ('{"status": "SUCCESS", "id": "1", "data": "one"}',
                     '{"status": "SUCCESS", "id": "2", "data": "two"}'):
            done = subprocess.run(curl_cli + " -sS --data-binary '%s'" % body,
                                  shell=True, capture_output=True, text=True,
                                  timeout=60)
            self.assertIn('200 OK', done.stdout, done.stdout + done.stderr)
        shown = self.wait('sdu-wc', stack_id, 'CREATE_COMPLETE')
        data = {o['output_key']: o['output_value']
                for o in shown['outputs']}['data']
        self.assertEqual({'1': 'one', '2': 'two'}, json.loads(data))
        self.delete('sdu-wc', stack_id)
        self.assertEqual(([], []), (self.stack_domain.users(),
                                    self.stack_domain.projects()))


class AgentAsStackUsersTest(StackDomainServer):
    """The class's convergence-all is the catalog's orchestration service
    (the stack users' agent finds it there): under the catalog lock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.service = identity.add_service(
                cls.cloud.admin.session(), 'convergence', 'orchestration',
                cls.server.base_url + '/v1/$(project_id)s')
        except Exception:
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            identity.remove_service(cls.cloud.admin.session(), cls.service)
        finally:
            super().tearDownClass()

    def boot_metadata(self, server_id: str) -> dict:
        """The cfn-init-data part of the server's user_data, as Nova
        holds it (what the guest's part handler would write)."""
        admin = self.cloud.connection('admin')
        shown = admin.compute.get(
            '/servers/%s' % server_id,
            microversion='2.3').json()['server']
        message = email.message_from_string(base64.b64decode(
            shown['OS-EXT-SRV-ATTR:user_data']).decode())
        [data] = [part.get_payload() for part in message.get_payload()
                  if part.get_filename() == 'cfn-init-data']
        return json.loads(data)

    def wait_for_server(self, name: str, stack_id: str) -> str:
        deadline = time.monotonic() + stacks.STACK_TIMEOUT
        while time.monotonic() < deadline:
            server = self.resources(name, stack_id).get('server', {})
            if server.get('resource_status') == 'COMPLETE' or \
                    server.get('resource_status') == 'CREATE_COMPLETE':
                return server['physical_resource_id']
            if server.get('resource_status', '').endswith('FAILED'):
                self.fail(server.get('resource_status_reason'))
            time.sleep(1)
        self.fail('the server was not made')

    def test_the_agent_polls_and_signals_as_its_stack_users(self):
        stack_id = self.create('sdu', template())
        server_id = self.wait_for_server('sdu', stack_id)
        occ = self.boot_metadata(server_id)['os-collect-config']
        self.assertEqual(['ec2', 'heat'], occ['collectors'])
        [project] = self.stack_domain.projects()
        self.assertEqual(project.id, occ['heat']['project_id'])
        self.useFixture(agents.Agent(None, heat=occ['heat']))

        shown = self.wait('sdu', stack_id, 'CREATE_COMPLETE')
        [result] = [o['output_value'] for o in shown['outputs']]
        self.assertTrue(result.startswith('made by '), result)
        users = {u.name: u for u in self.stack_domain.users()}
        self.assertEqual(2, len(users), users)   # the server, the deployment
        for user in users.values():
            self.assertEqual(project.id, user.default_project_id)

        self.delete('sdu', stack_id)
        self.assertEqual(([], []), (self.stack_domain.users(),
                                    self.stack_domain.projects()))
