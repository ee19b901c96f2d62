"""Events of a resource in the order they happened, whoever acts next.

On several engines the row's next holder may record the start of its action
the instant a lock is released (or a replacement row exists), before the
engine that released it takes its next step.  These scenarios play that
next holder at every such moment (it records a CHECK of the row there and
then) and list the events.
"""

from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


def _one(value: str, replaced: str = 'x') -> Template:
    return Template({'A': RsrcDef({'a': value, 'replace!': replaced})})


class NextHolderAtEveryRelease(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        db = self.scenario.db
        self.patch(db, 'resource_cas', self._then_next_holder(
            db.resource_cas, lambda args, won: won and self._freed(args)))
        self.patch(db, 'resource_release_reporting', self._then_next_holder(
            db.resource_release_reporting,
            lambda args, won: won is not None and self._freed(args)))
        # a replacement is free for a newer traversal as soon as it exists
        self.patch(db, 'resource_create_replacement', self._then_next_holder(
            db.resource_create_replacement, lambda args, new_id: new_id))

    def _freed(self, args) -> int | None:
        """The row a write of (resource id, expected, values...) unlocked."""
        resource_id, expected, values = args[:3]
        unlocks = (expected.get('engine_id') == self.scenario.rt.engine_id
                   and 'engine_id' in values and values['engine_id'] is None)
        return resource_id if unlocks else None

    def _then_next_holder(self, write, freed):
        """``write``, then the next holder starts and ends a CHECK of the
        row ``freed(args, outcome)`` names, if any."""
        rt = self.scenario.rt

        def written(*args):
            outcome = write(*args)
            resource_id = freed(args, outcome)
            if resource_id:
                row = self.scenario.db.resource_get(resource_id)
                for status in ('IN_PROGRESS', 'COMPLETE'):
                    rt.events.resource_event(row['stack_id'], row, 'CHECK',
                                             status, 'the next holder')
            return outcome
        return written

    def _statuses(self, name: str) -> list[str]:
        stack = self.scenario.db.stack_get_by_name('test', 'foo')
        return ['%s_%s' % (e['resource_action'], e['resource_status'])
                for e in self.scenario.db.events_list(stack['id'], name)]

    def test_every_end_lists_before_the_next_holder_starts(self):
        """Given a create, an update in place and an update that replaces
        A, when the next holder starts at each release, then each action's
        end lists before that start: replacement, replaced row and all."""
        s = self.scenario
        s.create_stack('foo', _one('one'))
        s.noop(2)
        s.update_stack('foo', _one('two'))
        s.noop(2)
        s.update_stack('foo', _one('two', replaced='y'))
        s.noop(4)
        s.call(s.verify, _one('two', replaced='y'))
        s.run()
        check = ['CHECK_IN_PROGRESS', 'CHECK_COMPLETE']
        self.assertEqual(
            ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'] + check
            + ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE'] + check
            # the replaced row's update ends; its replacement, then the row
            # itself, are free
            + ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE'] + check + check
            + ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'] + check
            + ['DELETE_IN_PROGRESS', 'DELETE_COMPLETE'] + check,
            self._statuses('A'))
