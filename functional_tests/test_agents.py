"""The real agent chain against served metadata: os-collect-config (PyPI)
polls a metadata URL and runs convergence-heat-config, which runs the
script deployments and signals their results over HTTP.

The engine's side is played by functional_tests/metadata_server.py (a
document in Heat's server-metadata shape, signal URLs that record what
they get), so each test states what a server's agent does with it.
"""

import os
import socket

import fixtures
import testtools

from functional_tests import agents
from functional_tests import metadata_server
from functional_tests import waiting

# Seconds an agent may take to notice a change, run a short script and
# signal (os-collect-config starts in about a second, polls every second).
SIGNAL_TIMEOUT = 30
# Seconds of polls after which a deployment that did not run again never
# will (several polling intervals).
QUIET = 4 * agents.POLLING_INTERVAL

COUNTING_SCRIPT = '''#!/bin/sh
echo "$deploy_action $foo" >> "$counter"
echo "foo is $foo"
echo "working on it" >&2
printf 'got %s' "$foo" > "$heat_outputs_path.result"
'''


class AgentTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server = metadata_server.MetadataServer().start()
        self.addCleanup(self.server.stop)
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.counter = os.path.join(self.tmp, 'runs')

    def agent(self) -> agents.Agent:
        return self.useFixture(agents.Agent(self.server.metadata_url))

    def deployment(self, id='config-1', name='dep', action='CREATE',
                   config=COUNTING_SCRIPT, inputs=None, **kwargs):
        url = kwargs.pop('signal_url', None) or self.server.signal_url()
        values = {'foo': 'bar', 'counter': self.counter}
        values.update(inputs or {})
        return url, metadata_server.derived_config(
            id, name, config, url, action=action, inputs=values,
            outputs=kwargs.pop('outputs', ['result']), **kwargs)

    def wait_signals(self, url, count=1, timeout=SIGNAL_TIMEOUT):
        return waiting.wait_until(
            lambda: len(self.server.signals_to(url)) >= count and
            self.server.signals_to(url), timeout,
            '%d signal(s) to %s' % (count, url),
            describe=lambda: repr(self.server.signals))

    def runs(self) -> list[str]:
        if not os.path.exists(self.counter):
            return []
        with open(self.counter) as f:
            return f.read().splitlines()


class ScriptDeploymentTest(AgentTestCase):

    def test_inputs_reach_the_script_and_outputs_the_signal(self):
        url, derived = self.deployment(inputs={'foo': 'a value'})
        self.server.set_deployments([derived])
        self.agent()
        [signal] = self.wait_signals(url)
        self.assertEqual('PUT', signal.verb)
        self.assertEqual({'result': 'got a value',
                          'deploy_stdout': 'foo is a value\n',
                          'deploy_stderr': 'working on it\n',
                          'deploy_status_code': 0}, signal.body)
        self.assertEqual(['CREATE a value'], self.runs())

    def test_a_cfn_signal_is_a_post(self):
        url, derived = self.deployment(transport='CFN_SIGNAL')
        self.server.set_deployments([derived])
        self.agent()
        [signal] = self.wait_signals(url)
        self.assertEqual(('POST', 0), (signal.verb,
                                       signal.body['deploy_status_code']))

    def test_a_failing_script_signals_its_status_and_stderr(self):
        url, derived = self.deployment(
            config='#!/bin/sh\necho partial\necho "disk full" >&2\nexit 3\n')
        self.server.set_deployments([derived])
        self.agent()
        [signal] = self.wait_signals(url)
        self.assertEqual({'deploy_stdout': 'partial\n',
                          'deploy_stderr': 'disk full\n',
                          'deploy_status_code': 3}, signal.body)

    def test_an_unknown_group_signals_a_failure_naming_it(self):
        url, derived = self.deployment(group='puppet')
        self.server.set_deployments([derived])
        self.agent()
        [signal] = self.wait_signals(url)
        self.assertEqual(127, signal.body['deploy_status_code'])
        self.assertIn('no hook for group "puppet"',
                      signal.body['deploy_stderr'])
        self.assertEqual([], self.runs())

    def test_two_deployments_run_in_order(self):
        order = os.path.join(self.tmp, 'order')
        script = ('#!/bin/sh\nsleep "$pause"\n'
                  'echo "$deploy_resource_name" >> "%s"\n' % order)
        first_url, first = self.deployment('config-1', 'first', config=script,
                                           inputs={'pause': '1'})
        second_url, second = self.deployment('config-2', 'second',
                                             config=script,
                                             inputs={'pause': '0'})
        self.server.set_deployments([first, second])
        self.agent()
        [second_signal] = self.wait_signals(second_url)
        [first_signal] = self.wait_signals(first_url)
        with open(order) as f:
            self.assertEqual(['first', 'second'], f.read().splitlines())
        self.assertLess(first_signal.at, second_signal.at)


