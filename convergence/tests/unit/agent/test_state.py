"""The records of deployment actions: what a restarted agent does next, and
that a record is written whole."""

import os
import threading

import fixtures
import testtools

from convergence.agent import state

DEPLOYMENT = {'id': 'c1', 'inputs': []}
RESULT = {'deploy_stdout': '', 'deploy_stderr': '', 'deploy_status_code': 0}


class NextStepTest(testtools.TestCase):

    def test_an_action_never_seen_runs(self):
        self.assertEqual(state.RUN, state.next_step(None))

    def test_a_run_cut_short_runs_again_and_counts_the_runs(self):
        record = state.started(None, DEPLOYMENT)
        self.assertEqual(state.RUN, state.next_step(record))
        self.assertEqual(2, state.started(record, DEPLOYMENT)['runs'])

    def test_a_result_not_delivered_is_sent_again_not_rerun(self):
        record = state.ran(state.started(None, DEPLOYMENT), RESULT)
        self.assertEqual(state.SIGNAL, state.next_step(record))
        self.assertEqual(state.SIGNAL, state.next_step(
            state.attempted(record, 8)))
        self.assertEqual(RESULT, record['result'])

    def test_a_delivered_result_is_the_end(self):
        record = state.delivered(state.attempted(state.ran(
            state.started(None, DEPLOYMENT), RESULT), 2), 'PUT u: HTTP 200')
        self.assertEqual(state.SKIP, state.next_step(record))
        self.assertEqual((1, 2, 'PUT u: HTTP 200'), (
            record['runs'], record['signals'], record['delivery']))

    def test_an_action_refused_before_running_is_the_end(self):
        record = state.not_run(DEPLOYMENT, 'transport X')
        self.assertEqual(state.SKIP, state.next_step(record))
        self.assertEqual((0, 'not run: transport X'), (
            record['runs'], record['delivery']))


class RecordKeyTest(testtools.TestCase):

    def test_an_id_and_action_make_a_readable_name(self):
        self.assertEqual('1b2c-3d.UPDATE',
                         state.record_key('1b2c-3d', 'UPDATE'))

    def test_odd_names_never_escape_or_collide(self):
        keys = {state.record_key(i, a) for i, a in [
            ('../x', 'CREATE'), ('__x', 'CREATE'), ('a.b', 'C'),
            ('a', 'b.C'), ('', 'CREATE'), ('é', 'CREATE')]}
        self.assertEqual(6, len(keys))
        for key in keys:
            self.assertNotIn('/', key)
            self.assertFalse(key.startswith('.'))


class StateDirTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        self.store = state.StateDir(self.root)

    def test_a_saved_record_loads_back(self):
        record = state.ran(state.started(None, DEPLOYMENT), RESULT)
        self.store.save('k', record)
        loaded = self.store.load('k')
        self.assertEqual(record, {k: v for k, v in loaded.items()
                                  if k != 'updated_at'})
        self.assertIsNone(self.store.load('other'))

    def test_records_are_private_and_no_temporary_file_is_left(self):
        self.store.save('k', state.started(None, DEPLOYMENT))
        self.assertEqual(0o700, os.stat(self.store.records).st_mode & 0o777)
        self.assertEqual(['k.json'], os.listdir(self.store.records))
        self.assertEqual(0o600, os.stat(self.store.path('k')).st_mode & 0o777)

    def test_an_unreadable_record_runs_again(self):
        with open(self.store.path('k'), 'w') as f:
            f.write('{"phase": "RA')
        self.assertEqual(state.RUN, state.next_step(self.store.load('k')))
        with open(self.store.path('k'), 'w') as f:
            f.write('{"phase": "WEIRD", "runs": 3}')
        self.assertEqual({'phase': state.RUNNING, 'runs': 3},
                         self.store.load('k'))


class LockTest(testtools.TestCase):

    def test_a_second_runner_is_told_and_waits_for_the_first(self):
        root = self.useFixture(fixtures.TempDir()).path
        store = state.StateDir(root)
        held, release, order = threading.Event(), threading.Event(), []

        def first_runner():
            with store.lock():
                held.set()
                release.wait(10)
                order.append('first done')

        thread = threading.Thread(target=first_runner)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(release.set)
        self.assertTrue(held.wait(10))

        def told(path):
            order.append('told %s' % os.path.basename(path))
            release.set()

        with store.lock(on_wait=told):
            order.append('second holds it')
        self.assertEqual(['told lock', 'first done', 'second holds it'], order)

    def test_a_free_lock_is_taken_without_a_word(self):
        store = state.StateDir(self.useFixture(fixtures.TempDir()).path)
        told = []
        with store.lock(on_wait=told.append):
            pass
        self.assertEqual([], told)
