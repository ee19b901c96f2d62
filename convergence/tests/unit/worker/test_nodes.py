"""A node's outcomes, one node run at a time on the in-memory twins."""

from convergence import exceptions
from convergence import states
from convergence.tests.unit import twins
from convergence.worker import check_resource
from convergence.worker import cleanup_node
from convergence.worker import update_node

Kind = states.NodeOutcome


def _fail(plugin):
    raise exceptions.ResourceFailure('quota exceeded')


def _cannot_update(plugin):
    raise exceptions.UpdateReplace(resource_name=plugin.name)


class TestUpdateNode(twins.NodeTestCase):

    def test_create_ok_reports_to_the_stack_with_its_release(self):
        self.create({'A': {'size': 1}})
        ended = update_node.run(self.node(self.message_of('A')))
        self.assertEqual(Kind.DONE, ended.kind)
        self.assertEqual('A', ended.node_data['name'])
        self.assertEqual(self.sc.physical_ids('A'),
                         {ended.node_data['reference_id']})
        stack_id = self.stack()['id']
        self.assertIn((stack_id, True), ended.completed)
        row = self.row('A')
        self.assertEqual(('CREATE', 'COMPLETE', None),
                         (row['action'], row['status'], row['engine_id']))
        self.assertEqual([('CREATE', 'IN_PROGRESS'), ('CREATE', 'COMPLETE')],
                         self.events('A'))

    def test_create_failed_releases_the_row_failed(self):
        self.create({'A': {}})
        self.hook('A', 'CREATE', _fail)
        ended = update_node.run(self.node(self.message_of('A')))
        self.assertEqual((Kind.FAILED, states.Action.CREATE, 'quota exceeded'),
                         (ended.kind, ended.action, ended.failure))
        row = self.row('A')
        self.assertEqual(('CREATE', 'FAILED', 'quota exceeded', None),
                         (row['action'], row['status'], row['status_reason'],
                          row['engine_id']))
        self.assertEqual([('CREATE', 'IN_PROGRESS'), ('CREATE', 'FAILED')],
                         self.events('A'))
        self.assertEqual([], self.queued())

    def test_update_in_place(self):
        self.converged({'A': {'size': 1}})
        self.update({'A': {'size': 2}})
        ended = update_node.run(self.node(self.message_of('A')))
        self.assertEqual(Kind.DONE, ended.kind)
        row = self.row('A')
        self.assertEqual(('UPDATE', 'COMPLETE', {'size': 2}),
                         (row['action'], row['status'], row['properties_data']))
        self.assertEqual({'size': 2}, self.sc.props('A'))

    def test_no_change_moves_the_row_to_the_goal_without_an_event(self):
        self.converged({'A': {'size': 1}})
        events_before = self.events('A')
        self.update({'A': {'size': 1}})
        ended = update_node.run(self.node(self.message_of('A')))
        self.assertEqual(Kind.DONE, ended.kind)
        # reported in the transaction of the release
        self.assertIsNotNone(ended.completed)
        row = self.row('A')
        self.assertEqual(('CREATE', self.stack()['raw_template_id']),
                         (row['action'], row['current_template_id']))
        self.assertEqual(events_before, self.events('A'))

    def test_planned_replacement_creates_a_row_that_carries_on(self):
        self.converged({'A': {'size!': 1}})
        old = self.row('A')
        self.update({'A': {'size!': 2}})
        message = self.message_of('A')
        ended = update_node.run(self.node(message))
        self.assertEqual(Kind.REPLACED, ended.kind)
        old_now, new = self.sc.rows('A')
        self.assertEqual(old['id'], old_now['id'])
        self.assertEqual(new['id'], old_now['replaced_by'])
        self.assertEqual(old['id'], new['replaces'])
        self.assertEqual(('UPDATE', 'COMPLETE'),
                         (old_now['action'], old_now['status']))
        self.assertIn('requires replacement', old_now['status_reason'])
        self.assertEqual(('INIT', None), (new['action'], new['engine_id']))
        self.assertEqual([(new['id'], True)], self.queued()[-1:])

    def test_update_replace_raised_by_the_plugin_replaces(self):
        self.converged({'A': {'size': 1}})
        self.update({'A': {'size': 2}})
        self.hook('A', 'UPDATE', _cannot_update)
        ended = update_node.run(self.node(self.message_of('A')))
        self.assertEqual(Kind.REPLACED, ended.kind)
        old, new = self.sc.rows('A')
        self.assertEqual((new['id'], None),
                         (old['replaced_by'], old['engine_id']))

    def test_restricted_replacement_fails_and_leaves_the_row(self):
        self.converged({'A': {'size!': 1}})
        before = self.row('A')
        self.update({'A': {'size!': 2}}, registry={
            'resources': {'A': {'restricted_actions': ['replace']}}})
        ended = update_node.run(self.node(self.message_of('A')))
        self.assertEqual((Kind.FAILED, states.Action.UPDATE),
                         (ended.kind, ended.action))
        self.assertIn('replace is restricted', ended.failure)
        self.assertEqual(before['atomic_key'], self.row('A')['atomic_key'])
        self.assertEqual(('UPDATE', 'FAILED'), self.events('A')[-1])

    def test_a_locked_row_parks_the_trigger(self):
        self.create({'A': {}})
        message = self.message_of('A')
        row = self.row('A')
        self.assertTrue(self.db.resource_cas(
            row['id'], {'engine_id': None},
            {'engine_id': 'engine-old', 'atomic_key': row['atomic_key'] + 1}))
        ended = update_node.run(self.node(message))
        self.assertEqual(Kind.WAITING, ended.kind)
        _, traversal_id, data, is_update = message
        self.assertEqual({'traversal_id': traversal_id, 'is_update': True,
                          'data': data},
                         self.row('A')['pending_trigger'])
        self.assertEqual([], self.queued())

    def test_a_lock_taken_meanwhile_is_lost_and_propagates_nothing(self):
        self.create({'A': {}})
        message = self.message_of('A')

        def taken_by_recovery(plugin):
            row = self.row('A')
            self.db.resource_cas(row['id'], {'engine_id': self.rt.engine_id},
                                 {'engine_id': 'engine-2',
                                  'atomic_key': row['atomic_key'] + 1})
        self.hook('A', 'CREATE', taken_by_recovery)
        ended = update_node.run(self.node(message))
        self.assertEqual(Kind.LOST, ended.kind)
        self.assertEqual('engine-2', self.row('A')['engine_id'])
        self.assertEqual([], self.queued())
        self.sc.assert_state('CREATE_IN_PROGRESS')