class ChangedMetadataTest(AgentTestCase):

    def test_unchanged_metadata_runs_nothing_again(self):
        url, derived = self.deployment()
        self.server.set_deployments([derived])
        agent = self.agent()
        self.wait_signals(url)
        fetches = self.server.metadata_fetches
        waiting.stays(lambda: len(self.server.signals_to(url)) == 1,
                      QUIET, 'one signal')
        self.assertGreater(self.server.metadata_fetches, fetches + 1,
                           'the agent kept polling')
        self.assertEqual(['CREATE bar'], self.runs())
        # os-collect-config did not even run the command again (the runner
        # would have logged the action as already deployed)
        self.assertNotIn('already deployed', agent.log())

    def test_a_new_action_and_a_new_deployment_run(self):
        create_url, created = self.deployment()
        self.server.set_deployments([created])
        self.agent()
        self.wait_signals(create_url)
        # the same config id, now for UPDATE, with new input values
        update_url, updated = self.deployment(action='UPDATE',
                                              inputs={'foo': 'baz'})
        self.server.set_deployments([updated])
        [signal] = self.wait_signals(update_url)
        self.assertEqual('got baz', signal.body['result'])
        other_url, other = self.deployment('config-2', 'other')
        self.server.set_deployments([updated, other])
        self.wait_signals(other_url)
        waiting.stays(lambda: len(self.server.signals) == 3, QUIET,
                      'three signals, one per action')
        self.assertEqual(['CREATE bar', 'UPDATE baz', 'CREATE bar'],
                         self.runs())


class AgentRestartTest(AgentTestCase):

    def test_killed_mid_script_the_restarted_agent_finishes_the_job(self):
        gate = os.path.join(self.tmp, 'gate')
        script = ('#!/bin/sh\necho started >> "$counter"\n'
                  'while [ ! -e "%s" ]; do sleep 0.1; done\n'
                  'printf done > "$heat_outputs_path.result"\n' % gate)
        url, derived = self.deployment(config=script)
        self.server.set_deployments([derived])
        agent = self.agent()
        waiting.wait_until(self.runs, SIGNAL_TIMEOUT, 'the script started')
        agent.kill()
        self.assertEqual([], self.server.signals_to(url, landed_only=False))
        open(gate, 'w').close()
        agent.start()
        [signal] = self.wait_signals(url)
        self.assertEqual(('done', 0), (signal.body['result'],
                                       signal.body['deploy_status_code']))
        waiting.stays(lambda: len(self.server.signals) == 1, QUIET,
                      'one signal for the action')
        self.assertEqual(['started', 'started'], self.runs())
        [record] = agent.records().values()
        self.assertEqual(('DONE', 2), (record['phase'], record['runs']))

    def test_an_orphaned_runner_finishes_and_its_successor_waits(self):
        gate = os.path.join(self.tmp, 'gate')
        script = ('#!/bin/sh\necho started >> "$counter"\n'
                  'while [ ! -e "%s" ]; do sleep 0.1; done\n' % gate)
        url, derived = self.deployment(config=script)
        self.server.set_deployments([derived])
        agent = self.agent()
        self.addCleanup(lambda: open(gate, 'w').close())
        waiting.wait_until(self.runs, SIGNAL_TIMEOUT, 'the script started')
        agent.kill_collector()
        agent.start()
        # the new os-collect-config runs a second runner, which waits for
        # the orphan's lock
        waiting.wait_until(lambda: 'waiting for it to finish' in agent.log(),
                           SIGNAL_TIMEOUT, 'the second runner waiting')
        self.assertEqual([], self.server.signals_to(url, landed_only=False))
        open(gate, 'w').close()
        self.wait_signals(url)
        waiting.stays(lambda: len(self.server.signals) == 1, QUIET,
                      'one signal for the action')
        self.assertEqual(['started'], self.runs())
        self.assertIn('already deployed', agent.log())

    def test_killed_while_signalling_the_restarted_agent_resends(self):
        url, derived = self.deployment()
        self.server.answer(url, *[503] * 1000)
        self.server.set_deployments([derived])
        agent = self.agent()
        waiting.wait_until(
            lambda: len(self.server.signals_to(url, landed_only=False)) >= 2,
            SIGNAL_TIMEOUT, 'signal attempts answered 503')
        agent.kill()
        self.server.answer(url)
        agent.start()
        [signal] = self.wait_signals(url)
        self.assertEqual('got bar', signal.body['result'])
        waiting.stays(lambda: len(self.server.signals_to(url)) == 1, QUIET,
                      'one signal landed')
        self.assertEqual(['CREATE bar'], self.runs(), 'the script ran once')

    def test_a_signal_url_down_at_first_is_retried(self):
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            port = probe.getsockname()[1]
        url, derived = self.deployment(signal_url=self.server.signal_url(
            'http://127.0.0.1:%d' % port))
        self.server.set_deployments([derived])
        agent = self.agent()
        waiting.wait_until(lambda: 'failed: ' in agent.log(), SIGNAL_TIMEOUT,
                           'a refused connection')
        late = metadata_server.MetadataServer(port=port).start()
        self.addCleanup(late.stop)
        [signal] = waiting.wait_until(
            lambda: late.signals_to(url), SIGNAL_TIMEOUT, 'the late signal')
        self.assertEqual('got bar', signal.body['result'])
        self.assertEqual(['CREATE bar'], self.runs())
