"""What the cloud stack tests share: one keystone-mode convergence-all for
the class, acting for a member of a project the fixture makes on the cloud
of ``local_cloud.get()``, and our REST API called with the member's
token."""

import time

import requests
import testtools

from functional_tests.cloud import local_cloud
from functional_tests import server

STACK_TIMEOUT = 180


class ProjectServer:
    """For a test class: the cloud of ``local_cloud.get()`` (our own under
    ``tox -e functional-cloud``, or ``CONV_CLOUD_OPENRC``'s), a
    ``local_cloud.ProjectUsers`` (``cls.users``) and a keystone-mode
    convergence-all (``cls.server``) validating the cloud's tokens with
    ``[keystone_authtoken]`` (token caching off, so a revoked token is
    refused at once) and acting with ``[trustee]`` the fixture's trustee."""

    users_prefix = 'conv-test'
    # The user's roles in its project (admin too for the admin-only types).
    users_roles: tuple = ('member',)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud = local_cloud.get()
        cls.users = local_cloud.ProjectUsers(cls.cloud, cls.users_prefix,
                                             cls.users_roles)
        cls.users.setUp()
        try:
            cls.server = cls.make_server({
                'paste_deploy': {'flavor': 'keystone'},
                'keystone_authtoken': dict(cls.cloud.authtoken(),
                                           token_cache_time=-1),
                'trustee': cls.users.trustee_options()})
            cls.server.setUp()
        except Exception:
            cls.users.cleanUp()
            raise

    @classmethod
    def make_server(cls, sections: dict):
        """The fixture serving the class's API in keystone mode with
        ``sections``: one convergence-all."""
        return server.ServerFixture(config=cls.server_options(),
                                    sections=sections)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.cleanUp()
        finally:
            cls.users.cleanUp()
        super().tearDownClass()

    @classmethod
    def server_options(cls) -> dict:
        """[DEFAULT] options of the class's convergence-all."""
        return {}

    def url(self, path: str) -> str:
        return '%s/v1/%s%s' % (self.server.base_url, self.users.project.id,
                               path)


class CloudStackTest(ProjectServer, testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.member = self.users.user_connection()
        self.addDetail('server-log', _lazy_log(self.server))

    def call(self, method: str, path: str, body: dict | None = None):
        response = requests.request(
            method, self.url(path), json=body, timeout=60, headers={
                'X-Auth-Token': self.users.token(),
                'Accept': 'application/json'})
        return response.status_code, (response.json() if response.content
                                      else None)

    def create(self, name: str, tmpl: dict) -> str:
        status, body = self.call('POST', '/stacks', {
            'stack_name': name, 'template': tmpl, 'parameters': {}})
        self.assertEqual(201, status, body)
        return body['stack']['id']

    def update(self, name: str, stack_id: str, tmpl: dict) -> None:
        status, body = self.call('PUT', '/stacks/%s/%s' % (name, stack_id),
                                 {'template': tmpl, 'parameters': {}})
        self.assertEqual(202, status, body)

    def delete(self, name: str, stack_id: str) -> None:
        status, body = self.call('DELETE',
                                 '/stacks/%s/%s' % (name, stack_id))
        self.assertEqual(204, status, body)
        self.wait(name, stack_id, 'DELETE_COMPLETE')

    def check(self, name: str, stack_id: str) -> None:
        status, body = self.call('POST', '/stacks/%s/%s/actions' % (
            name, stack_id), {'check': None})
        self.assertEqual(200, status, body)

    def checked(self, name: str, stack_id: str) -> dict:
        """Run a stack check; the stack once it has its verdict."""
        self.check(name, stack_id)
        deadline = time.monotonic() + STACK_TIMEOUT
        while time.monotonic() < deadline:
            stack = self.stack(name, stack_id)
            if stack['stack_status'] in ('CHECK_COMPLETE', 'CHECK_FAILED'):
                return stack
            time.sleep(0.5)
        self.fail('%s: no check verdict' % name)

    def stack(self, name: str, stack_id: str) -> dict | None:
        status, body = self.call('GET', '/stacks/%s/%s' % (name, stack_id))
        return None if status == 404 else body['stack']

    def wait(self, name: str, stack_id: str, status: str,
             timeout: float = STACK_TIMEOUT) -> dict:
        """The stack once in ``status``; a FAILED status other than the
        one waited for fails the test with its reason, and so does a
        stack still elsewhere after ``timeout`` seconds, with what each
        of its resources is doing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            stack = self.stack(name, stack_id)
            if stack is None or stack['stack_status'] == status:
                return stack
            if stack['stack_status'].endswith('FAILED'):
                self.fail('%s: %s' % (stack['stack_status'],
                                      stack['stack_status_reason']))
            time.sleep(0.5)
        self.fail('%s did not reach %s in %d s: %s; resources %s' % (
            name, status, timeout, stack['stack_status'], {
                n: (r['resource_status'], r['resource_status_reason'])
                for n, r in self.resources(name, stack_id).items()}))

    def settled(self, name: str, stack_id: str) -> dict:
        """The stack once no longer IN_PROGRESS (FAILED included)."""
        deadline = time.monotonic() + STACK_TIMEOUT
        while time.monotonic() < deadline:
            stack = self.stack(name, stack_id)
            if not stack['stack_status'].endswith('IN_PROGRESS'):
                return stack
            time.sleep(0.5)
        self.fail('%s stayed in progress' % name)

    def resources(self, name: str, stack_id: str) -> dict:
        """Resource name -> the resource as our API lists it."""
        status, body = self.call('GET', '/stacks/%s/%s/resources' % (
            name, stack_id))
        self.assertEqual(200, status, body)
        return {r['resource_name']: r for r in body['resources']}

    def ids(self, name: str, stack_id: str) -> dict:
        return {n: r['physical_resource_id']
                for n, r in self.resources(name, stack_id).items()}


def _lazy_log(fixture):
    from testtools import content
    return content.Content(content.UTF8_TEXT,
                           lambda: [fixture.log_tail(20000).encode()])
