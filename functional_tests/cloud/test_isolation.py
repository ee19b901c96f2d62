"""Tenant isolation with real users: a member of project B can neither see
nor change project A's stacks through any route of our REST API.

Two projects of the cloud's Keystone (``local_cloud.ProjectUsers``), each
with a member user, and one keystone-mode convergence-all
(stacks.ProjectServer, with stack abandon enabled so that abandon is
refused for its tenant, not for the option).  A's member makes a stack
with a nested stack, a wait condition handle (a resource that takes
signals), outputs, events, a snapshot, a software config and deployment on
a DeployedServer (whose agent URLs the engine serves).  B's member then
tries every route of ``convergence.api.app.ROUTES`` on A's things
(functional_tests/cloud/isolation.py builds the requests and the statuses
upstream Heat gives: 403 in A's project URL, 404 in B's own), and what A
sees afterwards is what it saw before.  That the walk covers every route
is a unit test (convergence/tests/unit/api/test_isolation_routes.py).
"""

import json
import time
from urllib import parse

import requests
import testtools

from functional_tests.cloud import isolation
from functional_tests.cloud import local_cloud
from functional_tests.cloud import stacks

INNER = {
    'heat_template_version': '2018-08-31',
    'parameters': {'word': {'type': 'string'}},
    'resources': {'value': {'type': 'OS::Heat::TestResource',
                            'properties': {'value': {'get_param': 'word'}}}},
    'outputs': {'word': {'value': {'get_attr': ['value', 'output']}}}}
OUTER = {
    'heat_template_version': '2018-08-31',
    'parameters': {'word': {'type': 'string', 'default': 'hello'}},
    'resources': {
        'handle': {'type': 'OS::Heat::WaitConditionHandle'},
        'inner': {'type': 'inner.yaml',
                  'properties': {'word': {'get_param': 'word'}}},
        'server': {'type': 'OS::Heat::DeployedServer'},
        'config': {'type': 'OS::Heat::SoftwareConfig',
                   'properties': {'group': 'script',
                                  'config': '#!/bin/sh\necho hi\n'}},
        'deploy': {'type': 'OS::Heat::SoftwareDeployment',
                   'properties': {'config': {'get_resource': 'config'},
                                  'server': {'get_resource': 'server'},
                                  'signal_transport': 'NO_SIGNAL'}}},
    'outputs': {'word': {'value': {'get_attr': ['inner', 'word']}}}}
# Statuses a probe of the victim's own GET routes may get from the victim:
# the route answers (a lookup redirects; services are for admins).
VICTIM_ANSWERS = {('catalog', 'list_services'): 403}


