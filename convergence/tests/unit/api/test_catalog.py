"""Validate, template versions, resource types, build info, faults."""

import oslo_messaging

from convergence import exceptions
from convergence.api import faults
from convergence.tests.unit.api import base
from convergence.tests.unit.api.base import T


class ValidateTest(base.ApiTestCase):

    def test_valid_template(self):
        resp = self.request('POST', T + '/validate?show_nested=true'
                            '&ignore_errors=99001,99002',
                            {'template': base.TEMPLATE,
                             'parameters': {'foo': 'v'}})
        self.assertEqual(200, resp.status_int)
        self.assertEqual({'Type': 'String', 'Description': '',
                          'NoEcho': 'false', 'Label': 'foo', 'Default': 'x',
                          'Value': 'v'}, resp.json['Parameters']['foo'])
        self.assertEqual('anchor', resp.json['Description'])
        call = self.engine.last_call('validate_template')
        self.assertTrue(call['show_nested'])
        self.assertEqual(['99001', '99002'], call['ignorable_errors'])

    def test_error_result_is_400(self):
        resp = self.request('POST', T + '/validate', {'template': {
            'heat_template_version': '2015-10-15',
            'resources': {'r': {'type': 'No::Such'}}}})
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         'The Resource Type (No::Such) could not be found.')


class CatalogTest(base.ApiTestCase):

    def test_template_versions_and_functions(self):
        versions = self.request('GET', T + '/template_versions').json
        self.assertEqual('hot', versions['template_versions'][0]['type'])
        resp = self.request('GET', T + '/template_versions/'
                            'heat_template_version.2015-10-15/functions'
                            '?with_condition_func=true')
        self.assertEqual('get_param',
                         resp.json['template_functions'][0]['functions'])
        call = self.engine.last_call('list_template_functions')
        self.assertEqual(('heat_template_version.2015-10-15', True),
                         (call['template_version'], call['with_condition']))

    def test_resource_types(self):
        resp = self.request('GET', T + '/resource_types?name=OS::Heat::None')
        self.assertIn('OS::Heat::None', resp.json['resource_types'])
        self.assertEqual('OS::Heat::None', self.engine.last_call(
            'list_resource_types')['type_name'])
        schema = self.request('GET', T + '/resource_types/OS::Heat::None')
        self.assertEqual('OS::Heat::None', schema.json['resource_type'])
        missing = self.request('GET', T + '/resource_types/No::Such')
        self.assertFault(missing, 400, 'ResourceTypeNotFound')

    def test_unsupported_engine_feature_is_400(self):
        resp = self.request('GET', T + '/resource_types/OS::Heat::None/'
                            'template')
        self.assertFault(resp, 400, 'NotSupported')

    def test_build_info_without_engine_revision(self):
        resp = self.request('GET', T + '/build_info')
        self.assertEqual({'api': {'revision': 'unknown'},
                          'engine': {'revision': 'unknown'}}, resp.json)

    def test_engine_without_a_method_is_not_supported(self):
        def missing(*args, **kwargs):
            raise oslo_messaging.NoSuchMethod('list_template_versions')
        self.engine.list_template_versions = missing
        resp = self.request('GET', T + '/template_versions')
        self.assertFault(resp, 400, 'NotSupported',
                         'list_template_versions is not supported.')


class FaultTest(base.ApiTestCase):

    def classify(self, error):
        return faults._classify(error)

    def test_remote_suffix_is_dropped(self):
        remote_cls = type('EntityNotFound_Remote',
                          (exceptions.EntityNotFound,), {})
        error = remote_cls(entity='Stack', name='x')
        self.assertEqual((404, 'EntityNotFound',
                          'The Stack (x) could not be found.'),
                         self.classify(error))

    def test_remote_error_from_unlisted_module(self):
        self.assertEqual((500, 'KeyError', None), self.classify(
            oslo_messaging.RemoteError('KeyError', 'secret', [])))
        self.assertEqual(
            (400, 'NotSupported', 'frob is not supported.'),
            self.classify(oslo_messaging.RemoteError(
                'NoSuchMethod', 'Endpoint does not support RPC method frob',
                [])))

    def test_unexpected_errors_hide_their_message(self):
        self.assertEqual((400, 'ValueError', None),
                         self.classify(ValueError('secret')))
        self.assertEqual((500, 'RuntimeError', None),
                         self.classify(RuntimeError('secret')))

    def test_unexpected_error_in_engine_is_500(self):
        def broken(*args, **kwargs):
            raise RuntimeError('secret')
        self.engine.list_stacks = broken
        resp = self.request('GET', T + '/stacks')
        body = self.assertFault(resp, 500, 'RuntimeError')
        self.assertNotIn('message', body['error'])
        self.assertEqual('Internal Server Error', body['title'])
