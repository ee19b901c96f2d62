"""The runner: each deployment action run once and its result delivered
once, whatever point a previous agent died at."""

import json
import os

import fixtures
import testtools

from convergence.agent import hooks
from convergence.agent import protocol
from convergence.agent import runner
from convergence.agent import webclient
from convergence.agent import state
from convergence.tests.unit.agent import test_protocol as tp
from convergence.tests.unit.agent import test_signals as ts

SCRIPT = '''#!/bin/sh
echo run >> "$counter"
printf '%s-out' "$deploy_action" > "$heat_outputs_path.out"
'''


class HandleTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        self.store = state.StateDir(os.path.join(self.root, 'state'))
        self.workspace = hooks.Workspace(self.store.root,
                                         {'PATH': os.defpath})
        self.counter = os.path.join(self.root, 'runs')

    def deployment(self, id='c1', action='CREATE',
                   transport='TEMP_URL_SIGNAL'):
        return tp.deployment(id=id, config=SCRIPT, outputs=[{'name': 'out'}],
                             inputs=[tp.inp('counter', self.counter),
                                     tp.inp('deploy_action', action),
                                     tp.inp('deploy_signal_transport',
                                            transport),
                                     tp.inp('deploy_signal_id', 'http://s')])

    def handle(self, deployment, *answers):
        server = ts.ScriptedServer(*answers)
        settled = runner.handle(deployment, self.store, self.workspace,
                                attempts=2, send=server)
        return settled, [json.loads(body) for _, body in server.sent]

    def runs(self) -> int:
        if not os.path.exists(self.counter):
            return 0
        with open(self.counter) as f:
            return len(f.readlines())

    def record(self, deployment):
        return self.store.load(state.record_key(deployment.id,
                                                deployment.action))

    def test_an_action_runs_once_and_is_signalled_once(self):
        d = self.deployment()
        self.assertEqual((True, [{'out': 'CREATE-out', 'deploy_stdout': '',
                                  'deploy_stderr': '',
                                  'deploy_status_code': 0}]),
                         self.handle(d, 200))
        self.assertEqual((True, []), self.handle(d))
        self.assertEqual(1, self.runs())
        self.assertEqual(state.DONE, self.record(d)['phase'])

    def test_a_new_action_for_the_same_config_runs_again(self):
        self.handle(self.deployment(), 200)
        settled, sent = self.handle(self.deployment(action='UPDATE'), 200)
        self.assertEqual('UPDATE-out', sent[0]['out'])
        self.assertEqual(2, self.runs())

    def test_a_run_cut_short_is_run_again(self):
        d = self.deployment()
        self.store.save(state.record_key(d.id, d.action),
                        state.started(None, d.as_dict()))
        self.assertEqual(1, len(self.handle(d, 200)[1]))
        self.assertEqual(1, self.runs())
        self.assertEqual(2, self.record(d)['runs'])

    def test_a_result_kept_but_not_sent_is_sent_without_a_rerun(self):
        d = self.deployment()
        kept = protocol.result('kept', '', 0, {'out': 'earlier'})
        self.store.save(state.record_key(d.id, d.action), state.ran(
            state.started(None, d.as_dict()), kept))
        self.assertEqual((True, [kept]), self.handle(d, 200))
        self.assertEqual(0, self.runs())

    def test_an_undelivered_result_waits_for_the_next_run(self):
        d = self.deployment()
        down = webclient.RetryableError('connection refused')
        settled, sent = self.handle(d, down, down)
        self.assertEqual((False, 2), (settled, len(sent)))
        self.assertEqual((state.RAN, 2), (self.record(d)['phase'],
                                          self.record(d)['signals']))
        self.assertEqual((True, sent[:1]), self.handle(d, 200))
        self.assertEqual(1, self.runs())

    def test_a_refused_signal_is_not_sent_again(self):
        d = self.deployment()
        self.assertEqual(True, self.handle(d, 409)[0])
        self.assertIn('HTTP 409', self.record(d)['delivery'])
        self.assertEqual((True, []), self.handle(d))

    def test_an_unsupported_transport_is_not_run(self):
        d = self.deployment(transport='ZAQAR_SIGNAL')
        self.assertEqual((True, []), self.handle(d))
        self.assertEqual(0, self.runs())
        self.assertIn('not run: signal transport ZAQAR_SIGNAL is not '
                      'supported', self.record(d)['delivery'])


class MainTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable('OS_CONFIG_FILES'))
        self.useFixture(fixtures.MonkeyPatch(
            'convergence.agent.runner._setup_logging', lambda: None))

    def write(self, name, document) -> str:
        path = os.path.join(self.root, name)
        with open(path, 'w') as f:
            json.dump(document, f)
        return path

    def main(self, *files):
        return runner.main(['--state-dir', os.path.join(self.root, 'st'),
                            *files])

    def test_nothing_to_read(self):
        self.assertEqual(2, self.main())

    def test_malformed_metadata_is_retried_by_os_collect_config(self):
        self.assertEqual(1, self.main(self.write('m.json', {
            'deployments': 'not a list'})))

    def test_a_malformed_entry_is_skipped_and_retried(self):
        marker = os.path.join(self.root, 'ran')
        self.assertEqual(1, self.main(self.write('m.json', {'deployments': [
            {'name': 'no id'},
            tp.derived(config='#!/bin/sh\ntouch %s\n' % marker, inputs=[
                tp.inp('deploy_signal_transport', 'NO_SIGNAL')])]})))
        self.assertTrue(os.path.exists(marker))

    def test_the_files_os_collect_config_names(self):
        marker = os.path.join(self.root, 'ran')
        path = self.write('request.json', {'deployments': [tp.derived(
            config='#!/bin/sh\ntouch %s\n' % marker,
            inputs=[tp.inp('deploy_signal_transport', 'NO_SIGNAL')])]})
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CONFIG_FILES', '%s:%s' % (path, self.write('x.json', 'cfg'))))
        self.assertEqual(0, self.main())
        self.assertTrue(os.path.exists(marker))
