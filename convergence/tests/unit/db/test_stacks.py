"""Contract of ports.Stacks: stack rows and their compare-and-swap."""

import datetime

import testscenarios

from convergence.tests.unit.db import base

load_tests = testscenarios.load_tests_apply_scenarios


class TestStacks(base.DatabaseTestCase):

    def test_create_then_get_returns_the_row_without_the_graph(self):
        stack = self.make_stack(name='web', tags=['a', 'b'], timeout=60,
                                current_deps={'edges': []})
        self.assertEqual('web', stack['name'])
        self.assertEqual(['a', 'b'], stack['tags'])
        self.assertIs(False, stack['rollback_on_failure'])
        self.assertIs(True, stack['disable_rollback'])
        self.assertNotIn('current_deps', stack)
        self.assertEqual({'edges': []}, self.db.stack_deps(stack['id']))

    def test_create_returns_the_row_as_get_reads_it(self):
        row = {'id': base.new_id(), 'name': 'web', 'tenant': 't',
               'raw_template_id': self.make_template(),
               'current_traversal': base.new_id(), 'action': 'CREATE',
               'status': 'IN_PROGRESS', 'current_deps': {'edges': []}}
        created = self.db.stack_create(row)
        self.assertEqual(self.db.stack_get(row['id']), created)
        self.assertIs(False, created['rollback_on_failure'])
        self.assertEqual(0, created['nested_depth'])

    def test_traversal_finish_writes_the_verdict_and_purges(self):
        stack_id = base.new_id()
        unused = self.make_template(stack_id)
        stack = self.make_stack(id=stack_id)
        gone, kept = self.make_resources(stack, 'gone', 'kept')
        self.assertTrue(self.db.resource_cas(
            gone['id'], {'action': 'INIT'},
            {'action': 'DELETE', 'status': 'COMPLETE'}))
        traversal, other = stack['current_traversal'], base.new_id()
        for points_of in (traversal, other):
            self.db.sync_points_create(stack_id, points_of, [('1', True, 1)])
        self.assertEqual([unused], self.db.traversal_finish(
            stack_id, traversal, {'status': 'COMPLETE'}))
        self.assertEqual('COMPLETE', self.db.stack_get(stack_id)['status'])
        self.assertEqual(['kept'], [r['name'] for r in
                                    self.db.resources_of_stack(stack_id)])
        self.assertIsNone(self.db.raw_template_get(unused))
        self.assertEqual([], self.db.traversal_finish(
            stack_id, traversal, {'status_reason': 'again'}))
        self.assertIsNone(base.report_one(self.db, stack_id, traversal, '1',
                                          True, 'sender', None))
        self.assertIsNotNone(base.report_one(self.db, stack_id, other, '1',
                                             True, 'sender', None))

    def test_traversal_finish_that_loses_writes_nothing(self):
        stack_id = base.new_id()
        unused = self.make_template(stack_id)
        stack = self.make_stack(id=stack_id)
        traversal = stack['current_traversal']
        self.db.sync_points_create(stack_id, traversal, [('1', True, 1)])
        self.db.stack_cas(stack_id, traversal, {'failure_reason': 'boom'})
        self.assertIsNone(self.db.traversal_finish(
            stack_id, traversal, {'status': 'COMPLETE'}))
        self.assertEqual('IN_PROGRESS', self.db.stack_get(stack_id)['status'])
        self.assertIsNotNone(self.db.raw_template_get(unused))
        self.assertIsNotNone(base.report_one(self.db, stack_id, traversal,
                                             '1', True, 'sender', None))

    def test_timestamps_keep_microseconds(self):
        created = datetime.datetime(2024, 2, 29, 23, 59, 58, 123456)
        stack = self.make_stack(created_at=created)
        self.assertEqual(created, stack['created_at'])

    def test_get_hides_deleted_only_when_asked(self):
        stack = self._deleted_stack()
        self.assertIsNotNone(self.db.stack_get(stack['id']))
        self.assertIsNone(self.db.stack_get(stack['id'], show_deleted=False))

    def test_get_missing_is_none(self):
        self.assertIsNone(self.db.stack_get(base.new_id()))
        self.assertIsNone(self.db.stack_deps(base.new_id()))

    def test_get_by_name_is_per_tenant_exact_and_ignores_deleted(self):
        stack = self.make_stack(name='web', tenant='t1')
        self.make_stack(name='web', tenant='t2')
        self._deleted_stack(name='gone', tenant='t1')
        self.assertEqual(stack['id'],
                         self.db.stack_get_by_name('t1', 'web')['id'])
        self.assertIsNone(self.db.stack_get_by_name('t1', 'WEB'))
        self.assertIsNone(self.db.stack_get_by_name('t1', 'gone'))
        self.assertIsNone(self.db.stack_get_by_name('t3', 'web'))

    def test_list_filters_by_tenant_deleted_and_columns(self):
        first = self.make_stack(tenant='t1', status='COMPLETE')
        second = self.make_stack(tenant='t1', status='FAILED')
        self.make_stack(tenant='t2', status='COMPLETE')
        deleted = self._deleted_stack(tenant='t1', status='COMPLETE')
        self.assertEqual({first['id'], second['id']},
                         self._ids(self.db.stack_list('t1')))
        self.assertEqual({first['id']}, self._ids(self.db.stack_list(
            't1', filters={'status': 'COMPLETE'})))
        self.assertEqual({first['id'], second['id']}, self._ids(
            self.db.stack_list('t1', filters={'status': ['COMPLETE',
                                                         'FAILED']})))
        self.assertEqual({first['id'], second['id'], deleted['id']},
                         self._ids(self.db.stack_list('t1', show_deleted=True)))
        self.assertEqual(3, len(self.db.stack_list(None)))

    def test_list_filter_none_matches_null(self):
        root = self.make_stack()
        child = self.make_stack(owner_id=root['id'], root_stack_id=root['id'])
        grandchild = self.make_stack(owner_id=child['id'],
                                     root_stack_id=root['id'])
        self.assertEqual({root['id']}, self._ids(self.db.stack_list(
            'tenant', filters={'owner_id': None})))
        self.assertEqual({child['id'], grandchild['id']}, self._ids(
            self.db.stack_list('tenant', filters={
                'root_stack_id': root['id']})))
        self.assertEqual({root['id'], grandchild['id']}, self._ids(
            self.db.stack_list('tenant', filters={
                'owner_id': [None, child['id']]})))

    def test_list_is_newest_first(self):
        old = self.make_stack(created_at=datetime.datetime(2020, 1, 1))
        new = self.make_stack(created_at=datetime.datetime(2021, 1, 1))
        self.assertEqual([new['id'], old['id']],
                         [s['id'] for s in self.db.stack_list('tenant')])

    def _deleted_stack(self, **values) -> dict:
        stack = self.make_stack(**values)
        self.assertTrue(self.db.stack_cas(
            stack['id'], stack['current_traversal'],
            {'deleted_at': datetime.datetime(2024, 1, 1)}))
        return stack

    @staticmethod
    def _ids(stacks: list[dict]) -> set:
        return {s['id'] for s in stacks}


