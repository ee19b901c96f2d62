"""A user's error is logged without a traceback; the engine's own with one.

A real convergence-all (its API in front of oslo.messaging's RPC server and
dispatcher) is asked for a stack with an unknown resource type (validation),
a stack that does not exist (not found), a suspend while the create runs
(conflict) and an abandon, which is disabled (unsupported).  Each answer is
Heat's status and error type, each request has its INFO line, and the log
holds no traceback, nor an ERROR line.
"""

import requests
import testtools
from testtools import content

from functional_tests import server as server_mod
from functional_tests import templates
from functional_tests import waiting

SLOW = templates.HOT + """
resources:
  slow:
    type: OS::Heat::TestResource
    properties:
      value: v
      action_wait_secs: {create: 5}
"""
UNKNOWN_TYPE = templates.HOT + """
resources:
  a:
    type: OS::No::Such
"""


class UserErrorsLogged(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(server_mod.ServerFixture())
        self.addOnException(lambda exc_info: self.addDetail(
            'server-log', content.text_content(self.server.log_tail(50000))))

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, self.server.endpoint + path,
                                timeout=30, **kwargs)

    def assertError(self, response, status: int, error_type: str) -> None:
        self.assertEqual(status, response.status_code, response.text)
        self.assertEqual(error_type, response.json()['error']['type'])

    def test_user_errors_leave_no_traceback(self):
        mark = self.server.log_mark()
        self.assertError(self.call('POST', '/stacks', json={
            'stack_name': 'invalid', 'template': UNKNOWN_TYPE}),
            400, 'StackValidationFailed')
        self.assertError(self.call('GET', '/stacks/nowhere'),
                         404, 'EntityNotFound')
        created = self.call('POST', '/stacks', json={
            'stack_name': 'slow', 'template': SLOW})
        self.assertEqual(201, created.status_code, created.text)
        stack_id = created.json()['stack']['id']
        self.assertError(self.call('POST', '/stacks/slow/%s/actions'
                                   % stack_id, json={'suspend': None}),
                         409, 'ActionInProgress')
        self.assertError(self.call('DELETE', '/stacks/slow/%s/abandon'
                                   % stack_id), 400, 'NotSupported')

        def created_complete():
            return self.call('GET', '/stacks/slow/%s' % stack_id).json()[
                'stack']['stack_status'] == 'CREATE_COMPLETE'
        waiting.wait_until(created_complete, 60, 'the create to complete')

        log = self.server.log_since(mark)
        self.assertNotIn('Traceback', log)
        self.assertNotIn(' ERROR ', log)
        for line in ('stack create by ', 'stack suspend by ',
                     'stack abandon by '):
            self.assertIn(line, log)
        self.assertRegex(log, r'stack create by .* on invalid/- \[req-[^]]+\]: '
                              r'400 Bad Request StackValidationFailed in ')
        self.assertRegex(log, r'stack suspend by .* on slow/%s \[req-[^]]+\]: '
                              r'409 Conflict ActionInProgress in ' % stack_id)
        self.assertRegex(log, r'stack abandon by .* on slow/%s \[req-[^]]+\]: '
                              r'400 Bad Request NotSupported in ' % stack_id)
        # The engine's verdict of the traversal: outcome and duration.
        self.assertRegex(log, r'stack slow/%s \(tenant \S+, by \S+\): CREATE '
                              r'traversal [0-9a-f-]{36} COMPLETE in '
                              r'[0-9.]+ s' % stack_id)
