"""Failing resources, with and without rollback."""

from functional_tests import base
from functional_tests import templates
from functional_tests import timeline

FAILED_REASON = 'Test Resource failed a'


class RollbackTest(base.FunctionalTestCase):

    def test_failed_create_rolls_back_to_nothing(self):
        stack = self.create_stack(templates.single(fail=True),
                                  disable_rollback=False, expected=None)
        watch = timeline.Timeline(self.client, stack, invariants=(
            timeline.settled_when('ROLLBACK_COMPLETE', 'ROLLBACK_FAILED'),))

        watch.until_status('ROLLBACK_COMPLETE', base.STACK_TIMEOUT)

        self.assertEqual({}, self.resources(stack))
        name = stack.split('/')[0]
        stack_events = [e.resource_status for e in self.events(stack)
                        if e.resource_name == name]
        self.assertEqual(['CREATE_IN_PROGRESS', 'CREATE_FAILED',
                          'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE'],
                         stack_events)
        failed = [e for e in self.events(stack, 'a')
                  if e.resource_status == 'CREATE_FAILED']
        self.assertEqual(1, len(failed))
        self.assertIn(FAILED_REASON, failed[0].resource_status_reason)

    def test_failed_update_rolls_back_to_the_old_template(self):
        """``a`` fails its in-place update and ``b`` is new: the rollback
        removes ``b`` and brings ``a`` back to "one".  (Like Heat 27, the
        failed ``a`` is replaced while rolling back.)"""
        stack = self.create_stack(templates.single(value='one'),
                                  disable_rollback=False)
        bad = templates.single(value='two', fail=True, with_b=True)

        self.update_stack(stack, bad, expected='ROLLBACK_COMPLETE',
                          disable_rollback=False)
        self.wait_quiet(stack)

        statuses = self.resource_statuses(stack)
        self.assertEqual(['a'], list(statuses))
        self.assertTrue(statuses['a'].endswith('_COMPLETE'), statuses)
        self.assertEqual({'out': 'one'}, self.outputs(stack))

    def test_failed_replacement_rolls_back_keeping_the_original(self):
        """The replacement of ``a`` fails; the original, never touched, is
        what the rollback keeps."""
        stack = self.create_stack(templates.single(value='one'),
                                  disable_rollback=False)
        original = self.physical_ids(stack)['a']
        bad = templates.single(value='two', fail=True, update_replace=True)

        self.update_stack(stack, bad, expected='ROLLBACK_COMPLETE',
                          disable_rollback=False)
        self.wait_quiet(stack)

        self.assertEqual({'a': original}, self.physical_ids(stack))
        self.assertTrue(self.resource_statuses(stack)['a'].endswith(
            '_COMPLETE'))
        self.assertEqual({'out': 'one'}, self.outputs(stack))

    def test_failed_create_without_rollback_stays_failed(self):
        stack = self.create_stack(templates.single(fail=True),
                                  expected='CREATE_FAILED')

        shown = self.stack(stack)
        self.assertIn(FAILED_REASON, shown.stack_status_reason)
        res = self.client.resources.get(stack, 'a')
        self.assertEqual('CREATE_FAILED', res.resource_status)
        self.assertIn(FAILED_REASON, res.resource_status_reason)

    def test_update_from_failed_replaces_the_failed_resource(self):
        stack = self.create_stack(templates.single(fail=True),
                                  expected='CREATE_FAILED')

        self.update_stack(stack, templates.single(value='fixed'))

        self.assertEqual({'a': 'CREATE_COMPLETE'},
                         self.resource_statuses(stack))
        self.assertEqual({'out': 'fixed'}, self.outputs(stack))

    def test_update_keeps_the_rollback_setting_it_does_not_mention(self):
        """A PUT without ``disable_rollback`` keeps the stack's (as Heat's
        ``_prepare_stack_updates`` does), so this failure rolls back."""
        stack = self.create_stack(templates.single(value='one'),
                                  disable_rollback=False)

        self.update_stack(stack, templates.single(value='two', fail=True),
                          expected='ROLLBACK_COMPLETE')

        self.assertFalse(self.stack(stack).disable_rollback)