class TenantIsolationTest(stacks.ProjectServer, testtools.TestCase):

    users_prefix = 'iso-a'

    @classmethod
    def server_options(cls) -> dict:
        return {'enable_stack_abandon': True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = local_cloud.ProjectUsers(cls.cloud, 'iso-b')
        try:
            cls.outsider.setUp()
            cls.victim_token = cls.users.token()
            cls.outsider_token = cls.outsider.token()
            cls.victim = cls._make_victim()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.outsider.cleanUp()
        finally:
            super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.addDetail('server-log', stacks._lazy_log(self.server))

    # --- requests -------------------------------------------------------

    @classmethod
    def send(cls, token: str, method: str, path: str,
             body=None) -> requests.Response:
        """``method`` on ``path`` (from /v1/), not following redirects."""
        if method in ('GET', 'HEAD', 'DELETE'):
            body = None
        return requests.request(
            method, cls.server.base_url + path, json=body,
            allow_redirects=False, timeout=60,
            headers={'X-Auth-Token': token, 'Accept': 'application/json'})

    @classmethod
    def as_victim(cls, method: str, path: str, body=None,
                  expect: int = 200):
        resp = cls.send(cls.victim_token, method, '/v1/%s%s' % (
            cls.users.project.id, path), body)
        if resp.status_code != expect:
            raise AssertionError('%s %s: %s %s' % (
                method, path, resp.status_code, resp.text[:2000]))
        return resp.json() if resp.content else None

    # --- the victim's things ----------------------------------------------

    @classmethod
    def _make_victim(cls) -> isolation.Victim:
        name = 'iso-victim-%s' % cls.users.project.id[:8]
        created = cls.as_victim('POST', '/stacks', {
            'stack_name': name, 'template': OUTER,
            'files': {'inner.yaml': json.dumps(INNER)}}, 201)
        stack_id = created['stack']['id']
        top = '/stacks/%s/%s' % (name, stack_id)
        cls._wait_complete(top)
        resources = {r['resource_name']: r for r in cls.as_victim(
            'GET', top + '/resources')['resources']}
        nested_id = resources['inner']['physical_resource_id']
        nested = cls.as_victim('GET', '/stacks?show_nested=true')['stacks']
        nested_name = [s['stack_name'] for s in nested
                       if s['id'] == nested_id][0]
        snapshot = cls.as_victim('POST', top + '/snapshots',
                                 {'name': 'a-snap'})
        return isolation.Victim(
            tenant_id=cls.users.project.id, stack_name=name,
            stack_id=stack_id, nested_name=nested_name, nested_id=nested_id,
            resource_name='handle', nested_resource_name='value',
            event_id=cls._an_event(top, 'handle'),
            nested_event_id=cls._an_event('/stacks/%s/%s' % (
                nested_name, nested_id), 'value'),
            output_key='word', snapshot_id=snapshot['id'],
            config_id=resources['config']['physical_resource_id'],
            deployment_id=resources['deploy']['physical_resource_id'],
            server_id=resources['server']['physical_resource_id'])

    @classmethod
    def _wait_complete(cls, path: str) -> None:
        deadline = time.monotonic() + stacks.STACK_TIMEOUT
        while time.monotonic() < deadline:
            stack = cls.as_victim('GET', path)['stack']
            if stack['stack_status'] == 'CREATE_COMPLETE':
                return
            if stack['stack_status'].endswith('FAILED'):
                raise AssertionError('%s: %s' % (
                    stack['stack_status'], stack['stack_status_reason']))
            time.sleep(0.5)
        raise AssertionError('%s did not complete' % path)

    @classmethod
    def _an_event(cls, stack_path: str, resource: str) -> str:
        return cls.as_victim('GET', '%s/resources/%s/events' % (
            stack_path, resource))['events'][0]['id']

    def victim_view(self) -> dict:
        """Everything of the victim's that the walk could change, as the
        victim sees it."""
        v = self.victim
        top = '/stacks/%s/%s' % (v.stack_name, v.stack_id)
        inner = '/stacks/%s/%s' % (v.nested_name, v.nested_id)
        paths = [top, top + '/template', top + '/environment',
                 top + '/files', top + '/outputs',
                 top + '/resources?nested_depth=2', top + '/events',
                 top + '/snapshots', top + '/resources/handle/metadata',
                 inner, inner + '/resources', inner + '/events',
                 '/stacks?show_nested=true', '/software_configs',
                 '/software_configs/%s' % v.config_id,
                 '/software_deployments',
                 '/software_deployments/%s' % v.deployment_id,
                 '/software_deployments/metadata/%s' % v.server_id]
        return {path: self.as_victim('GET', path) for path in paths}

    # --- the walk -------------------------------------------------------

    def test_the_victim_reaches_every_get_route_it_is_probed_on(self):
        # the probes name real things: the victim's own GETs answer
        v = self.victim
        wrong = []
        for probe in isolation.probes(self.victim,
                                      self.outsider.project.id):
            if probe.where != 'victim' or probe.method != 'GET' or (
                    # the snapshot is the top stack's
                    v.nested_id in probe.path and v.snapshot_id in probe.path):
                continue
            resp = self.send(self.victim_token, 'GET', probe.path)
            expect = VICTIM_ANSWERS.get(probe.route, (200, 302))
            if resp.status_code not in (expect if isinstance(expect, tuple)
                                        else (expect,)):
                wrong.append('%s: %s %s' % (probe, resp.status_code,
                                            resp.text[:300]))
        self.assertEqual([], wrong)

    def test_another_project_can_neither_see_nor_change_anything(self):
        before = self.victim_view()
        probes = isolation.probes(self.victim, self.outsider.project.id)
        wrong = [w for w in map(self._try, probes) if w]
        self.assertEqual([], wrong, '%d of %d probes' % (len(wrong),
                                                         len(probes)))
        self.assertEqual(before, self.victim_view())
        # the route the outsider was refused works for the victim
        v = self.victim
        top = '/stacks/%s/%s' % (v.stack_name, v.stack_id)
        self.as_victim('POST', top + '/resources/handle/signal',
                       {'status': 'SUCCESS', 'reason': 'mine', 'id': '1'})
        metadata = self.as_victim('GET', top + '/resources/handle/metadata')
        self.assertIn('mine', str(metadata))

    def _try(self, probe: isolation.Probe) -> str | None:
        """What is wrong with the outsider's answer to ``probe``, or
        None."""
        resp = self.send(self.outsider_token, probe.method, probe.path,
                         probe.body)
        if resp.status_code != probe.expect:
            return '%s: %s, not %s: %s' % (probe, resp.status_code,
                                           probe.expect, resp.text[:300])
        if probe.expect == 302:
            # an ARN lookup names the victim's URL (as heat-api, without
            # asking the engine): that refuses in turn, to a client
            # following the redirect as they do, with a GET
            followed = self.send(self.outsider_token, 'GET', parse.urlsplit(
                resp.headers['Location']).path)
            if followed.status_code != 403:
                return '%s: redirected to %s, which answered %s' % (
                    probe, resp.headers['Location'], followed.status_code)
        if probe.expect == 200:
            shown = [i for i in self._victim_ids() if i in resp.text]
            if shown:
                return '%s lists the victim\'s %s' % (probe, shown)
        return None

    def test_its_own_stack_does_not_reach_the_victim_s_snapshot_or_events(
            self):
        token = self.outsider.token()
        own = '/v1/%s' % self.outsider.project.id
        name = 'iso-own-%s' % self.outsider.project.id[:8]
        created = self.send(token, 'POST', own + '/stacks', {
            'stack_name': name, 'template': OUTER,
            'files': {'inner.yaml': json.dumps(INNER)}})
        self.assertEqual(201, created.status_code, created.text)
        stack_id = created.json()['stack']['id']
        self._wait_own(token, '%s/stacks/%s/%s' % (own, name, stack_id))
        probes = isolation.cross_probes(self.victim, self.outsider.project.id,
                                        name, stack_id)
        mine = {r: self.send(token, 'GET', '%s/stacks/%s/%s/resources/%s' % (
            own, name, stack_id, r)).json()['resource']['physical_resource_id']
            for r in ('deploy', 'config')}
        probes += [
            # its own deployment given the victim's config
            isolation.Probe(
                ('software_deployments', 'update_deployment'), 'PUT',
                '%s/software_deployments/%s' % (own, mine['deploy']),
                {'config_id': self.victim.config_id, 'status': 'COMPLETE'},
                404, 'own'),
            # its own config deployed to the victim's server in the
            # victim's project (it would be in that server's metadata)
            isolation.Probe(
                ('software_deployments', 'create_deployment'), 'POST',
                '%s/software_deployments' % own,
                {'config_id': mine['config'],
                 'server_id': self.victim.server_id,
                 'stack_user_project_id': self.victim.tenant_id,
                 'action': 'CREATE', 'status': 'IN_PROGRESS'}, 403, 'own')]
        before = self.victim_view()
        wrong = [w for w in map(self._try, probes) if w]
        self.assertEqual([], wrong, '%d of %d probes' % (len(wrong),
                                                         len(probes)))
        self.assertEqual(before, self.victim_view())
        deleted = self.send(token, 'DELETE', '%s/stacks/%s/%s' % (
            own, name, stack_id))
        self.assertEqual(204, deleted.status_code, deleted.text)

    def _wait_own(self, token: str, path: str) -> None:
        deadline = time.monotonic() + stacks.STACK_TIMEOUT
        while time.monotonic() < deadline:
            stack = self.send(token, 'GET', path).json()['stack']
            if stack['stack_status'] == 'CREATE_COMPLETE':
                return
            self.assertNotIn('FAILED', stack['stack_status'],
                             stack['stack_status_reason'])
            time.sleep(0.5)
        self.fail('%s did not complete' % path)

    def _victim_ids(self) -> list[str]:
        v = self.victim
        return [v.stack_id, v.nested_id, v.stack_name, v.config_id,
                v.deployment_id, v.snapshot_id]

    def test_identity_headers_a_client_sends_are_not_believed(self):
        # auth_token sets these from the token it validated: the outsider
        # saying it is the victim, or an admin, changes nothing
        v = self.victim
        spoofed = {'X-Project-Id': v.tenant_id, 'X-Tenant-Id': v.tenant_id,
                   'X-Tenant': v.tenant_id, 'X-Project-Name': 'x',
                   'X-User-Id': self.users.user.id,
                   'X-Roles': 'admin,member,reader',
                   'X-Service-Roles': 'admin',
                   'X-Identity-Status': 'Confirmed', 'X-Is-Admin': 'True',
                   'X-Auth-Token': self.outsider_token,
                   'Accept': 'application/json'}
        top = '/stacks/%s/%s' % (v.stack_name, v.stack_id)
        for tenant, expect in ((v.tenant_id, 403),
                               (self.outsider.project.id, 404)):
            for path in (top, top + '/resources', '/software_configs/'
                         + v.config_id):
                resp = requests.get('%s/v1/%s%s' % (
                    self.server.base_url, tenant, path), headers=spoofed,
                    timeout=60)
                self.assertEqual(expect, resp.status_code,
                                 '%s %s' % (tenant, path))
        resp = requests.get('%s/v1/%s/stacks' % (
            self.server.base_url, self.outsider.project.id),
            headers=spoofed, timeout=60)
        self.assertEqual((200, []), (resp.status_code, resp.json()['stacks']))

    def test_agent_urls_refuse_a_wrong_token(self):
        v = self.victim
        server = self.as_victim('GET', '/stacks/%s/%s/resources/server' % (
            v.stack_name, v.stack_id))['resource']
        url = server['attributes']['os_collect_config']['request'][
            'metadata_url']
        path = parse.urlsplit(url).path
        token = path.rsplit('/', 1)[1]
        altered = token[:-1] + ('A' if token[-1] != 'A' else 'B')
        self.assertEqual(200, requests.get(self.server.base_url + path,
                                           timeout=30).status_code)
        for method, wrong in (
                ('GET', '/agent/v1/metadata/' + altered),
                ('HEAD', '/agent/v1/metadata/' + altered),
                ('GET', '/agent/v1/metadata/' + 'x' * 43),
                ('PUT', '/agent/v1/signal/' + token),
                ('POST', '/agent/v1/signal/' + token),
                ('PUT', '/agent/v1/signal/' + altered),
                ('GET', '/agent/v1/metadata/%s/%s' % (v.tenant_id, token))):
            resp = requests.request(method, self.server.base_url + wrong,
                                    data=b'{}', timeout=30)
            self.assertEqual(404, resp.status_code, '%s %s' % (method,
                                                               wrong))
