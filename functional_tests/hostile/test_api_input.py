"""Input a client got wrong reaches a real server: 4xx as Heat, no 500.

Against a real ``convergence-all`` with its engine: every request here is
answered with Heat's status and fault body, and the server logs no
traceback for any of them (the input was at fault, not the server).
"""

import testtools

from functional_tests import server as server_mod
from functional_tests.hostile import base

TEMPLATE = {'heat_template_version': '2015-10-15',
            'resources': {'r': {'type': 'OS::Heat::None'}}}
# (what is wrong, the body's extra keys) of creates answered 400
BAD_CREATES = [
    ('name with /', {'stack_name': 'a/b'}),
    ('empty name', {'stack_name': ''}),
    ('name ..', {'stack_name': '..'}),
    ('NUL in name', {'stack_name': 'a\x00b'}),
    ('non-ASCII name', {'stack_name': 'caf\u00e9'}),
    ('RTL override', {'stack_name': 'ab\u202ecd'}),
    ('256 characters', {'stack_name': 'a' * 256}),
    ('ARN prefix', {'stack_name': 'arn:openstack:heat::admin:stacks/x/y'}),
    ('name is a list', {'stack_name': ['a']}),
    ('name is a dict', {'stack_name': {'a': 1}}),
    ('name is null', {'stack_name': None}),
    ('environment is a list', {'environment': [1]}),
    ('files is a list', {'files': [1]}),
    ('files entry over the size', {'files': {'f': 'x' * 524289}}),
    ('environment_files is a string', {'environment_files': 'f.yaml'}),
    ('tags is a number', {'tags': 5}),
]


class InputTest(base.RawRequests, testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = server_mod.ServerFixture()
        cls.server.setUp()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.log_mark = self.server.log_mark()
        self.addCleanup(self._no_traceback_logged)

    def _no_traceback_logged(self):
        self.assertNotIn('Traceback', self.server.log_since(self.log_mark))

    def _request(self, method: str, path: str, body=None) -> tuple:
        """(status, JSON body or None) of the request."""
        resp, answer = self.request(method, path, body)
        return resp.status, answer

    def assertFault(self, answer, status: int, error_type: str) -> None:
        self.assertEqual((status, error_type),
                         (answer[0], answer[1]['error']['type']), answer)

    def test_bad_creates_are_400_and_store_nothing(self):
        for problem, extra in BAD_CREATES:
            body = dict({'stack_name': 'ok', 'template': TEMPLATE}, **extra)
            status, fault = self._request('POST', self.prefix + '/stacks',
                                          body)
            self.assertEqual(400, status, (problem, fault))
            self.assertEqual(400, fault['code'], problem)
        refused = {'ok'} | {str(extra.get('stack_name'))
                            for _, extra in BAD_CREATES}
        status, listed = self._request('GET', self.prefix + '/stacks')
        self.assertEqual([], [s for s in listed['stacks']
                              if s['stack_name'] in refused])

    def test_clear_parameters_that_are_no_list(self):
        path = self.create_and_wait('clear', TEMPLATE)
        self.assertFault(self._request('PATCH', path, {
            'clear_parameters': 'foo'}), 400, 'HTTPBadRequest')

    def test_query_errors(self):
        self.create_and_wait('listed', TEMPLATE)
        stacks = self.prefix + '/stacks'
        self.assertFault(self._request('GET', stacks + '?name=%ff%fe'), 400,
                         'HTTPBadRequest')
        self.assertFault(self._request('GET', stacks + '?sort_dir=sideways'),
                         400, 'Invalid')
        self.assertFault(self._request('GET', stacks + '?global_tenant=true'),
                         403, 'HTTPForbidden')
        self.assertEqual([], self._request('GET', stacks + '?limit=0')[1][
            'stacks'])

    def test_signal_to_a_missing_resource_is_404(self):
        path = self.create_and_wait('signalled', TEMPLATE)
        self.assertFault(self._request(
            'POST', path + '/resources/missing/signal', {}), 404,
            'ResourceNotFound')
