"""Recovery scenarios: dead engines, lost messages, missed verdicts.

Heat leaves such a stack IN_PROGRESS until a human acts, and replaces every
resource a dead engine held.  Here a recovery pass (another engine's
sweeper, after the down time) gets every one of them to its verdict.
"""

from convergence import resources
from convergence.resources import base
from convergence.tests.scenarios import framework
from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


def _chain(value: str, replace_a: bool = False) -> Template:
    a_props = {'a!': value} if replace_a else {'a': value}
    a_attr = 'a!' if replace_a else 'a'
    return Template({'A': RsrcDef(a_props),
                     'B': RsrcDef({'b': GetAtt('A', a_attr)}),
                     'C': RsrcDef({'c': GetAtt('B', 'b')})})


def _join() -> Template:
    return Template({'A': RsrcDef({'a': 'one'}), 'B': RsrcDef({'b': 'two'}),
                     'C': RsrcDef({'x': GetAtt('A', 'a'),
                                   'y': GetAtt('B', 'b')})})


class NotSafeToRepeat(framework.ScenarioResource):
    """Like the scenario resource, but an interrupted action must not be
    repeated and a failed resource is replaced (Heat's default)."""

    retry_safe = False

    def plan_update(self, new, *, failed=False):
        if failed:
            return base.UpdatePlan(base.REPLACE, {})
        return super().plan_update(new, failed=failed)


class DeadEngine(ScenarioTestCase):

    def test_interrupted_create_is_retried_in_place(self):
        """Given the engine creating B dies, when another engine recovers,
        then B's own row is created (no replacement) and the stack
        completes with one physical resource per name."""
        s = self.scenario
        s.die_during('B', 'CREATE')
        s.create_stack('foo', _chain('one'))
        s.noop(3)
        s.call(s.assert_state, 'CREATE_IN_PROGRESS')
        s.recover()
        s.noop(3)
        s.call(s.verify, _chain('one'))
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(1, len(s.rows('B')))
        self.assertEqual(1, s.sweeps[0].unlocked)
        self.assertEqual(['engine-1'], s.dead_engines)

    def test_interrupted_create_not_safe_to_repeat_is_replaced(self):
        """Given a type whose interrupted action is unsafe to repeat, when
        the engine creating B dies and another recovers, then B is replaced
        by a new row (as Heat does) and the old row is cleaned up."""
        resources.register(framework.RESOURCE_TYPE, NotSafeToRepeat)
        s = self.scenario
        s.die_during('B', 'CREATE')
        s.create_stack('foo', _chain('one'))
        first_b = s.note_rows('B')
        s.noop(3)
        s.recover()
        s.noop(6)
        s.call(s.verify, _chain('one'))
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        old, new = sorted(s.rows('B'), key=lambda r: r['id'])
        self.assertEqual(first_b['B'], old['id'])
        self.assertEqual(('CREATE', 'FAILED', new['id']),
                         (old['action'], old['status'], old['replaced_by']))
        self.assertEqual('Engine engine-1 went away during CREATE',
                         old['status_reason'])
        self.assertEqual(('CREATE', 'COMPLETE'),
                         (new['action'], new['status']))

    def test_interrupted_update_is_repeated_in_place(self):
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.noop(4)
        s.call(s.die_during, 'B', 'UPDATE')
        s.update_stack('foo', _chain('two'))
        s.noop(4)
        s.call(s.assert_state, 'UPDATE_IN_PROGRESS')
        s.recover()
        s.noop(8)
        s.call(s.verify, _chain('two'))
        s.call(s.assert_state, 'UPDATE_COMPLETE')
        s.run()
        self.assertEqual(1, len(s.rows('B')))

    def test_interrupted_delete_is_finished(self):
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.noop(4)
        s.call(s.die_during, 'B', 'DELETE')
        s.delete_stack('foo')
        s.noop(4)
        s.call(s.assert_state, 'DELETE_IN_PROGRESS')
        s.recover()
        s.noop(4)
        s.run()
        s.assert_total(0)
        s.assert_deleted()

    def test_a_trigger_parked_on_the_dead_engines_row_is_resent(self):
        """Given B's update trigger parked on B while a dead engine held it,
        when recovery unlocks B, then the parked trigger goes out again."""
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.noop(4)
        s.call(s.die_during, 'B', 'UPDATE')
        s.update_stack('foo', _chain('two'))
        s.noop(2)
        s.update_stack('foo', _chain('three'))
        s.noop(4)
        s.recover()
        s.noop(12)
        s.call(s.verify, _chain('three'))
        s.call(s.assert_state, 'UPDATE_COMPLETE')
        s.run()