class TestCleanupNode(twins.NodeTestCase):

    def test_a_row_left_out_of_the_goal_is_deleted(self):
        self.converged({'A': {}, 'B': {}})
        self.update({'A': {}})
        ended = cleanup_node.run(self.node(self.message_of('B', False)))
        self.assertEqual(Kind.DONE, ended.kind)
        self.assertEqual(0, self.sc.count('B'))
        row = self.row('B')
        self.assertEqual(('DELETE', 'COMPLETE', None),
                         (row['action'], row['status'], row['engine_id']))
        self.assertEqual([('DELETE', 'IN_PROGRESS'), ('DELETE', 'COMPLETE')],
                         self.events('B')[-2:])

    def test_a_row_of_the_goal_template_is_skipped(self):
        self.converged({'A': {}})
        self.update({'A': {}})
        message = self.message_of('A', False)
        before = self.row('A')
        ended = cleanup_node.run(self.node(message))
        self.assertEqual(Kind.DONE, ended.kind)
        self.assertEqual(before, self.row('A'))
        self.assertEqual(1, self.sc.count('A'))


class TestCheckResource(twins.NodeTestCase):

    def test_past_the_deadline_the_traversal_times_out(self):
        self.create({'A': {}})
        message = self.message_of('A')
        self.rt.settings.stack_action_timeout = -1
        check_resource.check_resource(self.rt, *message)
        stack = self.stack()
        self.assertEqual(('CREATE', 'FAILED', 'Timed out'),
                         (stack['action'], stack['status'],
                          stack['status_reason']))
        self.assertEqual('INIT', self.row('A')['action'])
        self.assertEqual(0, self.sc.count('A'))

    def test_a_superseded_traversal_s_message_is_dropped(self):
        self.create({'A': {}})
        stale = self.message_of('A')
        self.update({'A': {'size': 1}})
        queued = self.queued()
        check_resource.check_resource(self.rt, *stale)
        self.assertEqual('INIT', self.row('A')['action'])
        self.assertEqual(0, self.sc.count('A'))
        self.assertEqual(queued, self.queued())

    def test_a_failed_node_fails_the_traversal(self):
        self.create({'A': {}})
        self.hook('A', 'CREATE', _fail)
        check_resource.check_resource(self.rt, *self.message_of('A'))
        stack = self.stack()
        self.assertEqual(('FAILED', 'Resource CREATE failed: quota exceeded'),
                         (stack['status'], stack['status_reason']))
