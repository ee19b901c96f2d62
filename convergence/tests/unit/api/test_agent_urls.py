"""The agents' URLs (api/agent.py) over the real engine on the scenario
framework's in-memory database: a DeployedServer's metadata at its URL, a
deployment's signal as heat-config-notify sends it, Heat's fault bodies for
every wrong request, and no Keystone token needed even behind Keystone."""

import json
import urllib.parse

from keystonemiddleware import fixture as ksm_fixture
import webob

from convergence.api import make_app
from convergence.api import pipeline
from convergence.tests.scenarios import framework
from convergence.tests.unit.api import base
from convergence.tests.unit.api import test_keystone_auth as ks

STACK = {'heat_template_version': '2015-10-15', 'resources': {
    'server': {'type': 'OS::Heat::DeployedServer'},
    'config': {'type': 'OS::Heat::SoftwareConfig', 'properties': {
        'group': 'script', 'config': 'echo hi',
        'outputs': [{'name': 'result'}]}},
    'deploy': {'type': 'OS::Heat::SoftwareDeployment', 'properties': {
        'config': {'get_resource': 'config'},
        'server': {'get_resource': 'server'},
        'signal_transport': 'TEMP_URL_SIGNAL'}}},
    'outputs': {'occ': {'value': {'get_attr': ['server',
                                               'os_collect_config']}},
                'result': {'value': {'get_attr': ['deploy', 'result']}}}}


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


class AgentUrlCase(base.ApiTestCase):
    """Given a stack whose deployment waits, over the real engine."""

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.app = self.make_app()
        resp = self.request('POST', base.T + '/stacks', {
            'stack_name': 'foo', 'template': STACK})
        self.assertEqual(201, resp.status_int, resp.body)
        self.stack_path = resp.location[len(base.BASE):]
        self.scenario.run()

    def make_app(self):
        return make_app(self.scenario.engine_service)

    def agent(self, method: str, path: str, body=None,
              content_type: str | None = None) -> webob.Response:
        """A request as an agent makes it: no token, no tenant."""
        req = webob.Request.blank(path, method=method,
                                  headers={'Host': base.HOST})
        if content_type:
            req.content_type = content_type
        if body is not None:
            req.body = body if isinstance(body, bytes) else \
                json.dumps(body).encode()
        return req.get_response(self.app)

    def outputs(self) -> dict:
        resp = self.request('GET', self.stack_path)
        return {o['output_key']: o.get('output_value')
                for o in resp.json['stack']['outputs']}

    def metadata_path(self) -> str:
        return _path(self.outputs()['occ']['request']['metadata_url'])

    def signal_path(self) -> str:
        metadata = self.agent('GET', self.metadata_path()).json
        inputs = {i['name']: i.get('value')
                  for i in metadata['deployments'][0]['inputs']}
        self.assertEqual('PUT', inputs['deploy_signal_verb'])
        return _path(inputs['deploy_signal_id'])