class LostMessages(ScenarioTestCase):

    def test_lost_trigger_is_resent_with_its_data(self):
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.lose_messages()
        s.call(s.assert_state, 'CREATE_IN_PROGRESS')
        s.recover()
        s.noop(3)
        s.call(s.verify, _chain('one'))
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(1, s.sweeps[0].resent)

    def test_lost_trigger_of_a_join_carries_every_input(self):
        s = self.scenario
        s.create_stack('foo', _join())
        s.noop(1)
        s.lose_messages()
        s.recover()
        s.noop(3)
        s.call(s.verify, _join())
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()

    def test_lost_trigger_of_a_replacement_goes_to_the_replacement(self):
        """Given A is being replaced, when the new A's trigger is lost, then
        recovery sends it to the new row (not the old one, which would be
        replaced a second time)."""
        s = self.scenario
        s.create_stack('foo', _chain('one', replace_a=True))
        s.noop(4)
        s.update_stack('foo', _chain('two', replace_a=True))
        s.lose_messages()
        s.recover()
        s.noop(10)
        s.call(s.verify, _chain('two', replace_a=True))
        s.call(s.assert_state, 'UPDATE_COMPLETE')
        s.run()
        self.assertEqual(1, len(s.rows('A')))

    def test_no_recovery_while_the_traversal_makes_progress(self):
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.call(s.sweep, None, -5)
        s.noop(3)
        s.run()
        self.assertFalse(s.sweeps[0])
        s.assert_state('CREATE_COMPLETE')

    def test_lost_completion_is_reached_again(self):
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.noop(3)
        s.call(self._undo_verdict)
        s.recover()
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual(1, s.sweeps[0].finished)

    def _undo_verdict(self):
        stack = self.scenario._stack('foo')
        self.scenario.db.stack_cas(stack['id'], stack['current_traversal'],
                                   {'status': 'IN_PROGRESS'})

    def test_interrupted_start_starts_over(self):
        """Given the engine starting a traversal died before it stored the
        graph, when recovery runs, then the operation starts again."""
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.call(self._forget_graph)
        s.recover()
        s.noop(8)
        s.call(s.verify, _chain('one'))
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(1, s.sweeps[0].restarted)

    def _forget_graph(self):
        stack = self.scenario._stack('foo')
        self.scenario.messenger.queue.clear()
        self.scenario.db.stack_cas(stack['id'], stack['current_traversal'],
                                   {'current_deps': None})


class MissedVerdicts(ScenarioTestCase):

    def test_timeout_without_any_message(self):
        """Given a stack whose messages are lost, when its deadline passes,
        then it fails with 'Timed out' although no message ever arrives."""
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.lose_messages()
        s.recover(down_after=4000)
        s.run()
        s.assert_state('CREATE_FAILED')
        stack = s._stack('foo')
        self.assertEqual('Timed out', stack['status_reason'])
        self.assertEqual(1, s.sweeps[0].timed_out)

    def test_failing_traversal_whose_engine_died_is_finished(self):
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.noop(1)
        s.call(self._start_failing)
        s.recover()
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('Resource CREATE failed: boom',
                         s._stack('foo')['status_reason'])

    def _start_failing(self):
        stack = self.scenario._stack('foo')
        self.scenario.messenger.queue.clear()
        self.scenario.db.stack_cas(stack['id'], stack['current_traversal'],
                                   {'failure_reason':
                                    'Resource CREATE failed: boom'})


class SeveralSweepers(ScenarioTestCase):

    def test_overlapping_sweeps_unlock_once_and_converge_once(self):
        """Given two engines that both believe they look after the stack
        (their views of who is alive differ for a moment), when both sweep
        the same dead engine's lock, then one unlocks it, the other does
        nothing harmful, and every resource exists once."""
        s = self.scenario
        s.die_during('B', 'CREATE')
        s.create_stack('foo', _chain('one'))
        s.noop(3)
        s.call(lambda: s.sweep('engine-2'))
        s.call(lambda: s.sweep('engine-3'))
        s.noop(6)
        s.call(s.verify, _chain('one'))
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(1, sum(p.unlocked for p in s.sweeps))
