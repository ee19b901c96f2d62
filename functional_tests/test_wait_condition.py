"""Wait conditions and delays against a real convergence-all.

The handle's ``curl_cli`` attribute, run as a shell command with a
``--data-binary`` body (a real ``curl``), signals it through our API; the
condition waiting on it then completes (its ``data`` in the outputs) or
fails with the reason sent.  A Delay holds the create back.
"""

import json
import shutil
import subprocess
import time

import testtools

from functional_tests import base
from functional_tests import waiting

TEMPLATE = '''heat_template_version: 2018-08-31
resources:
  handle: {type: OS::Heat::WaitConditionHandle}
  wait:
    type: OS::Heat::WaitCondition
    properties: {handle: {get_resource: handle}, count: %(count)d,
                 timeout: 60}
  after:
    type: OS::Heat::Value
    properties: {value: {get_attr: [wait, data]}}
outputs:
  data: {value: {get_attr: [wait, data]}}
  after: {value: {get_attr: [after, value]}}
'''

DELAY = '''heat_template_version: 2018-08-31
resources:
  delay:
    type: OS::Heat::Delay
    properties: {min_wait: 2}
  after: {type: OS::Heat::None, depends_on: delay}
'''


@testtools.skipIf(shutil.which('curl') is None, 'curl is not installed')
class WaitConditionTest(base.FunctionalTestCase):

    def waiting_stack(self, count=1) -> str:
        identifier = self.create_stack(TEMPLATE % {'count': count},
                                       expected=None)
        self.wait_for_resource_status(identifier, 'wait',
                                      'CREATE_IN_PROGRESS')
        return identifier

    def curl(self, identifier: str, body: dict) -> str:
        """Run the handle's curl_cli with ``body``; curl's output."""
        handle = self.client.resources.get(identifier, 'handle',
                                           with_attr=['curl_cli'])
        command = '%s --data-binary %s' % (
            handle.attributes['curl_cli'],
            "'%s'" % json.dumps(body).replace("'", "'\\''"))
        done = subprocess.run(command, shell=True, capture_output=True,
                              text=True, timeout=30)
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertRegex(done.stdout.splitlines()[0], r'^HTTP/1\.[01] 200')
        return done.stdout

    def test_curl_cli_signals_the_handle_and_the_stack_completes(self):
        identifier = self.waiting_stack(count=2)
        self.curl(identifier, {'status': 'SUCCESS', 'reason': 'first',
                               'data': 'one', 'id': 'a'})
        time.sleep(1)
        self.assertEqual('CREATE_IN_PROGRESS', self.stack_status(identifier))
        self.curl(identifier, {'status': 'SUCCESS', 'reason': 'second',
                               'data': {'k': 2}, 'id': 'b'})
        self.wait_for_status(identifier, 'CREATE_COMPLETE')
        outputs = self.outputs(identifier)
        self.assertEqual({'a': 'one', 'b': {'k': 2}},
                         json.loads(outputs['data']))
        self.assertEqual(outputs['data'], outputs['after'])
        self.assertEqual(
            {'a': {'status': 'SUCCESS', 'reason': 'first', 'data': 'one'},
             'b': {'status': 'SUCCESS', 'reason': 'second',
                   'data': {'k': 2}}},
            self.client.resources.metadata(identifier, 'handle'))
        reasons = [e.resource_status_reason
                   for e in self.events(identifier, 'handle')]
        self.assertIn('Signal: status:SUCCESS reason:second', reasons)

    def test_twenty_signals_at_once(self):
        """As Heat's multi-signal test sends them: 20 curls at once, none
        naming an id; each gets a number of its own and all count."""
        identifier = self.waiting_stack(count=20)
        handle = self.client.resources.get(identifier, 'handle',
                                           with_attr=['curl_cli'])
        command = ('%s --data-binary \'{"status": "SUCCESS"}\''
                   % handle.attributes['curl_cli'])
        curls = [subprocess.Popen(command, shell=True,
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
                 for _ in range(20)]
        self.assertEqual([0] * 20, [c.wait(timeout=60) for c in curls])
        self.wait_for_status(identifier, 'CREATE_COMPLETE')
        self.assertEqual(sorted(str(i) for i in range(1, 21)),
                         sorted(json.loads(self.outputs(identifier)['data'])))

    def test_a_failure_fails_the_stack_with_its_reason(self):
        identifier = self.waiting_stack()
        self.curl(identifier, {'status': 'FAILURE', 'reason': 'no disk'})
        stack = self.wait_for_status(identifier, 'CREATE_FAILED')
        self.assertIn('no disk', stack.stack_status_reason)
        wait = self.client.resources.get(identifier, 'wait')
        self.assertEqual('WaitConditionFailure: resources.wait: no disk',
                         wait.resource_status_reason)

    def test_resource_signal_through_the_api(self):
        identifier = self.waiting_stack()
        self.client.resources.signal(identifier, 'handle',
                                     data={'data': 'by api'})
        self.wait_for_status(identifier, 'CREATE_COMPLETE')
        self.assertEqual({'1': 'by api'},
                         json.loads(self.outputs(identifier)['data']))


class DelayTest(base.FunctionalTestCase):

    def test_a_delay_holds_the_create_back(self):
        began = time.monotonic()
        identifier = self.create_stack(DELAY, expected=None)
        waiting.wait_until(
            lambda: self.resource_statuses(identifier).get('delay')
            == 'CREATE_IN_PROGRESS', 30, 'the delay under way')
        self.assertNotEqual('CREATE_COMPLETE',
                            self.resource_statuses(identifier).get('after'))
        self.wait_for_status(identifier, 'CREATE_COMPLETE')
        self.assertGreaterEqual(time.monotonic() - began, 2.0)
