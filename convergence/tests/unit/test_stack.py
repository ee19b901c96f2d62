"""A stack operation as a traversal: start, complete, fail."""

import fixtures
import sqlalchemy as sa

from convergence import stack as stack_ops
from convergence import traversal as plan
from convergence.tests.unit import twins
from convergence.tests.unit.twins import hot
from convergence.worker import graph_cache
from db import models


class TestStart(twins.NodeTestCase):

    def test_start_swaps_in_a_traversal_and_triggers_the_leaves(self):
        self.create({'A': {}, 'B': {}})
        stack = self.stack()
        self.assertEqual(('CREATE', 'IN_PROGRESS'),
                         (stack['action'], stack['status']))
        ids = {self.row('A')['id'], self.row('B')['id']}
        self.assertEqual({plan.Node(i, True) for i in ids},
                         set(graph_cache.get(self.rt, stack)))
        self.assertEqual({(i, True) for i in ids}, set(self.queued()))

    def test_start_from_a_traversal_the_stack_left_does_nothing(self):
        self.create({'A': {}})
        stack = self.stack()
        self.assertIsNone(stack_ops.start(
            self.rt, stack, 'UPDATE', stack['raw_template_id'],
            only_from='another-traversal'))
        self.assertEqual(stack['current_traversal'],
                         self.stack()['current_traversal'])

    def test_an_empty_graph_completes_at_once(self):
        self.create({})
        self.sc.assert_state('CREATE_COMPLETE')

    def test_an_update_keeps_no_joins_of_the_traversal_it_supersedes(self):
        """Whether the traversal before was still running (the update drops
        its joins) or completed (its verdict took them along)."""
        self.create({'A': {}, 'B': {}})
        running = self.stack()['current_traversal']
        self.assertEqual(1, self.joins_of(running))
        self.update({'A': {'size': 1}, 'B': {}})
        self.assertEqual(0, self.joins_of(running))
        stack = self.stack()
        completed = stack['current_traversal']
        self.assertEqual(1, self.joins_of(completed))
        stack_ops.complete(self.rt, stack['id'], completed)
        self.sc.assert_state('UPDATE_COMPLETE')
        self.assertEqual(0, self.joins_of(completed))
        self.update({'A': {'size': 2}, 'B': {}})
        self.assertEqual(1, self.joins_of(self.stack()['current_traversal']))

    def test_an_update_read_before_the_running_one_ended_rolls_back_to_it(self):
        """An update whose request read the stack while the update before
        still ran, and which swaps in after that one completed: it rolls
        back to the completed one's template, not to the template before
        it (which the completion deleted: the swap once failed on the
        foreign key)."""
        self.converged({'A': {}})
        first = self.stack()['raw_template_id']
        self.update({'A': {'size': 1}})
        running = self.stack()
        self.assertEqual(first, running['prev_raw_template_id'])
        self.sc.run()
        self.sc.assert_state('UPDATE_COMPLETE')
        self.assertIsNone(self.db.raw_template_get(first))
        latest = self.db.raw_template_create(
            running['id'], hot({'A': {'size': 2}}), {'parameters': {}}, {})
        stack_ops.start(self.rt, running, 'UPDATE', latest)
        stack = self.stack()
        self.assertEqual((latest, running['raw_template_id']), (
            stack['raw_template_id'], stack['prev_raw_template_id']))

    def joins_of(self, traversal_id: str) -> int:
        table = models.SyncPoint.__table__
        with self.db.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).where(
                table.c.traversal_id == traversal_id)).scalar_one()


class TestComplete(twins.NodeTestCase):

    def test_complete_turns_the_stack_complete(self):
        self.create({'A': {}})
        stack = self.stack()
        stack_ops.complete(self.rt, stack['id'], stack['current_traversal'])
        stack = self.stack()
        self.assertEqual(('COMPLETE', None),
                         (stack['status'], stack['prev_raw_template_id']))

    def test_complete_of_a_superseded_traversal_does_nothing(self):
        self.create({'A': {}})
        old = self.stack()['current_traversal']
        self.update({'A': {'size': 1}})
        stack_ops.complete(self.rt, self.stack()['id'], old)
        self.sc.assert_state('UPDATE_IN_PROGRESS')

    def test_complete_waits_while_a_row_is_locked(self):
        self.create({'A': {}})
        row = self.row('A')
        self.db.resource_cas(row['id'], {'engine_id': None},
                             {'engine_id': 'engine-old'})
        later = []
        self.rt.spawn = lambda func, *args: later.append((func, args))
        stack = self.stack()
        stack_ops.complete(self.rt, stack['id'], stack['current_traversal'])
        self.sc.assert_state('CREATE_IN_PROGRESS')
        self.assertEqual(1, len(later))


class TestFail(twins.NodeTestCase):

    def test_fail_marks_failing_then_failed_once_quiet(self):
        self.create({'A': {}})
        stack = self.stack()
        self.assertTrue(stack_ops.fail(self.rt, stack['id'],
                                       stack['current_traversal'], 'boom'))
        stack = self.stack()
        self.assertEqual(('CREATE', 'FAILED', 'boom', ''),
                         (stack['action'], stack['status'],
                          stack['status_reason'], stack['current_traversal']))

    def test_a_failing_traversal_fails_only_once(self):
        self.create({'A': {}})
        row = self.row('A')
        self.db.resource_cas(row['id'], {'engine_id': None},
                             {'engine_id': 'engine-old'})
        self.rt.spawn = lambda func, *args: None
        stack = self.stack()
        traversal_id = stack['current_traversal']
        self.assertTrue(stack_ops.fail(self.rt, stack['id'], traversal_id,
                                       'first'))
        self.assertFalse(stack_ops.fail(self.rt, stack['id'], traversal_id,
                                        'second'))
        self.assertEqual('first', self.stack()['failure_reason'])

    def test_a_failed_update_rolls_back_when_enabled(self):
        self.converged({'A': {'size': 1}})
        self.sc.engine_service.update_stack(
            self.sc.context, self.sc._identity('foo'),
            twins.hot({'A': {'size': 2}}), {'parameters': {}}, {},
            {'disable_rollback': False})
        stack = self.stack()
        stack_ops.fail(self.rt, stack['id'], stack['current_traversal'],
                       'boom')
        self.sc.assert_state('ROLLBACK_IN_PROGRESS')
        self.sc.run()
        self.sc.assert_state('ROLLBACK_COMPLETE')
        self.assertEqual({'size': 1}, self.sc.props('A'))


class TestVerdictLog(twins.NodeTestCase):
    """One INFO line per operation, when its verdict is written."""

    def setUp(self):
        super().setUp()
        self.logged = self.useFixture(fixtures.FakeLogger(
            name='convergence.stack', level='INFO'))

    def test_a_completed_operation_logs_who_what_which_and_how_long(self):
        self.create({'A': {}})
        stack = self.stack()
        stack_ops.complete(self.rt, stack['id'], stack['current_traversal'])
        self.assertRegex(self.logged.output.strip(), (
            r'^stack %s/%s \(tenant %s, by %s\): CREATE traversal %s '
            r'COMPLETE in \d+\.\d s$') % (
            stack['name'], stack['id'], stack['tenant'], stack['username'],
            stack['current_traversal']))

    def test_a_failed_operation_logs_its_reason(self):
        self.create({'A': {}})
        stack = self.stack()
        stack_ops.fail(self.rt, stack['id'], stack['current_traversal'],
                       'boom')
        self.assertIn('CREATE traversal %s FAILED in ' % (
            stack['current_traversal']), self.logged.output)
        self.assertTrue(self.logged.output.strip().endswith(' s: boom'))
