"""Contract of ports.Joins: sync points, the joins of a traversal's graph."""

import sqlalchemy as sa
import testscenarios

from convergence.tests.unit.db import base
from db import models

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

    def test_waiting_counts_joins_partly_reported(self):
        """A join counts from its first report until its last."""
        self.assertEqual(0, self.db.sync_points_waiting())
        self._report('7', 'a', 1)
        self._report('7', 'a', 1, is_update=False)  # complete at once
        self.assertEqual(1, self.db.sync_points_waiting())
        self._report('7', 'b', 1)
        self._report('7', 'c', 1)
        self.assertEqual(0, self.db.sync_points_waiting())

    def test_update_and_cleanup_joins_of_a_node_are_separate(self):
        self.assertEqual({'a': 1}, self._report('7', 'a', 1, is_update=False))
        self.assertIsNone(self._report('7', 'a', 1))

    def test_report_to_a_missing_join_is_none_and_leaves_nothing(self):
        self.assertIsNone(self._report('8', 'a', 1))
        self.assertIsNone(base.report_one(
            self.db, STACK, base.new_id(), '7', True, 'a', 1))
        self.db.sync_points_create(STACK, self.traversal, [('8', True, 1)])
        self.assertEqual({'a': 2}, self._report('8', 'a', 2))

    def test_delete_by_traversal_keeps_other_traversals(self):
        newer = base.new_id()
        self.db.sync_points_create(STACK, newer, [('7', True, 1)])
        self._report('7', 'a', 1)
        self.db.sync_points_delete(STACK, self.traversal)
        self.assertIsNone(self._report('7', 'b', 1))
        self.assertEqual({'a': 1}, base.report_one(
            self.db, STACK, newer, '7', True, 'a', 1))

    def test_delete_without_traversal_drops_every_join_of_the_stack(self):
        other = base.new_id()
        self.db.sync_points_create('stack-2', other, [('7', True, 1)])
        self.db.sync_points_delete(STACK)
        self.assertIsNone(self._report(STACK, 'a', 1))
        self.assertEqual({'a': 1}, base.report_one(
            self.db, 'stack-2', other, '7', True, 'a', 1))

    def test_deleted_reports_do_not_leak_into_a_recreated_join(self):
        self._report('7', 'a', 'old')
        self.db.sync_points_delete(STACK, self.traversal)
        self.db.sync_points_create(STACK, self.traversal, [('7', True, 1)])
        self.assertEqual({'a': 'new'}, self._report('7', 'a', 'new'))

    def test_create_nothing_is_a_no_op(self):
        self.db.sync_points_create(STACK, base.new_id(), [])

    def test_completer_is_recorded(self):
        self._report('7', 'a', 1, is_update=False)
        with self.db.reader() as session:
            completer = session.execute(sa.select(
                models.SyncPoint.completed_by).where(
                models.SyncPoint.entity_id == '7',
                models.SyncPoint.is_update.is_(False))).scalar_one()
        self.assertEqual('a', completer)

    def _report(self, entity, sender, data, is_update=True):
        return base.report_one(self.db, STACK, self.traversal, entity,
                               is_update, sender, data)


class TestReportsOfOneSender(base.DatabaseTestCase):
    """sync_points_report: one sender, several joins, one call."""

    def setUp(self):
        super().setUp()
        self.traversal = base.new_id()
        self.db.sync_points_create(STACK, self.traversal, [
            ('7', True, 2), ('8', True, 1), ('8', False, 1)])

    def test_returns_the_inputs_of_the_joins_it_completed(self):
        self.assertEqual({}, self._reports('a', [('7', True, 'a7')]))
        self.assertEqual(
            {('7', True): {'a': 'a7', 'b': 'b7'}, ('8', True): {'b': 'b8'},
             ('8', False): {'b': None}},
            self._reports('b', [('7', True, 'b7'), ('8', True, 'b8'),
                                ('8', False, None)]))

    def test_a_join_not_completed_is_left_out(self):
        self.assertEqual({('8', True): {'a': 1}},
                         self._reports('a', [('7', True, 0), ('8', True, 1)]))
        self.assertEqual({('7', True): {'a': 0, 'b': 2}},
                         self._reports('b', [('7', True, 2)]))

    def test_a_duplicate_among_them_counts_once_and_the_rest_count(self):
        self._reports('a', [('7', True, 1)])
        self.assertEqual({('8', True): {'a': 2}},
                         self._reports('a', [('7', True, 1), ('8', True, 2)]))
        self.assertEqual({('7', True): {'a': 1, 'b': 3}},
                         self._reports('b', [('7', True, 3)]))

    def test_a_missing_join_among_them_is_ignored(self):
        self.assertEqual({('8', True): {'a': 1}}, self._reports(
            'a', [('99', True, 0), ('8', True, 1)]))
        self.assertEqual({}, self._reports('b', [('99', True, 0)]))

    def test_reports_to_a_superseded_traversal_leave_nothing(self):
        self.assertEqual({}, self.db.sync_points_report(
            STACK, base.new_id(), 'a', [('7', True, 1), ('8', True, 1)]))
        self.assertEqual({('8', True): {'a': 2}},
                         self._reports('a', [('8', True, 2)]))

    def test_two_reports_to_one_join_are_refused(self):
        self.assertRaises(ValueError, self._reports, 'a',
                          [('8', True, 1), ('8', True, 2)])

    def test_no_reports_is_a_no_op(self):
        self.assertEqual({}, self._reports('a', []))

    def _reports(self, sender, reports):
        return self.db.sync_points_report(STACK, self.traversal, sender,
                                          reports)


class TestTraversalStore(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()
        self.old = self.stack['current_traversal']
        self.db.sync_points_create(self.stack['id'], self.old,
                                   [('7', True, 1)])
        self.new = base.new_id()
        self.assertTrue(self.db.stack_cas(self.stack['id'], self.old,
                                          {'current_traversal': self.new}))

    def _report(self, traversal_id: str, entity_id: str = '7'):
        return base.report_one(self.db, self.stack['id'], traversal_id,
                               entity_id, True, 'a', 1)

    def test_stores_the_graph_and_joins_and_drops_the_superseded(self):
        deps = {'edges': [], 'traversal': self.new}
        self.assertTrue(self.db.traversal_store(
            self.stack['id'], self.new, deps, [('8', True, 1)], self.old))
        self.assertEqual(deps, self.db.stack_deps(self.stack['id']))
        self.assertEqual({'a': 1}, self._report(self.new, '8'))
        self.assertIsNone(self._report(self.old))

    def test_a_superseded_traversal_stores_nothing_but_still_drops(self):
        newest = base.new_id()
        self.assertTrue(self.db.stack_cas(self.stack['id'], self.new,
                                          {'current_traversal': newest}))
        self.assertFalse(self.db.traversal_store(
            self.stack['id'], self.new, {'edges': []}, [('8', True, 1)],
            self.old))
        self.assertIsNone(self.db.stack_deps(self.stack['id']))
        self.assertIsNone(self._report(self.new, '8'))
        self.assertIsNone(self._report(self.old))
