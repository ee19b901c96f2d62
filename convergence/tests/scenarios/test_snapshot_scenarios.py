"""Snapshots as traversals: taken, restored, deleted, and taken over after
an engine dies mid-snapshot.

The scenario resource's ``handle_snapshot`` saves its properties as they
stand in the cloud; its ``handle_delete_snapshot`` notes the id.
"""

from convergence import exceptions
from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


def _pair(value: str) -> Template:
    return Template({'A': RsrcDef({'a': value}),
                     'B': RsrcDef({'b': GetAtt('A', 'a')})})


class SnapshotScenarios(ScenarioTestCase):

    def snapshot(self, index=-1) -> dict:
        s = self.scenario
        return s.engine_service.show_snapshot(
            s.context, s._identity('foo'), s.snapshot_ids[index])

    def test_snapshot_records_every_resource(self):
        """Given a created stack, when it is snapshotted, then the stack is
        SNAPSHOT_COMPLETE, the cloud is untouched and the snapshot holds
        each resource's id and the data its handle_snapshot saved."""
        s = self.scenario
        s.create_stack('foo', _pair('one'))
        s.noop(3)
        s.snapshot_stack('foo')
        s.call(s.assert_state, 'SNAPSHOT_IN_PROGRESS')
        s.noop(3)
        s.call(s.assert_state, 'SNAPSHOT_COMPLETE')
        s.call(s.verify, _pair('one'))
        s.run()
        snapshot = self.snapshot()
        self.assertEqual(('CREATE', 'COMPLETE'),
                         (snapshot['action'], snapshot['status']))
        resources = snapshot['data']['resources']
        self.assertEqual({'A', 'B'}, set(resources))
        self.assertEqual({'name': 'A', 'props': {'a': 'one'}},
                         resources['A']['resource_data']['saved'])
        self.assertEqual(s.physical_ids('B'), {resources['B']['resource_id']})
        self.assertEqual('SNAPSHOT', resources['A']['action'])
        self.assertEqual(_pair('one').to_hot(),
                         snapshot['data']['template'])
        self.assertEqual('COMPLETE', snapshot['data']['status'])

    def test_restore_converges_back_to_the_snapshot(self):
        """Given a snapshot and then an update, when the snapshot is
        restored, then the stack is RESTORE_COMPLETE and the cloud matches
        the snapshot's template again."""
        s = self.scenario
        s.create_stack('foo', _pair('one'))
        s.noop(3)
        s.snapshot_stack('foo')
        s.noop(3)
        s.update_stack('foo', _pair('two'))
        s.noop(3)
        s.call(s.verify, _pair('two'))
        s.restore_stack('foo')
        s.noop(4)
        s.call(s.assert_state, 'RESTORE_COMPLETE')
        s.call(s.verify, _pair('one'))
        s.run()

    def test_engine_dying_mid_snapshot_is_taken_over(self):
        """Given the engine snapshotting B dies, when another engine
        recovers, then B's snapshot is taken again and the snapshot
        completes with both resources."""
        s = self.scenario
        s.create_stack('foo', _pair('one'))
        s.noop(3)
        s.call(s.die_during, 'B', 'SNAPSHOT')
        s.snapshot_stack('foo')
        s.noop(3)
        s.call(s.assert_state, 'SNAPSHOT_IN_PROGRESS')
        s.recover()
        s.noop(3)
        s.call(s.assert_state, 'SNAPSHOT_COMPLETE')
        s.run()
        snapshot = self.snapshot()
        self.assertEqual('COMPLETE', snapshot['status'])
        self.assertEqual({'A', 'B'}, set(snapshot['data']['resources']))
        self.assertEqual(1, s.sweeps[0].unlocked)

    def test_snapshot_of_a_stack_in_progress_is_refused(self):
        """Given a stack still creating, a snapshot is Heat's 409
        ActionInProgress and stores nothing."""
        s = self.scenario
        refusals = []

        def snapshot_now():
            refusals.append(self.assertRaises(
                exceptions.ActionInProgress, s.engine_service.stack_snapshot,
                s.context, s._identity('foo'), 'early'))
        s.create_stack('foo', _pair('one'))
        s.call(snapshot_now)
        s.run()
        self.assertEqual('Stack foo already has an action (CREATE) in '
                         'progress.', refusals[0].message)
        self.assertEqual([], s.db.snapshots_of_stack(s._stack('foo')['id']))
        self.assertEqual('CREATE_COMPLETE', s.stack_state())

    def test_an_update_during_a_snapshot_fails_the_snapshot(self):
        """Given a snapshot under way, when the stack is updated, then the
        update wins and the snapshot is FAILED, superseded."""
        s = self.scenario
        s.create_stack('foo', _pair('one'))
        s.noop(3)
        s.snapshot_stack('foo')
        s.update_stack('foo', _pair('two'))
        s.noop(4)
        s.call(s.assert_state, 'UPDATE_COMPLETE')
        s.run()
        snapshot = self.snapshot()
        self.assertEqual(('FAILED', 'Stack SNAPSHOT superseded by UPDATE'),
                         (snapshot['status'], snapshot['status_reason']))

    def test_deleting_the_stack_deletes_its_snapshots(self):
        """Given a snapshot, when the stack is deleted, then each resource's
        handle_delete_snapshot runs and the snapshot is gone."""
        s = self.scenario
        self.ids = {}
        s.create_stack('foo', _pair('one'))
        s.noop(3)
        s.snapshot_stack('foo')
        s.noop(3)
        s.call(lambda: self.ids.update(
            stack=s._stack('foo')['id'], phys=s.physical_ids('A')
            | s.physical_ids('B')))
        s.delete_stack('foo')
        s.noop(4)
        s.run()
        self.assertEqual(self.ids['phys'], set(s.reality.snapshots_deleted))
        self.assertEqual([], s.db.snapshots_of_stack(self.ids['stack']))

    def test_a_snapshot_whose_start_was_cut_short_starts_over(self):
        """Given the engine starting a snapshot died before it stored the
        graph, when recovery starts the traversal over, then it keeps the
        snapshot's id and the snapshot completes."""
        s = self.scenario
        s.create_stack('foo', _pair('one'))
        s.noop(3)
        s.snapshot_stack('foo')
        s.call(self._forget_graph)
        s.recover()
        s.noop(4)
        s.call(s.assert_state, 'SNAPSHOT_COMPLETE')
        s.run()
        self.assertEqual(1, s.sweeps[0].restarted)
        self.assertEqual(s.snapshot_ids[0], s._stack('foo')['current_traversal'])
        snapshot = self.snapshot()
        self.assertEqual('COMPLETE', snapshot['status'])
        self.assertEqual({'A', 'B'}, set(snapshot['data']['resources']))

    def _forget_graph(self):
        stack = self.scenario._stack('foo')
        self.scenario.messenger.queue.clear()
        self.scenario.db.stack_cas(stack['id'], stack['current_traversal'],
                                   {'current_deps': None})
