"""Stock heat-api behind the cloud's Keystone in front of our engines.

Upstream heat-api 27.0.1 (functional_tests/stock_heat_api.py, Heat's
default pipeline: auth_token against the cloud's Keystone, Heat's default
policies) and two convergence-engines on MariaDB share a RabbitMQ vhost
(functional_tests/deployment.py, ``front='heat-api'``); no heat-engine.
Two projects of the cloud, each with a member user who authenticates with
its password (a keystoneauth password session per call): A's member makes,
lists, updates and deletes a Net+Subnet+Port stack through heat-api, and
what Neutron holds is checked as that member; B's member can neither see
nor change it (the isolation walk of test_isolation, in small).  Skipped
without the Heat venv.
"""

import time

import testtools

from functional_tests.cloud import local_cloud
from functional_tests.cloud import test_neutron_stacks
from functional_tests import deployment
from functional_tests import stock_heat_api

STACK_TIMEOUT = 180


@testtools.skipIf(stock_heat_api.unavailable_reason(),
                  stock_heat_api.unavailable_reason())
class StockHeatApiKeystoneTest(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud = local_cloud.get()
        cls.owner = local_cloud.ProjectUsers(cls.cloud, 'sha-a')
        cls.outsider = local_cloud.ProjectUsers(cls.cloud, 'sha-b')
        cls.deployment = None
        authtoken = dict(cls.cloud.authtoken(), token_cache_time=-1)
        try:
            cls.owner.setUp()
            cls.outsider.setUp()
            # our engines (and our API beside heat-api) as ProjectServer's
            cls.deployment = deployment.Deployment(
                backend='mariadb', engines=stock_heat_api.ENGINES,
                front='heat-api', heat_api_keystone=authtoken, sections={
                    'paste_deploy': {'flavor': 'keystone'},
                    'keystone_authtoken': authtoken,
                    'trustee': cls.owner.trustee_options()})
            cls.deployment.setUp()
        except Exception:
            cls._clean_up()
            raise

    @classmethod
    def tearDownClass(cls):
        cls._clean_up()
        super().tearDownClass()

    @classmethod
    def _clean_up(cls):
        for fixture in (cls.deployment, cls.outsider, cls.owner):
            if fixture is None:
                continue
            try:
                fixture.cleanUp()
            except Exception:  # one failed clean-up must not keep the rest
                pass

    def setUp(self):
        super().setUp()
        self.owner_session = self.owner.member.session()
        self.outsider_session = self.outsider.member.session()

    # --- heat-api, as a user who logs in with its password ---

    def call(self, session, method: str, path: str, body=None,
             project: str | None = None):
        """(status, JSON body) of ``method`` on heat-api's ``path`` in
        ``project`` (the session's own by default)."""
        project = project or session.get_project_id()
        resp = session.request(
            '%s/v1/%s%s' % (self.deployment.heat_api_base_url, project,
                            path), method, json=body, raise_exc=False,
            redirect=False, headers={'Accept': 'application/json'})
        return resp.status_code, (resp.json() if resp.content else None)

    def wait(self, path: str, status: str) -> dict:
        deadline = time.monotonic() + STACK_TIMEOUT
        while time.monotonic() < deadline:
            code, body = self.call(self.owner_session, 'GET', path)
            if code == 404 and status == 'DELETE_COMPLETE':
                return {}
            stack = body['stack']
            if stack['stack_status'] == status:
                return stack
            if stack['stack_status'].endswith('FAILED'):
                self.fail('%s: %s' % (stack['stack_status'],
                                      stack['stack_status_reason']))
            time.sleep(1)
        self.fail('%s did not reach %s' % (path, status))

    def test_a_cloud_stack_through_heat_api_with_keystone(self):
        name = 'sha-net-%s' % self.owner.project.id[:6]
        code, body = self.call(self.owner_session, 'POST', '/stacks', {
            'stack_name': name, 'template': test_neutron_stacks.template(
                cidr='10.72.0.0/24')})
        self.assertEqual(201, code, body)
        path = '/stacks/%s/%s' % (name, body['stack']['id'])
        self.wait(path, 'CREATE_COMPLETE')
        neutron = self.owner.user_connection().network
        port_id = self._resource_id(path, 'port')
        self.assertEqual('p1', neutron.get_port(port_id).name)
        listed = self.call(self.owner_session, 'GET', '/stacks')[1]['stacks']
        self.assertEqual([name], [s['stack_name'] for s in listed])

        self._outsider_is_refused(name, path)

        code, body = self.call(self.owner_session, 'PUT', path, {
            'template': test_neutron_stacks.template(
                port_name='p2', cidr='10.72.0.0/24'), 'parameters': {}})
        self.assertEqual(202, code, body)
        self.wait(path, 'UPDATE_COMPLETE')
        self.assertEqual('p2', neutron.get_port(port_id).name)

        net_id = self._resource_id(path, 'net')
        code, body = self.call(self.owner_session, 'DELETE', path)
        self.assertEqual(204, code, body)
        self.wait(path, 'DELETE_COMPLETE')
        self.assertIsNone(neutron.find_network(net_id))
        self.assertIsNone(neutron.find_port(port_id))

    def _resource_id(self, path: str, name: str) -> str:
        code, body = self.call(self.owner_session, 'GET',
                               path + '/resources/' + name)
        self.assertEqual(200, code, body)
        return body['resource']['physical_resource_id']

    def _outsider_is_refused(self, name: str, path: str) -> None:
        before = self.call(self.owner_session, 'GET', path)
        owner = self.owner.project.id
        wrong = []
        for method, where, body in (
                ('GET', path, None), ('GET', path + '/resources', None),
                ('GET', path + '/events', None),
                ('GET', path + '/template', None),
                ('GET', path + '/outputs', None),
                ('GET', path + '/resources/port', None),
                ('GET', '/stacks/' + name, None),
                ('PUT', path, {'template': {
                    'heat_template_version': '2018-08-31'}}),
                ('POST', path + '/actions', {'suspend': None}),
                ('POST', path + '/resources/port/signal', {}),
                ('DELETE', path, None)):
            for project, expect in ((owner, 403), (None, 404)):
                code, answer = self.call(self.outsider_session, method,
                                         where, body, project)
                if code != expect:
                    wrong.append('%s %s in %s: %s, not %s: %s' % (
                        method, where, project or 'its own project', code,
                        expect, answer))
        # a deployment of its own config in A's project: Heat's InvalidTenant
        # from our engine, which heat-api answers 403 (decision 25)
        code, config = self.call(self.outsider_session, 'POST',
                                 '/software_configs', {
                                     'name': 'theirs', 'group': 'script',
                                     'config': '#!/bin/sh\ntrue\n'})
        self.assertEqual(200, code, config)
        code, answer = self.call(self.outsider_session, 'POST',
                                 '/software_deployments', {
                                     'config_id': config['software_config'][
                                         'id'],
                                     'server_id': self.owner.project.id,
                                     'stack_user_project_id': owner})
        self.assertEqual((403, 'InvalidTenant'),
                         (code, answer['error']['type']), answer)
        code, listed = self.call(self.outsider_session, 'GET', '/stacks')
        self.assertEqual((200, []), (code, listed['stacks']))
        self.assertEqual([], wrong)
        self.assertEqual(before, self.call(self.owner_session, 'GET', path))
