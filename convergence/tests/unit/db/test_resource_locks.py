"""Contract of ports.Resources: the row lock, and what its holder writes."""

import testscenarios

from convergence.tests.unit.db import base
from convergence.tests.unit.db.test_resources import ENGINE
from convergence.tests.unit.db.test_resources import TRIGGER

load_tests = testscenarios.load_tests_apply_scenarios


class TestResourceLock(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()
        self.traversal = self.stack['current_traversal']
        self.row = self.make_resource(self.stack)

    def test_wins_when_unlocked_unchanged_and_traversal_running(self):
        self.assertTrue(self._lock(self.row, {'status': 'IN_PROGRESS'}))
        locked = self.db.resource_get(self.row['id'])
        self.assertEqual((ENGINE, 1, 'IN_PROGRESS'), (
            locked['engine_id'], locked['atomic_key'], locked['status']))

    def test_loses_when_already_locked(self):
        self.assertTrue(self._lock(self.row))
        fresh = self.db.resource_get(self.row['id'])
        self.assertFalse(self._lock(fresh, engine='engine-2'))
        self.assertEqual(ENGINE, self.db.resource_get(self.row['id'])['engine_id'])

    def test_loses_when_row_changed_since_read(self):
        self.db.resource_cas(self.row['id'], {}, {'atomic_key': 5})
        self.assertFalse(self._lock(self.row))
        self.assertIsNone(self.db.resource_get(self.row['id'])['engine_id'])

    def test_loses_when_traversal_superseded(self):
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'current_traversal': base.new_id()})
        self.assertFalse(self._lock(self.row))
        self.assertIsNone(self.db.resource_get(self.row['id'])['engine_id'])

    def test_loses_when_traversal_failing(self):
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'failure_reason': 'boom'})
        self.assertFalse(self._lock(self.row))

    def test_loses_when_stack_deleted(self):
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'deleted_at': self.row['created_at']})
        self.assertFalse(self._lock(self.row))

    def test_lock_of_another_stack_is_not_confused(self):
        other = self.make_stack(current_traversal=self.traversal)
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'failure_reason': 'boom'})
        self.assertTrue(self._lock(self.make_resource(other)))

    def _lock(self, row, values=None, engine=ENGINE) -> bool:
        return self.db.resource_lock(row, engine, self.traversal, values or {})


