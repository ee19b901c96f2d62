"""A row awaiting an external signal (worker/signal_wait.py).

Given A <- W <- C where W's create and update wait for signals, the node
of W records its wait on the row and ends: no message in flight, no
thread; ``deliver`` (from any engine) stores the signal and wakes the row,
which finishes COMPLETE or FAILED and lets C go on.
"""

from convergence import resources
from convergence.resources import base
from convergence.resources.await_signal import Await
from convergence.tests.scenarios import framework
from convergence.worker import signal_wait

AWAITING = 'Scenario::Awaiting'


class AwaitingResource(base.Resource):
    """Waits for ``signals`` signals at create and update; a signal
    ``{'fail': reason}`` fails it; attribute ``got``: the last signal's
    ``value``."""

    properties_schema = None
    retry_safe = True
    cancelled: list = []

    def handle_create(self):
        self.resource_id_set('w-%s' % self.name)
        return Await({'left': int(self.properties.get('signals', 1))})

    def handle_update(self, new_properties, prop_diff):
        return Await({'left': int(new_properties.get('signals', 1))})

    def handle_delete(self):
        return None

    def handle_awaited_signal(self, token, details):
        if details.get('fail'):
            raise ValueError(details['fail'])
        self.data_set('got', details.get('value'))
        left = token['left'] - 1
        return Await({'left': left}) if left > 0 else None

    def handle_create_cancel(self, token):
        self.cancelled.append(('CREATE', self.name))

    def handle_update_cancel(self, token):
        self.cancelled.append(('UPDATE', self.name))

    def plan_update(self, new, *, failed=False):
        diff = base.diff_properties(self.properties, new)
        return base.UpdatePlan(base.IN_PLACE if diff or failed
                               else base.NO_CHANGE, diff)

    def get_attribute(self, name):
        return self.context.data.get(name)

    @classmethod
    def has_attribute(cls, name):
        return True


def _template(value='one', signals=1, fail_a=False):
    return {'heat_template_version': '2015-10-15', 'resources': {
        'A': {'type': framework.RESOURCE_TYPE,
              'properties': {'a': value, 'fail': fail_a}},
        'W': {'type': AWAITING, 'properties': {
            'after': {'get_attr': ['A', 'a']}, 'signals': signals}},
        'C': {'type': framework.RESOURCE_TYPE,
              'properties': {'c': {'get_attr': ['W', 'got']}}}}}


