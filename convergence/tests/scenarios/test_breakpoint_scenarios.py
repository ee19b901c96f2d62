"""Breakpoint hooks: a node stops before its action until the hook is cleared.

Given a chain A <- B <- C and an environment with a hook on B, the node of B
stops (its row locked, awaiting the clear, nothing polling), the stack stays
IN_PROGRESS, and ``resource_signal(..., {'unset_hook': ...})`` sends the node
on, on whichever engine is alive.
"""

from convergence import exceptions
from convergence import resources
from convergence.tests.scenarios import framework
from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template
from convergence.worker import breakpoints


RSRC = framework.RESOURCE_TYPE
SIGNALLED = 'Scenario::Signalled'


def _chain(value: str = 'one') -> Template:
    return Template({'A': RsrcDef({'a': value}),
                     'B': RsrcDef({'b': GetAtt('A', 'a')}),
                     'C': RsrcDef({'c': GetAtt('B', 'b')})})


def _hooked(hooks, name: str = 'B') -> dict:
    return {'parameters': {},
            'resource_registry': {'resources': {name: {'hooks': hooks}}}}


class BreakpointScenario(ScenarioTestCase):

    def create(self, tmpl: Template, env: dict) -> None:
        s = self.scenario
        s.call(lambda: s.engine_service.create_stack(
            s.context, 'foo', tmpl.to_hot(), env, {}, {}))

    def update(self, tmpl: Template, env: dict) -> None:
        s = self.scenario
        s.call(lambda: s.engine_service.update_stack(
            s.context, s._identity('foo'), tmpl.to_hot(), env, {}, {}))

    def signal(self, name: str, details, sync_call: bool = False):
        s = self.scenario
        return s.engine_service.resource_signal(
            s.context, s._identity('foo'), name, details, sync_call)

    def clear(self, name: str, hook: str) -> None:
        self.signal(name, {'unset_hook': hook})

    def reasons(self, name: str) -> list[tuple[str, str, str]]:
        """(action, status, reason) of ``name``'s events, oldest first."""
        s = self.scenario
        s.rt.events.flush()
        events = s.engine_service.list_events(
            s.context, s._identity('foo'), filters={'resource_name': name},
            sort_dir='asc')
        return [(e['resource_action'], e['resource_status'],
                 e['resource_status_reason']) for e in events]

    def assert_paused(self, name: str, hook: str, state: str) -> None:
        row = self.scenario.rows(name)[-1]
        self.assertEqual(hook, breakpoints.pause_of(row)[breakpoints.HOOK])
        self.assertEqual(state, '%s_%s' % (row['action'], row['status']))
        self.assertEqual([], list(self.scenario.messenger.queue))


