"""Scenarios where we deliberately do better than Heat.

Heat rolls back to whatever template the failed operation superseded, so
after an update during an update its result depends on timing.  We roll
back to the template of the last operation that completed successfully.
"""

from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


def _chain(value: str) -> Template:
    return Template({'A': RsrcDef({'a': value}),
                     'B': RsrcDef({'b': GetAtt('A', 'a')}),
                     'C': RsrcDef({'c': GetAtt('B', 'b')})})


class BetterThanHeat(ScenarioTestCase):

    def test_rollback_after_update_during_update(self):
        """Given a stack created with 'one', when it is updated to 'two'
        and, while that runs, to 'three', and then rolled back before
        either update completed, then the stack converges back to 'one':
        the last template that completed, not the superseded 'two'."""
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.noop(4)
        s.call(s.verify, _chain('one'))
        s.update_stack('foo', _chain('two'))
        s.update_stack('foo', _chain('three'))
        s.rollback_stack('foo')
        s.noop(12)
        s.call(s.verify, _chain('one'))
        s.call(s.assert_state, 'ROLLBACK_COMPLETE')
        s.run()

    def test_rollback_after_completed_update_returns_to_it(self):
        """Given updates to 'two' (completed) and then 'three', when the
        second is rolled back mid-way, then the stack returns to 'two'."""
        s = self.scenario
        s.create_stack('foo', _chain('one'))
        s.noop(4)
        s.update_stack('foo', _chain('two'))
        s.noop(8)
        s.call(s.assert_state, 'UPDATE_COMPLETE')
        s.update_stack('foo', _chain('three'))
        s.rollback_stack('foo')
        s.noop(12)
        s.call(s.verify, _chain('two'))
        s.call(s.assert_state, 'ROLLBACK_COMPLETE')
        s.run()