class TestResourceReplacement(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()
        self.old = self.make_resource(self.stack, 'server')
        self.assertTrue(self.db.resource_lock(
            self.old, ENGINE, self.stack['current_traversal'], {}))
        self.old = self.db.resource_get(self.old['id'])

    def test_inserts_the_replacement_and_links_both_rows(self):
        new_id = self._replace(self.old['atomic_key'], ENGINE)
        new = self.db.resource_get(new_id)
        self.assertEqual((self.old['id'], 'server', 0, None), (
            new['replaces'], new['name'], new['atomic_key'], new['engine_id']))
        self.assertNotEqual(self.old['uuid'], new['uuid'])
        self.assertEqual(new_id,
                         self.db.resource_get(self.old['id'])['replaced_by'])

    def test_loses_without_a_trace_when_not_the_lock_holder(self):
        self.assertIsNone(self._replace(self.old['atomic_key'], 'engine-2'))
        self.assertIsNone(self._replace(self.old['atomic_key'] + 1, ENGINE))
        rows = self.db.resources_of_stack(self.stack['id'], active_only=False)
        self.assertEqual([self.old['id']], [r['id'] for r in rows])
        self.assertIsNone(self.db.resource_get(self.old['id'])['replaced_by'])

    def _replace(self, atomic_key: int, engine: str) -> int | None:
        return self.db.resource_create_replacement(
            self.old['id'], atomic_key, engine,
            {'name': 'server', 'stack_id': self.stack['id'], 'type': 'T',
             'action': 'INIT', 'status': 'COMPLETE', 'requires': []})


class TestReleaseReporting(base.DatabaseTestCase):
    """A finished node's release and its reports: both or neither."""

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()
        self.traversal = self.stack['current_traversal']
        self.row = self.make_resource(self.stack)
        self.db.resource_lock(self.row, ENGINE, self.traversal, {})
        self.db.sync_points_create(self.stack['id'], self.traversal,
                                   [('7', True, 2)])

    def release(self, reports, expected=None):
        return self.db.resource_release_reporting(
            self.row['id'], expected or {'engine_id': ENGINE, 'atomic_key': 1,
                                         'pending_trigger': None},
            {'engine_id': None, 'atomic_key': 2, 'status': 'COMPLETE'},
            self.stack['id'], self.traversal, str(self.row['id']), reports)

    def report_other(self, data='other'):
        return base.report_one(self.db, self.stack['id'], self.traversal,
                               '7', True, 'other', data)

    def assert_untouched(self):
        row = self.db.resource_get(self.row['id'])
        self.assertEqual((ENGINE, 1), (row['engine_id'], row['atomic_key']))
        # The join still waits for both reports: ours was not recorded.
        self.assertIsNone(self.report_other())

    def test_releases_and_reports_together(self):
        self.assertEqual({}, self.release([('7', True, {'a': 1})]))
        row = self.db.resource_get(self.row['id'])
        self.assertEqual((None, 2, 'COMPLETE'),
                         (row['engine_id'], row['atomic_key'], row['status']))
        self.assertEqual({str(self.row['id']): {'a': 1}, 'other': 'other'},
                         self.report_other())

    def test_the_completing_release_gets_every_input(self):
        self.assertIsNone(self.report_other())
        self.assertEqual(
            {('7', True): {str(self.row['id']): None, 'other': 'other'}},
            self.release([('7', True, None)]))

    def test_without_reports_it_only_releases(self):
        self.assertEqual({}, self.release([]))
        self.assertIsNone(self.db.resource_get(self.row['id'])['engine_id'])

    def test_a_lost_swap_writes_nothing(self):
        self.assertIsNone(self.release(
            [('7', True, None)], {'engine_id': 'engine-2'}))
        self.assert_untouched()

    def test_a_parked_trigger_makes_it_write_nothing(self):
        self.db.resource_cas(self.row['id'], {}, {'pending_trigger': TRIGGER})
        self.assertIsNone(self.release([('7', True, None)]))
        row = self.db.resource_get(self.row['id'])
        self.assertEqual((ENGINE, TRIGGER),
                         (row['engine_id'], row['pending_trigger']))

    def test_a_report_to_a_superseded_join_writes_nothing(self):
        self.assertIsNone(self.release([('8', True, None)]))
        self.assert_untouched()

    def test_a_duplicate_report_writes_nothing(self):
        base.report_one(self.db, self.stack['id'], self.traversal, '7', True,
                        str(self.row['id']), None)
        self.assertIsNone(self.release([('7', True, None)]))
        row = self.db.resource_get(self.row['id'])
        self.assertEqual((ENGINE, 1), (row['engine_id'], row['atomic_key']))


class TestStampReporting(base.DatabaseTestCase):
    """A node that acts on nothing: lock, write, release and report in one
    swap, or nothing at all."""

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()
        self.traversal = self.stack['current_traversal']
        self.row = self.make_resource(self.stack)
        self.db.sync_points_create(self.stack['id'], self.traversal,
                                   [('7', True, 2)])

    def stamp(self, reports, row=None):
        row = row or self.row
        return self.db.resource_stamp_reporting(
            row, self.traversal,
            {'engine_id': None, 'atomic_key': row['atomic_key'] + 2,
             'awaiting': None, 'status_reason': 'stamped'},
            self.stack['id'], str(self.row['id']), reports)

    def report_other(self):
        return base.report_one(self.db, self.stack['id'], self.traversal,
                               '7', True, 'other', 'other')

    def assert_untouched(self):
        row = self.db.resource_get(self.row['id'])
        self.assertEqual((self.row['atomic_key'], self.row['status_reason']),
                         (row['atomic_key'], row['status_reason']))
        # The join still waits for both reports: ours was not recorded.
        self.assertIsNone(self.report_other())

    def test_writes_the_free_row_and_reports_together(self):
        self.assertEqual({}, self.stamp([('7', True, {'a': 1})]))
        row = self.db.resource_get(self.row['id'])
        self.assertEqual((None, 2, 'stamped'), (
            row['engine_id'], row['atomic_key'], row['status_reason']))
        self.assertEqual({str(self.row['id']): {'a': 1}, 'other': 'other'},
                         self.report_other())

    def test_the_completing_stamp_gets_every_input(self):
        self.assertIsNone(self.report_other())
        self.assertEqual(
            {('7', True): {str(self.row['id']): None, 'other': 'other'}},
            self.stamp([('7', True, None)]))

    def test_without_reports_it_only_writes(self):
        self.assertEqual({}, self.stamp([]))
        self.assertEqual('stamped',
                         self.db.resource_get(self.row['id'])['status_reason'])

    def test_a_locked_row_is_left_alone(self):
        self.db.resource_lock(self.row, ENGINE, self.traversal, {})
        self.assertIsNone(self.stamp([('7', True, None)]))
        row = self.db.resource_get(self.row['id'])
        self.assertEqual((ENGINE, 1), (row['engine_id'], row['atomic_key']))
        self.assertIsNone(self.report_other())

    def test_a_row_changed_since_read_is_left_alone(self):
        self.db.resource_cas(self.row['id'], {}, {'atomic_key': 5})
        self.assertIsNone(self.stamp([('7', True, None)]))
        self.assertEqual(5, self.db.resource_get(self.row['id'])['atomic_key'])
        self.assertIsNone(self.report_other())

    def test_a_superseded_traversal_writes_nothing(self):
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'current_traversal': base.new_id()})
        self.assertIsNone(self.stamp([]))
        self.assertEqual(0, self.db.resource_get(self.row['id'])['atomic_key'])

    def test_a_failing_traversal_writes_nothing(self):
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'failure_reason': 'boom'})
        self.assertIsNone(self.stamp([]))
        self.assertEqual(0, self.db.resource_get(self.row['id'])['atomic_key'])

    def test_a_report_to_a_superseded_join_writes_nothing(self):
        self.assertIsNone(self.stamp([('8', True, None)]))
        self.assert_untouched()

    def test_a_duplicate_report_writes_nothing(self):
        base.report_one(self.db, self.stack['id'], self.traversal, '7', True,
                        str(self.row['id']), None)
        self.assertIsNone(self.stamp([('7', True, None)]))
        self.assertEqual(0, self.db.resource_get(self.row['id'])['atomic_key'])