class PreCreate(BreakpointScenario):

    def test_the_node_waits_for_the_clear(self):
        """Given a pre-create hook on B, when the stack is created, then A
        is created, B stops INIT_COMPLETE with Heat's event and no message
        in flight; once cleared, B and C are created and the stack
        completes."""
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.noop(3)
        s.call(s.assert_state, 'CREATE_IN_PROGRESS')
        s.call(self.assert_paused, 'B', 'pre-create', 'INIT_COMPLETE')
        s.call(s.assert_counts, {'A': 1, 'B': 0, 'C': 0})
        s.call(self.clear, 'B', 'pre-create')
        s.noop(3)
        s.call(s.verify, _chain())
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(
            [('INIT', 'COMPLETE',
              'CREATE paused until Hook pre-create is cleared'),
             ('INIT', 'COMPLETE', 'Hook pre-create is cleared'),
             ('CREATE', 'IN_PROGRESS', 'state changed'),
             ('CREATE', 'COMPLETE', 'state changed')], self.reasons('B'))

    def test_a_wildcard_stops_every_resource_in_turn(self):
        s = self.scenario
        self.create(_chain(), _hooked(['pre-create'], name='*'))
        s.run()
        for name in 'ABC':
            self.assert_paused(name, 'pre-create', 'INIT_COMPLETE')
            self.clear(name, 'pre-create')
            s.run()
        s.verify(_chain())
        s.assert_state('CREATE_COMPLETE')

    def test_a_paused_row_survives_its_engine(self):
        """Given B paused, when its engine dies and another engine's sweeper
        runs, then the pause is neither unlocked nor re-sent; a clear on the
        new engine finishes the stack."""
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.run()
        s._engine_died()
        done = s.sweep()
        self.assertFalse(done, done)
        self.assert_paused('B', 'pre-create', 'INIT_COMPLETE')
        self.clear('B', 'pre-create')
        s.run()
        s.verify(_chain())
        s.assert_state('CREATE_COMPLETE')

    def test_a_clear_whose_message_is_lost_is_resent_by_recovery(self):
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.run()
        self.clear('B', 'pre-create')
        s.messenger.queue.clear()
        self.assertEqual(1, s.sweep().resent)
        s.run()
        s.verify(_chain())
        s.assert_state('CREATE_COMPLETE')

    def test_a_repeated_trigger_waits_with_the_pause(self):
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.run()
        row = s.rows('B')[-1]
        stack = s._stack('foo')
        s.messenger.cast_check_resource(row['id'], stack['current_traversal'],
                                        {}, True)
        s.run()
        self.assert_paused('B', 'pre-create', 'INIT_COMPLETE')
        self.assertEqual(1, self.reasons('B').count(
            ('INIT', 'COMPLETE',
             'CREATE paused until Hook pre-create is cleared')))

    def test_cancel_ends_the_pause(self):
        """Given B paused, when the create is cancelled, then B is unlocked
        as it was, without an event (as in Heat), and the stack fails."""
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.run()
        s.engine_service.stack_cancel_update(
            s.context, s._identity('foo'), cancel_with_rollback=False)
        s.run()
        s.assert_state('CREATE_FAILED')
        row = s.rows('B')[-1]
        self.assertIsNone(row['engine_id'])
        self.assertEqual('INIT', row['action'])
        self.assertEqual(
            [('INIT', 'COMPLETE',
              'CREATE paused until Hook pre-create is cleared')],
            self.reasons('B'))
        self.assertEqual('Stack CREATE cancelled',
                         s._stack('foo')['status_reason'])

    def test_delete_ends_the_pause(self):
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.run()
        s.delete_stack('foo')
        s.run()
        s.assert_deleted()
        self.assertEqual({}, s.reality.all_resources())

    def test_an_update_takes_the_paused_row_over(self):
        """An update is no stack create: B is created without stopping."""
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.run()
        self.update(_chain('two'), _hooked('pre-create'))
        s.run()
        s.verify(_chain('two'))
        s.assert_state('UPDATE_COMPLETE')

    def test_a_stack_timing_out_ends_the_pause(self):
        s = self.scenario
        self.create(_chain(), _hooked('pre-create'))
        s.run()
        # A down time past the stack's timeout: the sweep comes after it.
        done = s.sweep(down_after=s.rt.settings.stack_action_timeout + 1)
        self.assertEqual(1, done.timed_out)
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('Timed out', s._stack('foo')['status_reason'])


