"""Contract of ports.Snapshots: snapshot rows and their resources' entries,
on every backend."""

import testscenarios

from convergence.tests.unit.db import base

load_tests = testscenarios.load_tests_apply_scenarios


class TestSnapshots(base.DatabaseTestCase):

    def make_snapshot(self, stack_id: str | None = None, **values) -> str:
        snapshot_id = base.new_id()
        self.db.snapshot_create(dict({
            'id': snapshot_id, 'stack_id': stack_id or base.new_id(),
            'tenant': 't', 'name': 'n', 'action': 'CREATE',
            'status': 'IN_PROGRESS', 'status_reason': '',
            'data': {'template': {'resources': {}}}}, **values))
        return snapshot_id

    def test_create_then_get_round_trips(self):
        snapshot_id = self.make_snapshot(name='first')
        got = self.db.snapshot_get(snapshot_id)
        self.assertEqual(('first', 'CREATE', 'IN_PROGRESS',
                          {'template': {'resources': {}}}),
                         (got['name'], got['action'], got['status'],
                          got['data']))
        self.assertIsNotNone(got['created_at'])

    def test_get_missing_is_none(self):
        self.assertIsNone(self.db.snapshot_get(base.new_id()))

    def test_a_stacks_snapshots_oldest_first(self):
        stack_id = base.new_id()
        first = self.make_snapshot(stack_id)
        second = self.make_snapshot(stack_id)
        self.make_snapshot()
        self.assertEqual([first, second], [
            s['id'] for s in self.db.snapshots_of_stack(stack_id)])

    def test_update_only_from_the_expected_state(self):
        snapshot_id = self.make_snapshot()
        self.assertTrue(self.db.snapshot_update(
            snapshot_id, {'status': 'COMPLETE'},
            expected={'status': 'IN_PROGRESS'}))
        self.assertFalse(self.db.snapshot_update(
            snapshot_id, {'status': 'FAILED'},
            expected={'status': 'IN_PROGRESS'}))
        self.assertEqual('COMPLETE',
                         self.db.snapshot_get(snapshot_id)['status'])
        self.assertFalse(self.db.snapshot_update(base.new_id(),
                                                 {'status': 'FAILED'}))

    def test_a_resource_entry_recorded_again_replaces_the_first(self):
        snapshot_id = self.make_snapshot()
        self.db.resource_snapshot_put(snapshot_id, 'a', {'v': 1})
        self.db.resource_snapshot_put(snapshot_id, 'a', {'v': 2})
        self.db.resource_snapshot_put(snapshot_id, 'b', {'v': 3})
        self.assertEqual({'a': {'v': 2}, 'b': {'v': 3}},
                         self.db.resource_snapshots(snapshot_id))

    def test_delete_takes_the_entries_and_is_idempotent(self):
        snapshot_id = self.make_snapshot()
        self.db.resource_snapshot_put(snapshot_id, 'a', {'v': 1})
        self.db.snapshot_delete(snapshot_id)
        self.db.snapshot_delete(snapshot_id)
        self.assertIsNone(self.db.snapshot_get(snapshot_id))
        self.assertEqual({}, self.db.resource_snapshots(snapshot_id))

    def test_a_restore_goal_remembers_its_snapshot(self):
        template_id = self.db.raw_template_create(
            's', {'resources': {}}, None, None, snapshot_id='snap-1')
        self.assertEqual('snap-1',
                         self.db.raw_template_get(template_id)['snapshot_id'])