class AgentUrlTest(AgentUrlCase):

    def test_metadata_then_signal_completes_the_stack(self):
        resp = self.agent('GET', self.metadata_path())
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual({'deployments', 'os-collect-config'},
                         set(resp.json))
        self.assertEqual(['request', 'local'],
                         resp.json['os-collect-config']['collectors'])
        # heat-config-notify PUTs a temp URL with no Content-Type.
        resp = self.agent('PUT', self.signal_path(), {
            'deploy_stdout': 'hi', 'deploy_stderr': '',
            'deploy_status_code': 0, 'result': 'r'})
        self.assertEqual(204, resp.status_int, resp.body)
        self.scenario.run()
        shown = self.request('GET', self.stack_path).json['stack']
        self.assertEqual('CREATE_COMPLETE', shown['stack_status'])
        self.assertEqual('r', self.outputs()['result'])

    def test_a_replayed_signal_is_404_and_changes_nothing(self):
        path = self.signal_path()
        self.assertEqual(204, self.agent('POST', path, {
            'result': 'first'}, 'application/json').status_int)
        self.scenario.run()
        resp = self.agent('PUT', path, {'result': 'second'})
        self.assertFault(resp, 404, 'NotFound')
        self.assertEqual('first', self.outputs()['result'])

    def test_wrong_tokens_are_404(self):
        for path in ('/agent/v1/signal/' + 'A' * 43,
                     '/agent/v1/metadata/' + 'A' * 43,
                     '/agent/v1/metadata/short',
                     '/agent/v1/other/' + 'A' * 43, '/agent/v1/signal/'):
            self.assertEqual(404, self.agent('GET' if 'metadata' in path
                                             else 'PUT', path).status_int,
                             path)

    def test_malformed_json_is_400_naming_it(self):
        resp = self.agent('PUT', self.signal_path(), b'{"deploy_stdout": ')
        self.assertFault(resp, 400, 'HTTPBadRequest')
        self.assertIn('The signal is not valid JSON', resp.json['error'][
            'message'])
        resp = self.agent('PUT', self.signal_path(), b'[1, 2]')
        self.assertFault(resp, 400, 'HTTPBadRequest')
        self.assertIn('must be a JSON object', resp.json['error']['message'])
        shown = self.request('GET', self.stack_path).json['stack']
        self.assertEqual('CREATE_IN_PROGRESS', shown['stack_status'])

    def test_a_wrong_method_is_405(self):
        resp = self.agent('DELETE', self.metadata_path())
        self.assertEqual(405, resp.status_int)
        self.assertEqual('GET,HEAD', resp.headers['Allow'])

    def test_head_answers_as_get_without_body_or_last_modified(self):
        # os-collect-config HEADs first and skips the GET when the HEAD's
        # Last-Modified is not later than the one it last fetched.
        path = self.metadata_path()
        got, head = self.agent('GET', path), self.agent('HEAD', path)
        self.assertEqual((200, 200), (got.status_int, head.status_int))
        self.assertEqual(b'', head.body)
        self.assertEqual(got.headers['Content-Length'],
                         head.headers['Content-Length'])
        self.assertEqual('application/json', head.content_type)
        self.assertNotIn('Last-Modified', head.headers)
        self.assertNotIn('Last-Modified', got.headers)
        self.assertEqual(404, self.agent(
            'HEAD', '/agent/v1/metadata/' + 'A' * 43).status_int)

    def test_deleting_the_stack_makes_the_urls_404(self):
        metadata, signal = self.metadata_path(), self.signal_path()
        self.assertEqual(204, self.request('DELETE',
                                           self.stack_path).status_int)
        self.scenario.run()
        self.assertEqual(404, self.agent('GET', metadata).status_int)
        self.assertEqual(404, self.agent('PUT', signal, {}).status_int)


class AgentUrlBehindKeystoneTest(AgentUrlCase):
    """With the keystone pipeline, /v1 needs a token; the agents' URLs do
    not (their token is the credential), and nothing else goes through.
    The stack is made through the noauth app; the agent then talks to the
    keystone pipeline over the same engine."""

    def test_only_the_agent_urls_need_no_token(self):
        metadata_path, signal_path = self.metadata_path(), self.signal_path()
        self.useFixture(ksm_fixture.AuthTokenFixture())
        conf = ks.write_conf(self, '[paste_deploy]\nflavor = keystone\n'
                             + ks.AUTHTOKEN)
        self.app = pipeline.build(self.scenario.engine_service, conf)
        self.assertEqual(401, self.request('GET', self.stack_path,
                                           headers={'X-Auth-Token': 'x'}
                                           ).status_int)
        self.assertEqual(401, self.agent('GET', '/v1/admin/stacks')
                         .status_int)
        self.assertEqual(200, self.agent('GET', metadata_path).status_int)
        self.assertEqual(204, self.agent('PUT', signal_path, {}).status_int)