class PreUpdateAndDelete(BreakpointScenario):

    def test_pre_update_stops_an_unchanged_resource(self):
        s = self.scenario
        self.create(_chain(), _hooked('pre-update'))
        s.run()
        s.assert_state('CREATE_COMPLETE')
        before = s.physical_ids('B')
        self.update(_chain(), _hooked('pre-update'))
        s.run()
        s.assert_state('UPDATE_IN_PROGRESS')
        self.assert_paused('B', 'pre-update', 'CREATE_COMPLETE')
        self.clear('B', 'pre-update')
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual(before, s.physical_ids('B'))
        self.assertIn(('CREATE', 'COMPLETE',
                       'UPDATE paused until Hook pre-update is cleared'),
                      self.reasons('B'))

    def test_pre_update_before_a_change(self):
        s = self.scenario
        self.create(_chain(), _hooked('pre-update'))
        s.run()
        self.update(_chain('two'), _hooked('pre-update'))
        s.run()
        self.assertEqual({'b': 'one'}, s.props('B'))
        self.clear('B', 'pre-update')
        s.run()
        s.verify(_chain('two'))
        s.assert_state('UPDATE_COMPLETE')

    def test_cancel_with_rollback_while_paused(self):
        """Given B paused before its update, when the update is cancelled,
        then the rollback takes B over; B never left the rollback's
        template, so it does not stop again."""
        s = self.scenario
        self.create(_chain(), _hooked('pre-update'))
        s.run()
        self.update(_chain('two'), _hooked('pre-update'))
        s.run()
        s.engine_service.stack_cancel_update(s.context, s._identity('foo'))
        s.run()
        s.assert_state('ROLLBACK_COMPLETE')
        s.verify(_chain())
        self.assertIsNone(breakpoints.pause_of(s.rows('B')[-1]))

    def test_pre_delete_stops_only_a_stack_delete(self):
        s = self.scenario
        self.create(_chain(), _hooked('pre-delete'))
        s.run()
        s.delete_stack('foo')
        s.run()
        s.assert_state('DELETE_IN_PROGRESS')
        self.assert_paused('B', 'pre-delete', 'CREATE_COMPLETE')
        s.assert_counts({'A': 1, 'B': 1, 'C': 0})
        self.clear('B', 'pre-delete')
        s.run()
        s.assert_deleted()


class Signals(BreakpointScenario):

    def setUp(self):
        super().setUp()
        self.create(_chain(), _hooked('pre-create'))
        self.scenario.run()

    def test_an_unknown_hook_type(self):
        exc = self.assertRaises(exceptions.InvalidBreakPointHook, self.signal,
                                'B', {'unset_hook': 'pre-lunch'})
        self.assertEqual('Invalid hook type "pre-lunch" for ScenarioResource '
                         '"B" Stack "foo" [%s]' % self.scenario._stack(
                             'foo')['id'], exc.message)

    def test_a_hook_the_resource_is_not_paused_at(self):
        exc = self.assertRaises(exceptions.InvalidBreakPointHook, self.signal,
                                'A', {'unset_hook': 'pre-create'})
        self.assertIn('The "pre-create" hook is not defined on '
                      'ScenarioResource "A" [', exc.message)

    def test_a_hook_cleared_twice(self):
        self.clear('B', 'pre-create')
        self.assertRaises(exceptions.InvalidBreakPointHook, self.clear, 'B',
                          'pre-create')

    def test_a_type_without_signals(self):
        exc = self.assertRaises(exceptions.ResourceActionNotSupported,
                                self.signal, 'A', {'anything': 1})
        self.assertEqual('signal is not supported for resource.',
                         exc.message)
        self.assertEqual(400, exc.http_status)

    def test_an_unknown_resource(self):
        self.assertRaises(exceptions.ResourceNotFound, self.signal, 'Z', {})

    def test_a_resource_being_deleted(self):
        s = self.scenario
        row = s.rows('A')[-1]
        s.db.resource_cas(row['id'], {'atomic_key': row['atomic_key']},
                          {'action': 'DELETE', 'status': 'IN_PROGRESS'})
        exc = self.assertRaises(exceptions.NotSupported, self.signal, 'A',
                                {'unset_hook': 'pre-create'})
        self.assertEqual('Signal resource during DELETE is not supported.',
                         exc.message)
        self.assertIn(('DELETE', 'IN_PROGRESS',
                       'Cannot signal resource during DELETE'),
                      self.reasons('A'))


