"""Contract of db/purge.py: deleted stacks removed with all their rows."""

import datetime

import sqlalchemy as sa
import testscenarios

from convergence.tests.unit.db import base
from db import api
from db import models

load_tests = testscenarios.load_tests_apply_scenarios

# Tables holding rows that name a stack by its id.
_TABLES = (models.Stack, models.RawTemplate, models.Resource, models.Event,
           models.SyncPoint, models.SyncPointInput)


class TestPurge(base.DatabaseTestCase):

    def populated_stack(self, deleted_at: datetime.datetime | None) -> dict:
        """A stack with a second template, a resource, an event, a join
        and one input to it."""
        stack = self.make_stack(deleted_at=deleted_at)
        self.make_template(stack['id'])
        self.make_resource(stack)
        self.db.events_add([{'uuid': base.new_id(), 'stack_id': stack['id'],
                             'resource_name': 'r', 'resource_action': 'CREATE',
                             'resource_status': 'COMPLETE',
                             'created_at': api.utcnow()}])
        traversal = stack['current_traversal']
        self.db.sync_points_create(stack['id'], traversal,
                                   [('join', True, 2)])
        base.report_one(self.db, stack['id'], traversal, 'join', True,
                        'sender', {})
        return stack

    def rows_naming(self, stack_id: str) -> dict[str, int]:
        counts = {}
        with self.db.reader() as session:
            for model in _TABLES:
                column = model.id if model is models.Stack else model.stack_id
                counts[model.__tablename__] = session.execute(
                    sa.select(sa.func.count()).where(column == stack_id)
                ).scalar_one()
        return counts

    def test_deleted_before_lists_only_stacks_deleted_before_the_cutoff(self):
        now = api.utcnow()
        old = self.make_stack(deleted_at=now - datetime.timedelta(days=3))
        older = self.make_stack(deleted_at=now - datetime.timedelta(days=9))
        self.make_stack(deleted_at=now - datetime.timedelta(hours=1))
        self.make_stack()  # not deleted
        self.assertEqual([older['id'], old['id']], self.db.stacks_deleted_before(
            now - datetime.timedelta(days=1)))

    def test_purge_removes_every_row_of_a_deleted_stack_only(self):
        gone = self.populated_stack(api.utcnow())
        kept = self.populated_stack(None)
        before = self.rows_naming(kept['id'])
        self.assertTrue(self.db.stack_purge(gone['id']))
        self.assertEqual({table: 0 for table in self.rows_naming(gone['id'])},
                         self.rows_naming(gone['id']))
        self.assertEqual(before, self.rows_naming(kept['id']))
        self.assertTrue(all(before.values()), before)

    def test_purge_leaves_a_stack_not_deleted_alone(self):
        stack = self.populated_stack(None)
        before = self.rows_naming(stack['id'])
        self.assertFalse(self.db.stack_purge(stack['id']))
        self.assertEqual(before, self.rows_naming(stack['id']))

    def test_purge_of_a_purged_stack_finds_nothing(self):
        stack = self.populated_stack(api.utcnow())
        self.assertTrue(self.db.stack_purge(stack['id']))
        self.assertFalse(self.db.stack_purge(stack['id']))
