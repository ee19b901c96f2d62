"""Suspend, resume, check and mark-unhealthy, as a user does them with
python-heatclient (``openstack stack suspend|resume|check``,
``openstack stack resource mark unhealthy``)."""

from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import templates

WAIT = 4


class SuspendResumeTest(base.FunctionalTestCase):

    def test_suspend_then_resume(self):
        """test2 depends on test1: suspended first, resumed last; a
        suspended stack refuses updates; the outputs survive."""
        stack = self.create_stack(templates.two_tests())
        ids = self.physical_ids(stack)
        self.client.actions.suspend(stack)
        self.wait_for_status(stack, 'SUSPEND_COMPLETE')
        self.assertEqual({'test1': 'SUSPEND_COMPLETE',
                          'test2': 'SUSPEND_COMPLETE'},
                         self.resource_statuses(stack))
        suspended = [e.resource_name for e in self.events(
            stack, resource_status='COMPLETE', resource_action='SUSPEND')]
        self.assertEqual(['test2', 'test1', stack.split('/')[0]], suspended)
        error = self.assertRaises(
            heat_exc.HTTPBadRequest, self.client.stacks.update, stack,
            template=templates.two_tests(), parameters={'foo': 'two'})
        self.assertIn('Updating a stack when it is suspended is not '
                      'supported.', str(error))

        self.client.actions.resume(stack)
        self.wait_for_status(stack, 'RESUME_COMPLETE')
        resumed = [e.resource_name for e in self.events(
            stack, resource_status='COMPLETE', resource_action='RESUME')]
        self.assertEqual(['test1', 'test2', stack.split('/')[0]], resumed)
        self.assertEqual(ids, self.physical_ids(stack))
        self.assertEqual({'out1': 'one', 'out2': 'one'}, self.outputs(stack))
        self.update_stack(stack, templates.two_tests(), {'foo': 'two'})
        self.assertEqual({'out1': 'two', 'out2': 'two'}, self.outputs(stack))

    def test_suspend_while_creating_is_refused(self):
        stack = self.create_stack(templates.two_tests(create_wait=WAIT),
                                  expected=None)
        error = self.assertRaises(heat_exc.HTTPConflict,
                                  self.client.actions.suspend, stack)
        self.assertIn('already has an action (CREATE) in progress.',
                      str(error))
        self.wait_for_status(stack, 'CREATE_COMPLETE')

    def test_resume_of_a_running_stack_fails_as_heat(self):
        stack = self.create_stack(templates.two_tests())
        self.client.actions.resume(stack)
        found = self.wait_for_status(stack, 'RESUME_FAILED')
        self.assertEqual("Resource RESUME failed: Error: resources.test1: "
                         "State ('CREATE', 'COMPLETE') invalid for resume",
                         found.stack_status_reason)


class CheckTest(base.FunctionalTestCase):

    def test_check(self):
        stack = self.create_stack(templates.two_tests())
        self.client.actions.check(stack)
        found = self.wait_for_status(stack, 'CHECK_COMPLETE')
        self.assertEqual('Stack CHECK completed successfully',
                         found.stack_status_reason)
        self.assertEqual({'test1': 'CHECK_COMPLETE',
                          'test2': 'CHECK_COMPLETE'},
                         self.resource_statuses(stack))

    def test_check_of_a_failed_create(self):
        """test1 failed its create: its check fails, test2 (never created,
        depending on it) is skipped, the stack is CHECK_FAILED."""
        stack = self.create_stack(templates.two_tests(fail=True),
                                  expected='CREATE_FAILED')
        self.client.actions.check(stack)
        found = self.wait_for_status(stack, 'CHECK_FAILED')
        self.assertEqual('Resource CHECK failed: test1: Resource CHECK '
                         'failed: Exception: resources.test1: Resource not '
                         'created', found.stack_status_reason)
        self.assertEqual({'test1': 'CHECK_FAILED', 'test2': 'INIT_COMPLETE'},
                         self.resource_statuses(stack))


class MarkUnhealthyTest(base.FunctionalTestCase):

    def test_marked_resource_is_replaced_by_the_next_update(self):
        stack = self.create_stack(templates.two_tests())
        before = self.physical_ids(stack)
        self.client.resources.mark_unhealthy(stack, 'test1', True,
                                             'gone bad')
        test1 = self.client.resources.get(stack, 'test1')
        self.assertEqual('CHECK_FAILED', test1.resource_status)
        self.assertEqual('gone bad', test1.resource_status_reason)
        self.assertEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE',
                          'CHECK_FAILED'],
                         self.event_statuses(stack, 'test1'))

        self.update_stack(stack, existing=True)
        after = self.physical_ids(stack)
        self.assertNotEqual(before['test1'], after['test1'])
        self.assertEqual(before['test2'], after['test2'])
        # The replacement is a new resource, created.
        self.assertEqual('CREATE_COMPLETE',
                         self.resource_statuses(stack)['test1'])

    def test_healthy_again(self):
        stack = self.create_stack(templates.two_tests())
        self.client.resources.mark_unhealthy(stack, 'test2', True, 'x')
        self.client.resources.mark_unhealthy(stack, 'test2', False, '')
        test2 = self.client.resources.get(stack, 'test2')
        self.assertEqual('CHECK_COMPLETE', test2.resource_status)
        self.assertEqual('state changed by resource_mark_unhealthy api',
                         test2.resource_status_reason)

    def test_errors(self):
        stack = self.create_stack(templates.two_tests())
        self.assertRaises(heat_exc.HTTPNotFound,
                          self.client.resources.mark_unhealthy, stack,
                          'nosuch', True, 'x')
        name, stack_id = stack.split('/')
        response = self.http(
            'PATCH', '/stacks/%s/%s/resources/test1' % (name, stack_id),
            json={'mark_unhealthy': 'maybe'})
        self.assertEqual(400, response.status_code, response.text)
        self.assertEqual('CREATE_COMPLETE',
                         self.resource_statuses(stack)['test1'])