class Nested(BreakpointScenario):

    def test_a_hook_given_under_the_parent_resource_stops_the_child(self):
        """Given ``nested: {L2: {hooks: pre-create}}``, the child stack of
        ``nested`` stops at its L2; the child's own resource is signalled
        (as ``openstack stack hook clear`` does) and the tree completes."""
        s = self.scenario
        leaf = {'heat_template_version': '2018-08-31',
                'resources': {'L1': {'type': RSRC},
                              'L2': {'type': RSRC, 'depends_on': 'L1'}}}
        root = {'heat_template_version': '2018-08-31',
                'resources': {'nested': {'type': 'leaf.yaml'},
                              'L2': {'type': RSRC}}}
        env = {'parameters': {}, 'resource_registry': {'resources': {
            'nested': {'L2': {'hooks': 'pre-create'}}}}}
        s.engine_service.create_stack(s.context, 'foo', root, env,
                                      {'leaf.yaml': leaf}, {})
        s.run()
        child = s.db.stack_list('test', filters={'owner_id': s._stack(
            'foo')['id']})[0]
        self.assertEqual('IN_PROGRESS', child['status'])
        # The root's own L2 has no hook.
        self.assertIsNone(breakpoints.pause_of(s.rows('L2')[-1]))
        paused = [r for r in s.db.resources_of_stack(child['id'])
                  if breakpoints.pause_of(r)]
        self.assertEqual(['L2'], [r['name'] for r in paused])
        s.engine_service.resource_signal(
            s.context, {'stack_name': child['name'], 'stack_id': child['id'],
                        'tenant': 'test', 'path': ''}, 'L2',
            {'unset_hook': 'pre-create'})
        s.run()
        s.assert_state('CREATE_COMPLETE')


class Signalled(framework.ScenarioResource):
    """A scenario resource taking signals: it counts them in its data."""

    def handle_signal(self, details):
        self.context.data['signals'] = self.context.data.get('signals', 0) + 1
        if details == 'bad':
            raise ValueError('no, thanks')
        return details.get('say') if isinstance(details, dict) else None


class PluginSignals(BreakpointScenario):

    def setUp(self):
        super().setUp()
        resources.register(SIGNALLED, Signalled)
        self.addCleanup(resources.unregister, SIGNALLED)
        self.scenario.engine_service.create_stack(
            self.scenario.context, 'foo', {
                'heat_template_version': '2018-08-31',
                'resources': {'S': {'type': SIGNALLED}}}, {}, {}, {})
        self.scenario.run()

    def signals(self) -> int:
        return (self.scenario.rows('S')[-1]['rsrc_data'] or {}).get('signals')

    def test_a_synchronous_signal_reaches_the_plugin(self):
        self.assertEqual({}, self.signal('S', {'say': 'hello'}, True))
        self.assertEqual(1, self.signals())
        self.assertEqual(('SIGNAL', 'COMPLETE', 'Signal: hello'),
                         self.reasons('S')[-1])

    def test_an_asynchronous_signal_and_heats_reasons(self):
        self.assertIsNone(self.signal('S', None))
        self.assertIsNone(self.signal('S', {'previous': 'ok', 'current':
                                            'alarm', 'reason': 'high'}))
        self.assertEqual(2, self.signals())
        self.assertEqual(
            [('SIGNAL', 'COMPLETE', 'No signal details provided'),
             ('SIGNAL', 'COMPLETE',
              'alarm state changed from ok to alarm (high)')],
            self.reasons('S')[-2:])

    def test_a_failing_handler(self):
        exc = self.assertRaises(exceptions.ResourceFailure, self.signal, 'S',
                                'bad', True)
        self.assertEqual('ValueError: resources.S: no, thanks', exc.message)
        self.assertIsNone(self.signals())

    def test_unset_hook_never_reaches_the_plugin(self):
        self.assertRaises(exceptions.InvalidBreakPointHook, self.signal, 'S',
                          {'unset_hook': 'pre-create'})
        self.assertIsNone(self.signals())
