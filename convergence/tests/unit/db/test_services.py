"""Contract of ports.Services: heartbeats, and the reads the recovery sweeper makes."""

import datetime

import sqlalchemy as sa
import testscenarios

from convergence.tests.unit.db import base
from db import api as db_api
from db import models

load_tests = testscenarios.load_tests_apply_scenarios


class TestServices(base.DatabaseTestCase):

    def test_report_creates_then_refreshes_one_row(self):
        self.db.service_report('e1', {'host': 'h1', 'topic': 'engine',
                                      'report_interval': 60})
        first = self.db.service_list()[0]
        self.db.service_report('e1', {'host': 'h1'})
        [again] = self.db.service_list()
        self.assertEqual((first['id'], 'h1', 60),
                         (again['id'], again['host'], again['report_interval']))
        self.assertGreaterEqual(again['updated_at'], first['updated_at'])

    def test_list_is_oldest_first_and_delete_removes(self):
        self.db.service_report('e1', {})
        self.db.service_report('e2', {})
        self.assertEqual(['e1', 'e2'],
                         [s['engine_id'] for s in self.db.service_list()])
        self.db.service_delete('e1')
        self.assertEqual(['e2'],
                         [s['engine_id'] for s in self.db.service_list()])

    def test_list_hides_soft_deleted_rows(self):
        self.db.service_report('e1', {})
        with self.db.writer() as session:
            session.execute(sa.update(models.Service).values(
                deleted_at=datetime.datetime(2024, 1, 1)))
        self.assertEqual([], self.db.service_list())


class TestRecoveryQueries(base.DatabaseTestCase):

    def test_locked_rows_of_every_stack_with_their_parked_trigger(self):
        first, second = self.make_stack(), self.make_stack()
        free, = self.make_resources(first, 'free')
        held = self.make_resource(first, 'held')
        other = self.make_resource(second, 'other')
        parked = {'traversal_id': 't2', 'is_update': True, 'data': {}}
        self.db.resource_cas(held['id'], {}, {'engine_id': 'e1',
                                              'pending_trigger': parked})
        self.db.resource_cas(other['id'], {}, {'engine_id': 'e2'})
        locked = sorted(self.db.resources_locked(), key=lambda r: r['id'])
        self.assertEqual([(held['id'], first['id'], 'e1', parked),
                          (other['id'], second['id'], 'e2', None)],
                         [(r['id'], r['stack_id'], r['engine_id'],
                           r['pending_trigger']) for r in locked])
        self.assertNotIn(free['id'], [r['id'] for r in locked])

    def test_running_stacks_are_in_progress_with_a_traversal(self):
        running = self.make_stack()
        self.make_stack(status='COMPLETE')
        self.make_stack(status='FAILED', current_traversal='')
        gone = self.make_stack()
        self.db.stack_cas(gone['id'], gone['current_traversal'],
                          {'deleted_at': db_api.utcnow()})
        found = self.db.stacks_running()
        self.assertEqual([running['id']], [s['id'] for s in found])
        self.assertNotIn('current_deps', found[0])

    def test_activity_is_latest_write_and_locked_count(self):
        stack = self.make_stack()
        self.assertEqual((None, 0), self.db.stack_activity(stack['id']))
        first, second = self.make_resources(stack, 'a', 'b')
        self.db.resource_cas(second['id'], {}, {'engine_id': 'e1'})
        latest, locked = self.db.stack_activity(stack['id'])
        self.assertEqual(1, locked)
        self.assertEqual(self.db.resource_get(second['id'])['updated_at'],
                         latest)
