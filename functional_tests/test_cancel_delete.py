"""Cancelling an operation, and deleting a stack, while work is in flight."""

from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import templates
from functional_tests import timeline
from functional_tests import waiting

WAIT = 4
# A create that would outlast the delete test's bound if not interrupted.
LONG_WAIT = 60
DELETE_BOUND = 30


class CancelTest(base.FunctionalTestCase):

    def _update_until_test1_busy(self, stack, template):
        self.update_stack(stack, template, {'foo': 'two'}, expected=None)
        self.wait_for_resource_status(stack, 'test1', 'UPDATE_IN_PROGRESS')

    def test_cancel_update_rolls_back(self):
        tmpl = templates.two_tests(update_wait=WAIT)
        stack = self.create_stack(tmpl)
        before = self.physical_ids(stack)
        self._update_until_test1_busy(stack, tmpl)
        watch = timeline.Timeline(self.client, stack, with_outputs=True,
                                  invariants=(timeline.settled_when(
                                      'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED'),))

        self.client.actions.cancel_update(stack)
        watch.until_status('ROLLBACK_COMPLETE', base.STACK_TIMEOUT)
        watch.until_quiet(base.STACK_TIMEOUT)

        self.assertEqual({'out1': 'one', 'out2': 'one'}, self.outputs(stack))
        self.assertEqual(before, self.physical_ids(stack))

    def test_cancel_update_without_rollback(self):
        tmpl = templates.two_tests(update_wait=WAIT)
        stack = self.create_stack(tmpl)
        self._update_until_test1_busy(stack, tmpl)

        self.client.actions.cancel_without_rollback(stack)
        self.wait_for_status(stack, 'UPDATE_FAILED')

        # the work in flight finishes; nothing after it starts
        self.wait_for_resource_status(stack, 'test1', 'UPDATE_COMPLETE',
                                      timeout=WAIT + 30)
        waiting.stays(lambda: self.resource_statuses(stack)['test2']
                      == 'CREATE_COMPLETE', 2, 'test2 CREATE_COMPLETE')
        self.assertEqual('UPDATE_FAILED', self.stack_status(stack))

    def test_cancel_create_without_rollback(self):
        stack = self.create_stack(templates.two_tests(create_wait=WAIT),
                                  expected=None)
        self.wait_for_resource_status(stack, 'test1', 'CREATE_IN_PROGRESS')

        self.client.actions.cancel_without_rollback(stack)
        self.wait_for_status(stack, 'CREATE_FAILED')

        self.wait_for_resource_status(stack, 'test1', 'CREATE_COMPLETE',
                                      timeout=WAIT + 30)
        waiting.stays(lambda: self.resource_statuses(stack)['test2']
                      == 'INIT_COMPLETE', 2, 'test2 INIT_COMPLETE')

    def test_cancel_is_refused_when_nothing_is_in_progress(self):
        stack = self.create_stack(templates.test_resources('a'))

        response = self.http('POST', '/stacks/%s/actions' % stack,
                             json={'cancel_update': None})

        self.assertHeatError(
            response, 400, 'NotSupported',
            'Cancelling update when stack is CREATE_COMPLETE is not '
            'supported.')


class DeleteTest(base.FunctionalTestCase):

    def test_delete_is_soft_and_hides_the_name(self):
        stack = self.create_stack(templates.two_tests())
        name, stack_id = stack.split('/')

        self.delete_stack(stack)

        self.assertRaises(heat_exc.HTTPNotFound, self.client.stacks.get, name)
        shown = self.stack(stack)
        self.assertEqual('DELETE_COMPLETE', shown.stack_status)
        self.assertIsNotNone(shown.deletion_time)
        self.assertNotIn(stack_id, [s.id for s in self.client.stacks.list()])
        self.assertIn(stack_id, [s.id for s in
                                 self.client.stacks.list(show_deleted=True)])
        # the name is free again
        self.create_stack(templates.test_resources('a'), name=name)

    def test_delete_while_create_in_progress(self):
        stack = self.create_stack(templates.single(create_wait=LONG_WAIT),
                                  expected=None)
        self.wait_for_resource_status(stack, 'a', 'CREATE_IN_PROGRESS')

        self.client.stacks.delete(stack)
        self.wait_for_status(stack, 'DELETE_COMPLETE', timeout=DELETE_BOUND,
                             stale='CREATE_IN_PROGRESS')

        self.assertRaises(heat_exc.HTTPNotFound, self.client.stacks.get,
                          stack.split('/')[0])
        self.assertEqual({}, self.resources(stack))

    def test_delete_while_update_in_progress(self):
        tmpl = templates.two_tests(update_wait=LONG_WAIT)
        stack = self.create_stack(tmpl)
        self.update_stack(stack, tmpl, {'foo': 'two'}, expected=None)
        self.wait_for_resource_status(stack, 'test1', 'UPDATE_IN_PROGRESS')

        self.client.stacks.delete(stack)
        self.wait_for_status(stack, 'DELETE_COMPLETE', timeout=DELETE_BOUND)

        self.assertEqual({}, self.resources(stack))