class SignalWaitScenario(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        resources.register(AWAITING, AwaitingResource)
        self.addCleanup(resources.unregister, AWAITING)
        AwaitingResource.cancelled = []
        self.s = self.scenario

    def create(self, template, timeout=None):
        s = self.s
        args = {'timeout_mins': timeout} if timeout else {}
        s.call(lambda: s.engine_service.create_stack(
            s.context, 'foo', template, {'parameters': {}}, {}, args))

    def update(self, template):
        s = self.s
        s.call(lambda: s.engine_service.update_stack(
            s.context, s._identity('foo'), template, {'parameters': {}}, {},
            {}))

    def row(self, name='W'):
        return self.s.rows(name)[-1]

    def signal(self, details, wait_id=None):
        return signal_wait.deliver(self.s.rt, self.row()['id'], details,
                                   wait_id)

    def assert_waiting(self, action, stack_action=None):
        row = self.row()
        self.assertIsNotNone(signal_wait.waiting(row), row)
        self.assertEqual((action, 'IN_PROGRESS'),
                         (row['action'], row['status']))
        self.assertEqual([], list(self.s.messenger.queue))
        self.s.assert_state('%s_IN_PROGRESS' % (stack_action or action))

    def test_the_signal_ends_the_wait(self):
        """Given W waiting after A was created, when a signal comes, then W
        completes with the signal's data and C reads it."""
        s = self.s
        self.create(_template())
        s.run()
        self.assert_waiting('CREATE')
        s.assert_counts({'A': 1, 'C': 0})
        self.assertTrue(self.signal({'value': 'hello'}))
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({'c': 'hello'}, s.props('C'))
        self.assertIsNone(self.row()['awaiting'])

    def test_a_second_signal_finds_nothing(self):
        """Two signals for one wait have one winner: the second finds no
        wait and changes nothing."""
        s = self.s
        self.create(_template())
        s.run()
        wait_id = signal_wait.waiting(self.row())[signal_wait.WAIT_ID]
        self.assertTrue(self.signal({'value': 'first'}, wait_id))
        self.assertFalse(self.signal({'value': 'second'}, wait_id))
        s.run()
        self.assertEqual({'c': 'first'}, s.props('C'))

    def test_a_wait_for_several_signals(self):
        s = self.s
        self.create(_template(signals=2))
        s.run()
        self.assertTrue(self.signal({'value': 'one'}))
        s.run()
        self.assert_waiting('CREATE')
        self.assertTrue(self.signal({'value': 'two'}))
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({'c': 'two'}, s.props('C'))

    def test_a_failing_signal_fails_the_stack(self):
        s = self.s
        self.create(_template())
        s.run()
        self.signal({'fail': 'it broke'})
        s.run()
        s.assert_state('CREATE_FAILED')
        row = self.row()
        self.assertEqual('FAILED', row['status'])
        self.assertIn('it broke', row['status_reason'])
        self.assertEqual(0, s.count('C'))

    def test_an_update_takes_the_waiting_row_over(self):
        """Given W waiting in the create, when an update comes, then its
        node takes W over and waits anew; the old wait takes no signal,
        the new one ends the update."""
        s = self.s
        self.create(_template())
        s.run()
        old = signal_wait.waiting(self.row())[signal_wait.WAIT_ID]
        self.update(_template('two'))
        s.run()
        self.assert_waiting('UPDATE')
        new = signal_wait.waiting(self.row())[signal_wait.WAIT_ID]
        self.assertNotEqual(old, new)
        self.assertFalse(self.signal({'value': 'late'}, old))
        self.assertTrue(self.signal({'value': 'fresh'}, new))
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual({'c': 'fresh'}, s.props('C'))
        self.assertEqual({'a': 'two', 'fail': False}, s.props('A'))

    def test_a_signal_racing_a_newer_traversal(self):
        """The signal read the wait, the update took the row meanwhile: the
        signal's swap loses and nothing of it is stored."""
        s = self.s
        self.create(_template())
        s.run()
        old = signal_wait.waiting(self.row())[signal_wait.WAIT_ID]
        stale_row = self.row()
        self.update(_template('two'))
        s.run()
        self.assertFalse(s.rt.db.resource_cas(
            stale_row['id'], {'atomic_key': stale_row['atomic_key'],
                              'awaiting': stale_row['awaiting']},
            {'awaiting': dict(stale_row['awaiting'], received=[{}])}))
        self.assertFalse(self.signal({'value': 'late'}, old))
        self.assertEqual([], signal_wait.stored_signals(self.row()))

    def test_the_deadline_fails_the_wait(self):
        """The timer set at the stack's deadline fails the traversal with
        'Timed out'; the row fails as Heat words a timed-out task, and the
        plugin's cancel hook runs."""
        s = self.s
        self.create(_template(), timeout=5)
        s.run()
        s.fire_timers()
        s.run()
        s.assert_state('CREATE_FAILED')
        stack = s._stack('foo')
        self.assertEqual('Timed out', stack['status_reason'])
        row = self.row()
        self.assertEqual(
            'CREATE aborted (Task create from AwaitingResource "W" [w-W] '
            'Stack "foo" [%s] Timed out)' % stack['id'],
            row['status_reason'])
        self.assertIsNone(row['engine_id'])
        self.assertEqual([('CREATE', 'W')], AwaitingResource.cancelled)
        self.assertFalse(self.signal({'value': 'late'}))

    def test_a_timer_of_an_ended_wait_does_nothing(self):
        s = self.s
        self.create(_template(), timeout=5)
        s.run()
        self.signal({'value': 'x'})
        s.run()
        s.fire_timers()
        s.run()
        s.assert_state('CREATE_COMPLETE')

    def test_the_sweeper_times_out_a_wait(self):
        """The timer's engine died: the sweeper fails the traversal past
        its deadline, ending the wait."""
        s = self.s
        self.create(_template())
        s.run()
        s.timers.clear()
        done = s.sweep(down_after=s.rt.settings.stack_action_timeout + 1)
        self.assertEqual(1, done.timed_out)
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertIn('Timed out', self.row()['status_reason'])

    def test_cancel_ends_the_wait(self):
        s = self.s
        self.create(_template())
        s.run()
        self.signal({'value': 'one'})
        s.run()
        self.update(_template('two'))
        s.run()
        self.assert_waiting('UPDATE')
        s.engine_service.stack_cancel_update(
            s.context, s._identity('foo'), cancel_with_rollback=False)
        s.run()
        s.assert_state('UPDATE_FAILED')
        self.assertEqual('UPDATE aborted', self.row()['status_reason'])
        self.assertEqual([('UPDATE', 'W')], AwaitingResource.cancelled)

    def test_cancel_with_rollback_takes_the_row_back(self):
        s = self.s
        self.create(_template())
        s.run()
        self.signal({'value': 'one'})
        s.run()
        self.update(_template('two'))
        s.run()
        s.engine_service.stack_cancel_update(s.context, s._identity('foo'))
        s.run()
        self.assert_waiting('UPDATE', 'ROLLBACK')
        self.signal({'value': 'back'})
        s.run()
        s.assert_state('ROLLBACK_COMPLETE')
        self.assertEqual({'a': 'one', 'fail': False}, s.props('A'))

    def test_another_failure_ends_the_wait(self):
        """A failing traversal is not held up by a row awaiting a signal."""
        s = self.s
        tmpl = _template()
        # W waits after A; B fails two steps later (after A2).
        tmpl['resources']['A2'] = {'type': framework.RESOURCE_TYPE,
                                   'properties': {'a': {'get_attr': ['A',
                                                                     'a']}}}
        tmpl['resources']['B'] = {'type': framework.RESOURCE_TYPE,
                                  'properties': {'fail': True},
                                  'depends_on': ['A2']}
        self.create(tmpl)
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('CREATE aborted', self.row()['status_reason'])

    def test_a_waiting_row_survives_its_engine(self):
        """The sweeper neither unlocks nor re-sends a waiting row; a signal
        on another engine finishes the stack."""
        s = self.s
        self.create(_template())
        s.run()
        s._engine_died()
        done = s.sweep()
        self.assertFalse(done, done)
        self.assert_waiting('CREATE')
        self.assertTrue(self.signal({'value': 'later'}))
        s.run()
        s.assert_state('CREATE_COMPLETE')

    def test_a_lost_wake_is_woken_by_the_sweeper(self):
        """The engine died between storing the signal and waking the row:
        the stored signal survives and the sweeper wakes the row."""
        s = self.s
        self.create(_template())
        s.run()
        wake = signal_wait.wake
        died = []

        def die(rt, row_id):
            died.append(row_id)
        signal_wait.wake = die
        try:
            self.assertTrue(self.signal({'value': 'kept'}))
        finally:
            signal_wait.wake = wake
        self.assertEqual(1, len(died))
        self.assertEqual([{'value': 'kept'}],
                         signal_wait.stored_signals(self.row()))
        s._engine_died()
        self.assertEqual(1, s.sweep().resent)
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({'c': 'kept'}, s.props('C'))

    def test_delete_takes_the_waiting_row_over(self):
        s = self.s
        self.create(_template())
        s.run()
        s.delete_stack('foo')
        s.run()
        s.assert_deleted()
