"""Contract: sync points, the joins of a traversal's graph."""

import testscenarios

from convergence.tests.unit.db import base

load_tests = testscenarios.load_tests_apply_scenarios

STACK = 'stack-1'


class TestSyncPoints(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        self.traversal = base.new_id()
        self.db.sync_points_create(STACK, self.traversal, [
            ('7', True, 3), ('7', False, 1), (STACK, True, 2)])

    def test_only_the_last_reporter_gets_every_report(self):
        self.assertIsNone(self._report('7', 'a', {'x': 1}))
        self.assertIsNone(self._report('7', 'b', None))
        self.assertEqual({'a': {'x': 1}, 'b': None, 'c': [1, 'two']},
                         self._report('7', 'c', [1, 'two']))

    def test_duplicate_reports_return_none_and_do_not_count(self):
        self.assertIsNone(self._report('7', 'a', 1))
        self.assertIsNone(self._report('7', 'a', 2))
        self.assertIsNone(self._report('7', 'b', 3))
        self.assertEqual({'a': 1, 'b': 3, 'c': 4}, self._report('7', 'c', 4))
        self.assertIsNone(self._report('7', 'c', 4))

    def test_update_and_cleanup_joins_of_a_node_are_separate(self):
        self.assertEqual({'a': 1}, self._report('7', 'a', 1, is_update=False))
        self.assertIsNone(self._report('7', 'a', 1))

    def test_report_to_a_missing_join_is_none_and_leaves_nothing(self):
        self.assertIsNone(self._report('8', 'a', 1))
        self.assertIsNone(self.db.sync_point_report(
            STACK, base.new_id(), '7', True, 'a', 1))
        self.db.sync_points_create(STACK, self.traversal, [('8', True, 1)])
        self.assertEqual({'a': 2}, self._report('8', 'a', 2))

    def test_delete_by_traversal_keeps_other_traversals(self):
        newer = base.new_id()
        self.db.sync_points_create(STACK, newer, [('7', True, 1)])
        self._report('7', 'a', 1)
        self.db.sync_points_delete(STACK, self.traversal)
        self.assertIsNone(self._report('7', 'b', 1))
        self.assertEqual({'a': 1}, self.db.sync_point_report(
            STACK, newer, '7', True, 'a', 1))

    def test_delete_without_traversal_drops_every_join_of_the_stack(self):
        other = base.new_id()
        self.db.sync_points_create('stack-2', other, [('7', True, 1)])
        self.db.sync_points_delete(STACK)
        self.assertIsNone(self._report(STACK, 'a', 1))
        self.assertEqual({'a': 1}, self.db.sync_point_report(
            'stack-2', other, '7', True, 'a', 1))

    def test_deleted_reports_do_not_leak_into_a_recreated_join(self):
        self._report('7', 'a', 'old')
        self.db.sync_points_delete(STACK, self.traversal)
        self.db.sync_points_create(STACK, self.traversal, [('7', True, 1)])
        self.assertEqual({'a': 'new'}, self._report('7', 'a', 'new'))

    def test_create_nothing_is_a_no_op(self):
        self.db.sync_points_create(STACK, base.new_id(), [])

    def _report(self, entity, sender, data, is_update=True):
        return self.db.sync_point_report(STACK, self.traversal, entity,
                                         is_update, sender, data)
