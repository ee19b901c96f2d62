"""The API as deployed (api/pipeline.py): heat-api's middleware in front.

Given the pipeline over the engine twin and a private configuration.
"""

import os

import fixtures
from oslo_config import cfg
import webob

from convergence.api import pipeline
from convergence.tests.unit.api import base


class PipelineTestCase(base.ApiTestCase):

    proxy_headers = False

    def setUp(self):
        super().setUp()
        self.conf = conf = cfg.ConfigOpts()
        conf([], project='convergence', default_config_files=[])
        self.app = pipeline.build(self.engine, conf)
        conf.set_override('enable_proxy_headers_parsing', self.proxy_headers,
                          group='oslo_middleware')
        self.logged = self.useFixture(fixtures.FakeLogger(
            name='convergence.api.oplog', level='INFO'))


class TestHealthcheck(PipelineTestCase):

    def test_healthcheck_answers_ok(self):
        resp = self.request('GET', '/healthcheck')
        self.assertEqual((200, {'detailed': False, 'reasons': []}),
                         (resp.status_int, resp.json))

    def test_a_disable_file_takes_the_api_out_of_rotation(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'convergence.conf')
        with open(path, 'w') as conf_file:
            conf_file.write('[healthcheck]\nbackends = disable_by_file\n'
                            'disable_by_file_path = %s\n' % path)
        conf = cfg.ConfigOpts()
        conf([], project='convergence', default_config_files=[path])
        app = pipeline.build(self.engine, conf)
        self.assertEqual(503, webob.Request.blank('/healthcheck').get_response(
            app).status_int)
        self.assertEqual(300, webob.Request.blank('/').get_response(
            app).status_int)

    def test_versions_still_answer_elsewhere(self):
        self.assertEqual(300, self.request('GET', '/').status_int)


class TestRequestId(PipelineTestCase):

    def test_the_header_is_the_id_the_engine_is_given(self):
        contexts = []
        list_stacks = self.engine.list_stacks

        def spy(ctxt, **kwargs):
            contexts.append(ctxt)
            return list_stacks(ctxt, **kwargs)
        self.engine.list_stacks = spy
        resp = self.request('GET', base.T + '/stacks')
        request_id = resp.headers['x-openstack-request-id']
        self.assertRegex(request_id, '^req-[0-9a-f-]{36}$')
        self.assertEqual([request_id], [c.request_id for c in contexts])

    def test_an_error_has_one_too(self):
        resp = self.request('GET', base.T + '/stacks/nothere')
        self.assertEqual(404, resp.status_int)
        self.assertIn('x-openstack-request-id', resp.headers)


class TestProxyHeadersIgnoredByDefault(PipelineTestCase):

    def test_links_keep_the_scheme_of_the_request(self):
        resp = self.request('GET', '/', headers={'X-Forwarded-Proto': 'https'})
        self.assertTrue(resp.json['versions'][0]['links'][0]['href']
                        .startswith('http://'))


class TestProxyHeaders(PipelineTestCase):

    proxy_headers = True

    def test_links_take_the_scheme_the_proxy_forwards(self):
        resp = self.request('GET', '/', headers={'X-Forwarded-Proto': 'https'})
        self.assertEqual('https://%s/v1/' % base.HOST,
                         resp.json['versions'][0]['links'][0]['href'])

    def test_a_created_stack_links_through_the_proxy(self):
        resp = self.request('POST', base.T + '/stacks', {
            'stack_name': 's1', 'template': base.TEMPLATE},
            headers={'X-Forwarded-Proto': 'https'})
        self.assertTrue(resp.location.startswith('https://'), resp.location)


class TestOperationLog(PipelineTestCase):

    def test_one_line_per_operation_with_who_what_which_outcome(self):
        path = self.create('s1')
        stack_id = path.rsplit('/', 1)[-1]
        self.request('GET', path)  # not an operation
        self.request('POST', path + '/actions', {'suspend': None})
        self.request('DELETE', path, headers={'X-Auth-User': 'alice'})
        lines = self.logged.output.splitlines()
        self.assertEqual(3, len(lines), lines)
        self.assertRegex(lines[0], r'^stack create by admin \(tenant admin\) '
                         r'on s1/%s \[req-[0-9a-f-]+\]: 201 Created in '
                         r'\d+\.\d{3} s$' % stack_id)
        self.assertIn('stack suspend by admin', lines[1])
        self.assertIn('stack delete by alice (tenant admin) on s1/%s'
                      % stack_id, lines[2])
        self.assertIn(': 204 No Content in ', lines[2])

    def test_a_refused_operation_names_the_error(self):
        self.create('s1')
        resp = self.request('POST', base.T + '/stacks', {
            'stack_name': 's1', 'template': base.TEMPLATE})
        self.assertEqual(409, resp.status_int)
        self.assertIn('stack create by admin (tenant admin) on s1/- ',
                      self.logged.output)
        self.assertIn(': 409 Conflict StackExists in ', self.logged.output)
