"""convergence-all behind the local cloud's Keystone: the cloud's demo user
is who its token says, and nobody else gets in.

``[paste_deploy] flavor = keystone`` with ``[keystone_authtoken]`` of the
cloud (local_cloud.LocalCloud.authtoken); requests carry tokens the cloud's
Keystone issued.  (test_keystone covers the policy through
python-openstackclient on a Keystone of its own.)
"""

import json
import urllib.error
import urllib.request

import testtools

from functional_tests.cloud import local_cloud
from functional_tests import server


class CloudKeystoneAuthTest(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud = local_cloud.get()
        cls.server = server.ServerFixture(sections={
            'paste_deploy': {'flavor': 'keystone'},
            'keystone_authtoken': cls.cloud.authtoken()})
        cls.server.setUp()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanUp()
        super().tearDownClass()

    def get(self, path: str, token: str | None = None):
        """(status, JSON body) of GET ``path`` on convergence-all."""
        headers = {'Accept': 'application/json'}
        if token:
            headers['X-Auth-Token'] = token
        request = urllib.request.Request(self.server.base_url + path,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b'null')
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b'null')

    def demo(self):
        """(token, project id) of the cloud's demo user."""
        session = self.cloud.demo.session()
        return session.get_token(), session.get_project_id()

    def test_the_demo_user_lists_its_project_s_stacks(self):
        token, project = self.demo()
        status, body = self.get('/v1/%s/stacks' % project, token)
        self.assertEqual((200, []), (status, body['stacks']))

    def test_no_token_or_a_forged_one_is_refused_401(self):
        _, project = self.demo()
        self.assertEqual(401, self.get('/v1/%s/stacks' % project)[0])
        self.assertEqual(401, self.get('/v1/%s/stacks' % project,
                                       'forged-token')[0])

    def test_the_demo_user_cannot_list_the_admin_project_403(self):
        token, _ = self.demo()
        admin_project = self.cloud.admin.session().get_project_id()
        status, body = self.get('/v1/%s/stacks' % admin_project, token)
        self.assertEqual((403, 'HTTPForbidden'),
                         (status, body['error']['type']))
