"""A restarted engine takes over at once what it can prove abandoned.

Heat, and our periodic recovery, wait for a dead engine's heartbeat to age
(three ``periodic_interval``s) and then for the stack to stall as long
again.  A restarted engine that can prove its predecessor gone (its lock
file on this machine is free), or whose bus lived in the process that
ended, needs neither wait: its first pass (``Sweeper.take_over``) unlocks
and re-sends, and the stack converges within the same steps.
"""

from convergence import resources
from convergence.recovery import sweeper
from convergence.tests.scenarios import framework
from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template
from convergence.tests.scenarios.test_recovery_scenarios import NotSafeToRepeat


def _chain() -> Template:
    return Template({'A': RsrcDef({'a': 'one'}),
                     'B': RsrcDef({'b': GetAtt('A', 'a')}),
                     'C': RsrcDef({'c': GetAtt('B', 'b')})})


def _wide() -> Template:
    return Template({name: RsrcDef({'v': name}) for name in 'ABCDE'})


class TakeOver(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.passes = []

    def restart(self, proven_gone: set, messages_lost: bool) -> None:
        """Queue the first pass of the engine that runs now (heartbeat
        fresh, never waited for)."""
        def first_pass():
            s = self.scenario
            s.db.service_report(s.rt.engine_id, {'host': 'scenario'})
            keeper = sweeper.Sweeper(s.rt, 1, framework.RECOVERY_DOWN_TIME)
            self.passes.append(keeper.take_over(proven_gone, messages_lost))
        self.scenario.call(first_pass)

    def dies_creating_b(self, heartbeat: bool = True) -> None:
        """Given engine-1 (with a fresh heartbeat row if ``heartbeat``)
        dies while it creates B of the chain."""
        s = self.scenario
        if heartbeat:
            s.db.service_report('engine-1', {'host': 'scenario'})
        s.die_during('B', 'CREATE')
        s.create_stack('foo', _chain())
        s.noop(3)

    def test_a_proven_dead_engines_create_goes_on_at_once(self):
        """Given the engine creating B dies with the bus, when the new
        engine proves it gone, then B is unlocked and the stack completes
        with no wait for a heartbeat to age."""
        s = self.scenario
        self.dies_creating_b()
        s.lose_messages()
        self.restart({'engine-1'}, messages_lost=True)
        s.noop(3)
        s.call(s.verify, _chain())
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(1, self.passes[0].unlocked)
        self.assertEqual(1, len(s.rows('B')))

    def test_an_engine_with_a_fresh_heartbeat_and_no_proof_is_left_alone(self):
        s = self.scenario
        self.dies_creating_b()
        self.restart(set(), messages_lost=False)
        s.noop(3)
        s.call(s.assert_state, 'CREATE_IN_PROGRESS')
        s.run()
        self.assertFalse(self.passes[0])

    def test_an_engine_without_a_service_row_is_gone(self):
        s = self.scenario
        self.dies_creating_b(heartbeat=False)
        self.restart(set(), messages_lost=False)
        s.noop(3)
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(1, self.passes[0].unlocked)

    def test_every_message_lost_with_the_bus_is_sent_again(self):
        """Given five creates whose messages died with the bus (but the
        one the worker took in the create's own step) and nothing locked,
        when the engine restarts, then the other four are re-sent."""
        s = self.scenario
        s.create_stack('foo', _wide())
        s.lose_messages()
        self.restart(set(), messages_lost=True)
        s.noop(5)
        s.call(s.verify, _wide())
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(4, self.passes[0].resent)

    def test_a_row_unsafe_to_repeat_is_replaced_not_failed(self):
        """Given B's type may not repeat an interrupted create, when its
        dead engine's bus is gone too, then B is replaced and the stack
        completes, as the periodic recovery would."""
        resources.register(framework.RESOURCE_TYPE, NotSafeToRepeat)
        s = self.scenario
        self.dies_creating_b()
        s.lose_messages()
        self.restart({'engine-1'}, messages_lost=True)
        s.noop(6)
        s.call(s.verify, _chain())
        s.call(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(2, len(s.rows('B')))
