"""Contract of ports.Resources: resource rows and their compare-and-swap."""

import testscenarios

from convergence.tests.unit.db import base

load_tests = testscenarios.load_tests_apply_scenarios

ENGINE = 'engine-1'
TRIGGER = {'traversal_id': 't', 'is_update': True, 'data': {'3': {'a': 'X'}}}


class TestResourceRows(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()

    def test_create_many_returns_ids_in_order(self):
        names = ['c', 'a', 'b', 'd']
        ids = self.db.resources_create(
            [{'name': n, 'stack_id': self.stack['id'], 'type': 'T',
              'action': 'INIT', 'status': 'COMPLETE'} for n in names])
        self.assertEqual(names, [self.db.resource_get(i)['name'] for i in ids])
        self.assertEqual([], self.db.resources_create([]))

    def test_create_fills_uuid_key_and_timestamp(self):
        row = self.make_resource(self.stack, requires=[1, 2])
        self.assertEqual(36, len(row['uuid']))
        self.assertEqual(0, row['atomic_key'])
        self.assertIsNotNone(row['created_at'])
        self.assertIsNone(row['engine_id'])
        self.assertEqual([1, 2], row['requires'])

    def test_get_missing_is_none(self):
        self.assertIsNone(self.db.resource_get(9999))
        self.assertIsNone(self.db.resource_and_stack(9999))

    def test_resource_and_stack_reads_both_rows(self):
        row = self.make_resource(self.stack)
        got_row, got_stack = self.db.resource_and_stack(row['id'])
        self.assertEqual(row, got_row)
        self.assertEqual(self.stack, got_stack)

    def test_of_stack_hides_deleted_rows_unless_asked(self):
        kept, deleted = self.make_resources(self.stack, 'kept', 'deleted')
        self.make_resource(self.make_stack(), 'elsewhere')
        self.db.resource_cas(deleted['id'], {},
                             {'action': 'DELETE', 'status': 'COMPLETE'})
        self.assertEqual(['kept'], self._names(active_only=True))
        self.assertEqual(['deleted', 'kept'], self._names(active_only=False))

    def test_of_stack_reads_only_the_named_rows_if_asked(self):
        self.make_resources(self.stack, 'a', 'b', 'c')
        self.make_resource(self.make_stack(), 'a')
        rows = self.db.resources_of_stack(self.stack['id'], names={'a', 'c'})
        self.assertEqual(['a', 'c'], sorted(r['name'] for r in rows))
        self.assertEqual([], self.db.resources_of_stack(self.stack['id'],
                                                        names=[]))

    def test_purge_deleted_removes_only_delete_complete_rows(self):
        rows = self.make_resources(self.stack, 'kept', 'failed', 'deleted')
        self.db.resource_cas(rows[1]['id'], {},
                             {'action': 'DELETE', 'status': 'FAILED'})
        self.db.resource_cas(rows[2]['id'], {},
                             {'action': 'DELETE', 'status': 'COMPLETE'})
        self.db.resources_purge_deleted(self.stack['id'])
        self.assertEqual(['failed', 'kept'], self._names(active_only=False))

    def test_delete(self):
        first, second, third = self.make_resources(self.stack, 'a', 'b', 'c')
        other = self.make_resource(self.make_stack())
        self.db.resource_delete(first['id'])
        self.assertEqual(['b', 'c'], self._names(active_only=False))
        self.assertIsNotNone(self.db.resource_get(other['id']))

    def test_locked_count_counts_rows_with_an_engine(self):
        rows = self.make_resources(self.stack, 'a', 'b', 'c')
        for row in rows[:2]:
            self.db.resource_cas(row['id'], {}, {'engine_id': ENGINE})
        self.assertEqual(2, self.db.resources_locked_count(self.stack['id']))
        self.assertEqual(0, self.db.resources_locked_count(base.new_id()))

    def test_progress_counts_live_rows_in_flight_done_and_waiting(self):
        goal = self.stack['raw_template_id']
        rows = self.make_resources(self.stack, 'locked', 'running', 'done',
                                   'old', 'init', 'deleted')
        states = [{'engine_id': ENGINE},
                  {'action': 'CREATE', 'status': 'IN_PROGRESS'},
                  {'action': 'CREATE', 'current_template_id': goal},
                  {'action': 'CREATE', 'current_template_id': goal - 1},
                  {'current_template_id': goal},
                  {'action': 'DELETE', 'status': 'COMPLETE'}]
        for row, values in zip(rows, states):
            self.db.resource_cas(row['id'], {}, values)
        self.make_resource(self.make_stack(), 'elsewhere')
        self.assertEqual({'in_flight': 2, 'done': 1, 'waiting': 2},
                         self.db.resources_progress([self.stack['id']]))
        self.assertEqual({'in_flight': 0, 'done': 0, 'waiting': 0},
                         self.db.resources_progress([base.new_id()]))

    def test_progress_of_a_tree_judges_each_row_by_its_own_stack(self):
        child = self.make_stack(owner_id=self.stack['id'],
                                root_stack_id=self.stack['id'],
                                nested_depth=1)
        mine = self.make_resource(self.stack, 'mine')
        theirs = self.make_resource(child, 'theirs')
        self.db.resource_cas(mine['id'], {}, {
            'action': 'CREATE', 'current_template_id': child[
                'raw_template_id']})
        self.db.resource_cas(theirs['id'], {}, {
            'action': 'CREATE', 'current_template_id': child[
                'raw_template_id']})
        self.assertEqual({'in_flight': 0, 'done': 1, 'waiting': 1},
                         self.db.resources_progress([self.stack['id'],
                                                     child['id']]))

    def test_of_stacks_reads_the_rows_of_each_in_id_order(self):
        child = self.make_stack()
        rows = [self.make_resource(self.stack, 'a'),
                self.make_resource(child, 'b'),
                self.make_resource(self.stack, 'c')]
        self.make_resource(self.make_stack(), 'elsewhere')
        self.db.resource_cas(rows[2]['id'], {},
                             {'action': 'DELETE', 'status': 'COMPLETE'})
        listed = self.db.resources_of_stacks([self.stack['id'], child['id']],
                                             active_only=False)
        self.assertEqual(['a', 'b', 'c'], [r['name'] for r in listed])
        self.assertEqual(['a', 'b'], [r['name'] for r in
                                      self.db.resources_of_stacks(
                                          [self.stack['id'], child['id']])])
        self.assertEqual([], self.db.resources_of_stacks([]))

    def _names(self, active_only: bool) -> list[str]:
        return sorted(r['name'] for r in self.db.resources_of_stack(
            self.stack['id'], active_only=active_only))


class TestResourceCompareAndSwap(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        self.row = self.make_resource(self.make_stack())

    def test_wins_when_none_expectation_holds(self):
        self.assertTrue(self.db.resource_cas(
            self.row['id'], {'engine_id': None, 'pending_trigger': None},
            {'engine_id': ENGINE}))
        self.assertEqual(ENGINE, self.db.resource_get(self.row['id'])['engine_id'])

    def test_loses_when_none_expectation_fails(self):
        self.db.resource_cas(self.row['id'], {}, {'engine_id': ENGINE})
        self.assertFalse(self.db.resource_cas(
            self.row['id'], {'engine_id': None}, {'engine_id': 'other'}))
        self.assertEqual(ENGINE, self.db.resource_get(self.row['id'])['engine_id'])

    def test_value_expectations_must_all_hold(self):
        expected = {'engine_id': None, 'atomic_key': 0, 'action': 'INIT',
                    'requires': []}
        self.assertFalse(self.db.resource_cas(
            self.row['id'], dict(expected, atomic_key=1), {'status': 'X'}))
        self.assertTrue(self.db.resource_cas(
            self.row['id'], expected, {'status': 'X'}))
        self.assertFalse(self.db.resource_cas(9999, {}, {'status': 'Y'}))

    def test_writing_unchanged_values_still_wins(self):
        """MySQL must count matched rows, not changed rows."""
        self.assertTrue(self.db.resource_cas(
            self.row['id'], {'action': 'INIT'},
            {'action': 'INIT', 'updated_at': self.row['updated_at']}))

    def test_pending_trigger_compares_as_json(self):
        """A parked trigger is expected by value, as read back from the row."""
        self.db.resource_cas(self.row['id'], {}, {'pending_trigger': TRIGGER})
        parked = self.db.resource_get(self.row['id'])['pending_trigger']
        self.assertEqual(TRIGGER, parked)
        self.assertTrue(self.db.resource_cas(
            self.row['id'], {'pending_trigger': parked},
            {'pending_trigger': None}))
        self.assertIsNone(
            self.db.resource_get(self.row['id'])['pending_trigger'])

    def test_pending_trigger_key_order_does_not_matter(self):
        self.db.resource_cas(self.row['id'], {}, {'pending_trigger': TRIGGER})
        reordered = dict(reversed(list(TRIGGER.items())))
        self.assertTrue(self.db.resource_cas(
            self.row['id'], {'pending_trigger': reordered},
            {'pending_trigger': None}))

    def test_pending_trigger_differing_only_in_case_loses(self):
        """A newer trigger parked meanwhile must not be cleared unseen."""
        self.db.resource_cas(self.row['id'], {}, {'pending_trigger': TRIGGER})
        stale = dict(TRIGGER, data={'3': {'a': 'x'}})
        self.assertFalse(self.db.resource_cas(
            self.row['id'], {'pending_trigger': stale},
            {'pending_trigger': None}))
