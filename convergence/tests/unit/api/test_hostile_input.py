"""Input a client got wrong: 400 (or Heat's 403/404), never a 500.

Each case is answered with Heat's fault body and logs nothing at ERROR:
the input was at fault, not the server.
"""

import logging

import fixtures
import testtools

from convergence import exceptions
from convergence.tests.scenarios import framework
from convergence.tests.unit.api import base
from convergence.tests.unit.api.base import T


class ApiCase(base.ApiTestCase):
    """Given the app, with its ERROR log captured."""

    def setUp(self):
        super().setUp()
        self.errors = self.useFixture(fixtures.FakeLogger(
            level=logging.ERROR, name='convergence'))

    def assertRefused(self, resp, status=400, error_type='HTTPBadRequest',
                      message=None) -> dict:
        body = self.assertFault(resp, status, error_type, message)
        self.assertEqual('', self.errors.output)
        return body


class BodyTypesTest(ApiCase):

    def _create(self, **extra):
        body = {'stack_name': 's1', 'template': base.TEMPLATE}
        body.update(extra)
        return self.request('POST', T + '/stacks', body)

    def test_environment_that_is_no_object(self):
        for env in ([1], 5, True):
            self.assertRefused(
                self._create(environment=env),
                message='Environment not in valid format: The environment '
                        'is not a valid YAML mapping data type.')

    def test_environment_section_of_the_wrong_type(self):
        for env in ({'parameters': [1]}, {'resource_registry': 'x'},
                    {'event_sinks': {'a': 1}}):
            section = next(iter(env))
            self.assertRefused(
                self._create(environment=env),
                message='Environment not in valid format: environment has '
                        'malformed section "%s"' % section)

    def test_parameters_that_are_no_object(self):
        self.assertRefused(self._create(parameters=[1]))

    def test_files_that_are_no_object_of_strings(self):
        for files in ([1], 'abc', {'f.yaml': 5}, {'f.yaml': {'a': 1}}):
            self.assertRefused(
                self._create(files=files),
                message='Invalid files, must be a map of file names to '
                        'their contents')

    def test_alias_bombs_are_request_limit_exceeded(self):
        # 9 levels of 10 aliases: a billion leaves once written out
        bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n' + ''.join(
            'a%d: &a%d [%s]\n' % (i, i, ', '.join(['*a%d' % (i - 1)] * 10))
            for i in range(1, 10))
        for fields in ({'template': 'heat_template_version: 2015-10-15\n'
                        + bomb}, {'environment': bomb}):
            body = self.assertRefused(self._create(**fields),
                                      error_type='RequestLimitExceeded')
            self.assertIn('Request limit exceeded', body['error']['message'])

    def test_file_over_the_template_size(self):
        size = 524289
        body = self.assertRefused(
            self._create(files={'big.yaml': 'x' * size}),
            error_type='RequestLimitExceeded')
        self.assertEqual(
            'Request limit exceeded: File big.yaml size (%d bytes) exceeds '
            'maximum allowed size (524288 bytes).' % size,
            body['error']['message'])

    def test_environment_files_that_are_no_list(self):
        for names in ('a.yaml', {'a.yaml': 1}, [1]):
            self.assertRefused(
                self._create(environment_files=names),
                message='Invalid environment_files, must be a list of file '
                        'names')

    def test_clear_parameters_that_are_no_list(self):
        path = self.create()
        for names in ('foo', {'foo': 1}, [1]):
            self.assertRefused(
                self.request('PATCH', path, {'clear_parameters': names}),
                message='Invalid clear_parameters, must be a list of names')

    def test_tags_that_are_no_string(self):
        for tags in (5, {'a': 1}, [1, 2], True):
            self.assertRefused(
                self._create(tags=tags),
                message='Invalid tags %s, must be a string of '
                        'comma-separated tags' % (tags,))

    def test_valid_lists_still_pass(self):
        self.assertEqual(201, self._create(
            tags=['a', 'b'], environment_files=[],
            files={'f.yaml': 'x'}).status_int)


class QueryTest(ApiCase):

    def test_invalid_utf8_in_the_query_or_path(self):
        for path in ('/stacks?name=%ff%fe', '/stacks?%ff=1',
                     '/stacks/s%ff'):
            self.assertRefused(
                self.request('GET', T + path),
                message='The request URL is not valid UTF-8.')

    def test_global_tenant_is_forbidden_as_by_heats_policy(self):
        self.create()
        self.assertRefused(
            self.request('GET', T + '/stacks?global_tenant=true'), 403,
            'HTTPForbidden', 'Access was denied to this resource.')

    def test_global_tenant_false_lists_the_tenant(self):
        self.create()
        resp = self.request('GET', T + '/stacks?global_tenant=false')
        self.assertEqual(1, len(resp.json['stacks']))

    def test_signal_to_a_missing_resource_is_404(self):
        path = self.create()
        self.assertRefused(
            self.request('POST', path + '/resources/nothing/signal', {}),
            404, 'ResourceNotFound')


class UnexpectedErrorTest(ApiCase):

    def test_a_value_error_is_400_and_logged_below_error(self):
        self.engine.list_stacks = _raise(ValueError('bad'))
        self.assertRefused(self.request('GET', T + '/stacks'),
                           error_type='ValueError')

    def test_a_bug_is_500_and_logged_with_its_traceback(self):
        self.engine.list_stacks = _raise(KeyError('oops'))
        resp = self.request('GET', T + '/stacks')
        self.assertFault(resp, 500, 'KeyError')
        self.assertIn('Traceback', self.errors.output)


def _raise(error):
    def fail(*args, **kwargs):
        raise error
    return fail


class EngineListTest(testtools.TestCase):
    """Given the engine itself (behind this API or a real heat-api)."""

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.scenario.create_stack('s1', framework.Template({}))
        self.scenario.run()
        self.service = self.scenario.engine_service

    def test_limit_zero_lists_nothing_as_in_heat(self):
        ctx = self.scenario.context
        self.assertEqual([], self.service.list_stacks(ctx, limit=0))
        self.assertEqual(1, len(self.service.list_stacks(ctx, limit=None)))

    def test_unknown_sort_direction_is_invalid(self):
        err = self.assertRaises(
            exceptions.Invalid, self.service.list_stacks,
            self.scenario.context, sort_dir='sideways')
        self.assertEqual(400, err.http_status)