class TestStackCompareAndSwap(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()
        self.traversal = self.stack['current_traversal']

    def test_wins_on_the_current_traversal(self):
        new = base.new_id()
        self.assertTrue(self.db.stack_cas(
            self.stack['id'], self.traversal,
            {'current_traversal': new, 'action': 'UPDATE'}))
        stack = self.db.stack_get(self.stack['id'])
        self.assertEqual((new, 'UPDATE'),
                         (stack['current_traversal'], stack['action']))

    def test_writing_unchanged_values_still_wins(self):
        """MySQL must count matched rows, not changed rows."""
        self.assertTrue(self.db.stack_cas(self.stack['id'], self.traversal,
                                          {'status': 'IN_PROGRESS'}))

    def test_loses_on_a_superseded_traversal(self):
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'current_traversal': base.new_id()})
        self.assertFalse(self.db.stack_cas(self.stack['id'], self.traversal,
                                           {'status': 'COMPLETE'}))
        self.assertEqual('IN_PROGRESS',
                         self.db.stack_get(self.stack['id'])['status'])

    def test_loses_on_a_deleted_or_missing_stack(self):
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'deleted_at': datetime.datetime(2024, 1, 1)})
        self.assertFalse(self.db.stack_cas(self.stack['id'], self.traversal,
                                           {'status': 'COMPLETE'}))
        self.assertFalse(self.db.stack_cas(base.new_id(), self.traversal,
                                           {'status': 'COMPLETE'}))

    def test_not_failing_loses_once_a_failure_is_recorded(self):
        self.assertTrue(self.db.stack_cas(self.stack['id'], self.traversal,
                                          {'status': 'IN_PROGRESS'},
                                          not_failing=True))
        self.db.stack_cas(self.stack['id'], self.traversal,
                          {'failure_reason': 'boom'})
        self.assertFalse(self.db.stack_cas(self.stack['id'], self.traversal,
                                           {'status': 'FAILED'},
                                           not_failing=True))
        self.assertTrue(self.db.stack_cas(self.stack['id'], self.traversal,
                                          {'status': 'FAILED'}))
