"""Wait conditions and delays, stepped (resources/wait_condition.py,
resources/delay.py on worker/signal_wait.py).

handle <- wait <- C: the condition records its wait and its node ends (no
message, no thread); a signal to the handle, through the engine's
resource_signal, wakes it with what the handle holds; it completes at
``count`` SUCCESS signals, fails at a FAILURE or when its timer fires.
"""

import json

import fixtures

from convergence import exceptions
from convergence.resources import delay
from convergence.resources import wait_condition
from convergence.tests.scenarios import framework
from convergence.worker import signal_wait


def _template(count=1, timeout=60, handle_type='OS::Heat::WaitConditionHandle',
              handle_ref=None):
    resources = {
        'handle': {'type': handle_type},
        'wait': {'type': 'OS::Heat::WaitCondition', 'properties': {
            'handle': handle_ref or {'get_resource': 'handle'},
            'count': count, 'timeout': timeout}},
        'C': {'type': framework.RESOURCE_TYPE,
              'properties': {'c': {'get_attr': ['wait', 'data']}}}}
    return {'heat_template_version': '2015-10-15', 'resources': resources,
            'outputs': {'curl': {'value': {'get_attr': ['handle',
                                                        'curl_cli']}}}}


class WaitConditionScenario(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
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

    def signal(self, details, name='handle'):
        s = self.s
        return s.engine_service.resource_signal(
            s.context, s._identity('foo'), name, details, sync_call=True)

    def row(self, name='wait'):
        return [r for r in self.s.rows(name) if r['action'] != 'INIT'][-1]

    def assert_waiting(self, action='CREATE', stack_action=None):
        row = self.row()
        self.assertIsNotNone(signal_wait.waiting(row), row)
        self.assertEqual((action, 'IN_PROGRESS'),
                         (row['action'], row['status']))
        self.assertEqual([], list(self.s.messenger.queue))
        self.s.assert_state('%s_IN_PROGRESS' % (stack_action or action))

    def fire_timeouts(self):
        """Fire the condition's timeout timers only (not the stack's)."""
        s = self.s
        due = [t for t in s.timers if t[1] is signal_wait.deliver]
        s.timers = [t for t in s.timers if t not in due]
        for _, func, args in due:
            func(*args)

    def test_a_success_signal_completes_the_condition(self):
        s = self.s
        self.create(_template())
        s.run()
        self.assert_waiting()
        self.assertEqual(0, s.count('C'))
        self.signal({'status': 'SUCCESS', 'reason': 'done', 'data': 'hi',
                     'id': 'one'})
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({'c': json.dumps({'one': 'hi'})}, s.props('C'))

    def test_defaults_of_an_empty_signal(self):
        """An empty signal is SUCCESS, id 1, reason 'Signal 1 received'."""
        s = self.s
        self.create(_template(count=2))
        s.run()
        self.signal(None)
        s.run()
        self.assert_waiting()
        shown = s.engine_service.describe_stack_resource(
            s.context, s._identity('foo'), 'handle')
        self.assertEqual({'1': {'data': None, 'reason': 'Signal 1 received',
                                'status': 'SUCCESS'}}, shown['metadata'])

    def test_count_and_a_repeated_id(self):
        """A repeated id replaces its entry and does not count twice."""
        s = self.s
        self.create(_template(count=2))
        s.run()
        self.signal({'id': 'a', 'data': 'first'})
        s.run()
        self.assert_waiting()
        self.signal({'id': 'a', 'data': 'again'})
        s.run()
        self.assert_waiting()
        self.signal({'id': 'b', 'data': 'second'})
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({'c': json.dumps({'a': 'again', 'b': 'second'})},
                         s.props('C'))

    def test_a_signal_stored_while_the_condition_is_woken(self):
        """The second signal is stored while the first wakes the condition
        (its feed finds no wait then): the condition, waiting again, gets
        it at once."""
        s = self.s
        self.create(_template(count=2))
        s.run()
        handled = wait_condition.WaitCondition.handle_awaited_signal
        during = []

        def racing(plugin, token, details):
            if not during:
                during.append(self.signal({'id': 'second'}))
                self.assertIsNone(signal_wait.waiting(self.row()))
            return handled(plugin, token, details)
        self.useFixture(fixtures.MonkeyPatch(
            'convergence.resources.wait_condition.WaitCondition.'
            'handle_awaited_signal', racing))
        self.signal({'id': 'first'})
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual(['first', 'second'],
                         sorted(json.loads(s.props('C')['c'])))

    def test_a_failure_signal_fails_the_stack(self):
        s = self.s
        self.create(_template(count=3))
        s.run()
        self.signal({'status': 'SUCCESS', 'reason': 'fine'})
        self.signal({'status': 'FAILURE', 'reason': 'it broke'})
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('WaitConditionFailure: resources.wait: it broke',
                         self.row()['status_reason'])
        self.assertEqual(0, s.count('C'))

    def test_a_bad_status_is_refused(self):
        s = self.s
        self.create(_template())
        s.run()
        error = self.assertRaises(exceptions.ResourceFailure, self.signal,
                                  {'status': 'MAYBE'})
        self.assertEqual('ValueError: resources.handle: Metadata format '
                         'invalid', error.message)
        self.assertRaises(exceptions.ResourceFailure, self.signal,
                          {'status': 'SUCCESS', 'colour': 'red'})
        self.assert_waiting()
        self.assertEqual({}, self.row('handle')['rsrc_data'].get('signals',
                                                                 {}))

    def test_the_timeout_fails_the_condition(self):
        s = self.s
        self.create(_template(count=2, timeout=10))
        s.run()
        self.signal({'reason': 'one came'})
        s.run()
        self.fire_timeouts()
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('WaitConditionTimeout: resources.wait: 1 of 2 '
                         'received - one came', self.row()['status_reason'])

    def test_the_stack_timeout_fails_the_condition(self):
        s = self.s
        self.create(_template(), timeout=1)
        s.run()
        s.fire_timers()
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertIn('CREATE aborted (Task create from WaitCondition '
                      '"wait"', self.row()['status_reason'])
        self.assertIn('Timed out', self.row()['status_reason'])

    def test_the_sweeper_delivers_an_overdue_timeout(self):
        """The engine holding the condition's timer died."""
        s = self.s
        self.create(_template(timeout=60))
        s.run()
        s.timers.clear()
        s._engine_died()
        self.assertEqual(0, s.sweep().resent)
        # As if the timer had been due for an hour.
        row = self.row()
        self.assertTrue(s.db.resource_cas(
            row['id'], {'atomic_key': row['atomic_key']},
            {'awaiting': dict(row['awaiting'],
                              wake_at=row['awaiting']['wake_at'] - 3600)}))
        done = s.sweep()
        self.assertEqual(1, done.resent, done)
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('WaitConditionTimeout: resources.wait: 0 of 1 '
                         'received', self.row()['status_reason'])

    def test_an_update_of_count_waits_on_the_stored_signals(self):
        """The handle keeps its signals: a condition updated to count 2
        waits for one more; back to 1 it completes at once."""
        s = self.s
        self.create(_template())
        s.run()
        self.signal({'id': 'x', 'data': 1})
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.update(_template(count=2))
        s.run()
        self.assert_waiting('UPDATE')
        self.signal({'id': 'y', 'data': 2})
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual({'c': json.dumps({'x': 1, 'y': 2})}, s.props('C'))
        self.update(_template(count=1))
        s.run()
        s.assert_state('UPDATE_COMPLETE')

    def test_an_update_while_waiting_takes_the_condition_over(self):
        s = self.s
        self.create(_template(count=2))
        s.run()
        self.signal({'id': 'x'})
        s.run()
        self.update(_template(count=1))
        s.run()
        s.assert_state('UPDATE_COMPLETE')

    def test_an_update_handle_is_replaced_on_every_update(self):
        """UpdateWaitConditionHandle: a new handle (CFN-format signals) and
        so a new condition at each update, waiting for fresh signals."""
        s = self.s
        tmpl = _template(handle_type='OS::Heat::UpdateWaitConditionHandle')
        del tmpl['outputs']
        self.create(tmpl)
        s.run()
        self.assertRaises(exceptions.ResourceFailure, self.signal,
                          {'status': 'SUCCESS'})
        self.signal({'Status': 'SUCCESS', 'Reason': 'r', 'Data': 'v1',
                     'UniqueId': '1'})
        s.run()
        s.assert_state('CREATE_COMPLETE')
        first = self.row('handle')['physical_resource_id']
        self.update(tmpl)
        s.run()
        self.assert_waiting('CREATE', 'UPDATE')
        self.assertNotEqual(first, self.row('handle')['physical_resource_id'])
        self.signal({'Status': 'SUCCESS', 'Reason': 'r', 'Data': 'v2',
                     'UniqueId': '1'})
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual({'c': json.dumps({'1': 'v2'})}, s.props('C'))

    def test_delete_while_waiting(self):
        s = self.s
        self.create(_template())
        s.run()
        s.delete_stack('foo')
        s.run()
        s.assert_deleted()

    def test_a_handle_that_is_no_handle(self):
        s = self.s
        tmpl = _template(handle_ref={'get_resource': 'C0'})
        tmpl['resources']['C0'] = {'type': 'OS::Heat::None'}
        self.create(tmpl)
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('ValueError: resources.wait: C0 is not a valid wait '
                         'condition handle.', self.row()['status_reason'])

    def test_curl_cli_and_signal_attributes(self):
        s = self.s
        self.create(_template())
        s.run()
        stack = s._stack('foo')
        outputs = s.engine_service.show_stack(
            s.context, s._identity('foo'))[0]['outputs']
        curl = [o for o in outputs if o['output_key'] == 'curl'][0]
        token = self.row('handle')['rsrc_data']['token']
        self.assertEqual(
            "curl -i -X POST -H 'X-Auth-Token: %s' -H 'Content-Type: "
            "application/json' -H 'Accept: application/json' "
            "http://127.0.0.1:8004/v1/test/stacks/foo/%s/resources/handle/"
            "signal" % (token, stack['id']), curl['output_value'])

    def test_a_refused_signal_transport(self):
        s = self.s
        tmpl = _template()
        tmpl['resources']['handle']['properties'] = {
            'signal_transport': 'CFN_SIGNAL'}
        error = self.assertRaises(
            exceptions.StackValidationFailed,
            s.engine_service.create_stack, s.context, 'foo', tmpl,
            {'parameters': {}}, {}, {})
        self.assertIn('CFN_SIGNAL is not supported', str(error))


def _delay_template(actions=None, min_wait=2):
    props = {'min_wait': min_wait}
    if actions is not None:
        props['actions'] = actions
    return {'heat_template_version': '2015-10-15', 'resources': {
        'delay': {'type': 'OS::Heat::Delay', 'properties': props},
        'C': {'type': framework.RESOURCE_TYPE, 'properties': {'c': 1},
              'depends_on': ['delay']}}}


class DelayScenario(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.s = self.scenario

    def create(self, template):
        s = self.s
        s.call(lambda: s.engine_service.create_stack(
            s.context, 'foo', template, {'parameters': {}}, {}, {}))

    def delay_timers(self):
        return [t for t in self.s.timers if t[1] is signal_wait.deliver]

    def fire_delays(self):
        s = self.s
        due = self.delay_timers()
        s.timers = [t for t in s.timers if t not in due]
        for _, func, args in due:
            func(*args)

    def test_the_create_waits_for_the_timer(self):
        s = self.s
        self.create(_delay_template())
        s.run()
        s.assert_state('CREATE_IN_PROGRESS')
        self.assertEqual(0, s.count('C'))
        self.assertEqual([2.0], [t[0] for t in self.delay_timers()])
        self.fire_delays()
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual(1, s.count('C'))

    def test_no_delay_when_not_an_action_of_it(self):
        s = self.s
        self.create(_delay_template(actions=['DELETE']))
        s.run()
        s.assert_state('CREATE_COMPLETE')
        s.delete_stack('foo')
        s.run()
        self.assertEqual(1, len(self.delay_timers()))
        self.fire_delays()
        s.run()
        s.assert_deleted()

    def test_suspend_and_resume_wait_when_named(self):
        s = self.s
        self.create(_delay_template(actions=['SUSPEND', 'RESUME']))
        s.run()
        s.assert_state('CREATE_COMPLETE')
        identity = {'stack_name': 'foo', 'stack_id': s._stack('foo')['id'],
                    'tenant': 'test', 'path': ''}
        for action in ('SUSPEND', 'RESUME'):
            call = (s.engine_service.stack_suspend if action == 'SUSPEND'
                    else s.engine_service.stack_resume)
            s.call(call, s.context, identity)
            s.run()
            s.assert_state('%s_IN_PROGRESS' % action)
            self.assertEqual(1, len(self.delay_timers()))
            self.fire_delays()
            s.run()
            s.assert_state('%s_COMPLETE' % action)

    def test_cancel_ends_the_delay(self):
        s = self.s
        self.create(_delay_template())
        s.run()
        s.engine_service.stack_cancel_update(
            s.context, {'stack_name': 'foo', 'stack_id':
                        s._stack('foo')['id'], 'tenant': 'test', 'path': ''},
            cancel_with_rollback=False)
        s.run()
        s.assert_state('CREATE_FAILED')
        self.fire_delays()
        s.run()
        s.assert_state('CREATE_FAILED')

    def test_wait_seconds(self):
        props = {'min_wait': 1, 'max_jitter': 2, 'jitter_multiplier': 3,
                 'actions': ['CREATE']}
        self.assertEqual(7.0, delay.wait_seconds(props, 'CREATE',
                                                 lambda: 1.0))
        self.assertEqual(0.0, delay.wait_seconds(props, 'DELETE'))
