"""Contract: the reads the recovery sweeper makes."""

import testscenarios

from convergence.tests.unit.db import base
from db import api as db_api

load_tests = testscenarios.load_tests_apply_scenarios


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
