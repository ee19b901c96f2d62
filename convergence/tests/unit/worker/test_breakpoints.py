"""When a node stops at a breakpoint, and what a row's record says."""

import types

import testtools

from convergence import states
from convergence.template import Environment
from convergence.worker import breakpoints

Action = states.Action


def _node(stack_action: str, hooks, awaiting=None, traversal='t1'):
    env = Environment({'resource_registry': {'resources': {
        'r': {'hooks': hooks}}}})
    return types.SimpleNamespace(
        stack={'action': stack_action}, traversal_id=traversal,
        row={'name': 'r', 'awaiting': awaiting, 'engine_id': None},
        definition=types.SimpleNamespace(environment=env))


class DueTest(testtools.TestCase):
    """Given a hook in the environment, does the node stop before the
    action, as Heat decides it?"""

    def test_pre_create_only_in_a_stack_create(self):
        self.assertEqual('pre-create', breakpoints.due(
            _node('CREATE', 'pre-create'), Action.CREATE))
        self.assertIsNone(breakpoints.due(_node('UPDATE', 'pre-create'),
                                          Action.CREATE))

    def test_pre_update_in_any_stack_action(self):
        for stack_action in ('UPDATE', 'ROLLBACK'):
            self.assertEqual('pre-update', breakpoints.due(
                _node(stack_action, ['pre-update']), Action.UPDATE))

    def test_pre_delete_only_in_a_stack_delete(self):
        self.assertEqual('pre-delete', breakpoints.due(
            _node('DELETE', 'pre-delete'), Action.DELETE))
        self.assertIsNone(breakpoints.due(_node('UPDATE', 'pre-delete'),
                                          Action.DELETE))

    def test_another_hook_does_not_stop_the_action(self):
        self.assertIsNone(breakpoints.due(_node('CREATE', 'pre-update'),
                                          Action.CREATE))

    def test_a_hook_cleared_in_this_traversal_lets_the_node_go(self):
        cleared = {breakpoints.CLEARED: ['pre-create'], 'traversal_id': 't1'}
        self.assertIsNone(breakpoints.due(
            _node('CREATE', 'pre-create', cleared), Action.CREATE))

    def test_a_clear_of_another_traversal_does_not(self):
        cleared = {breakpoints.CLEARED: ['pre-create'], 'traversal_id': 't0'}
        self.assertEqual('pre-create', breakpoints.due(
            _node('CREATE', 'pre-create', cleared), Action.CREATE))


class PauseOfTest(testtools.TestCase):

    def test_a_locked_row_with_a_hook_record_is_paused(self):
        record = {breakpoints.HOOK: 'pre-create', 'traversal_id': 't1'}
        self.assertEqual(record, breakpoints.pause_of(
            {'engine_id': 'e1', 'awaiting': record}))

    def test_a_clear_record_or_a_child_wait_is_no_pause(self):
        for row in ({'engine_id': None, 'awaiting': {
                        breakpoints.CLEARED: ['pre-create'],
                        'traversal_id': 't1'}},
                    {'engine_id': 'e1', 'awaiting': {'stack_id': 's'}},
                    {'engine_id': 'e1', 'awaiting': None}):
            self.assertIsNone(breakpoints.pause_of(row))

    def test_heats_event_reasons(self):
        self.assertEqual('DELETE paused until Hook pre-delete is cleared',
                         breakpoints.paused_reason(Action.DELETE,
                                                   'pre-delete'))
        self.assertEqual('Hook pre-delete is cleared',
                         breakpoints.cleared_reason('pre-delete'))
