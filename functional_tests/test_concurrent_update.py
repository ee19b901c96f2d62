"""An update submitted while another is still running (reference §4).

test1 waits ``UPDATE_WAIT`` seconds per update; test2 depends on test1.
"""

from functional_tests import base
from functional_tests import templates
from functional_tests import timeline

UPDATE_WAIT = 3
FINAL = ('CREATE_COMPLETE', 'UPDATE_COMPLETE', 'ROLLBACK_COMPLETE',
         'ROLLBACK_FAILED')


class UpdateDuringUpdateTest(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.template = templates.two_tests(update_wait=UPDATE_WAIT)
        self.identifier = self.create_stack(self.template, {'foo': 'one'})

    def _start_two_then_three(self, watch):
        """PUT foo=two; once test1 is updating, PATCH foo=three."""
        self.update_stack(self.identifier, self.template, {'foo': 'two'},
                          expected=None)
        watch.until(lambda s: s.resources.get('test1') == 'UPDATE_IN_PROGRESS',
                    base.STACK_TIMEOUT, 'test1 UPDATE_IN_PROGRESS')
        self.assertEqual('UPDATE_IN_PROGRESS', watch.samples[-1].stack_status)
        # accepted (202) although the first update is still in progress
        self.update_stack(self.identifier, None, {'foo': 'three'}, existing=True,
                          expected=None)

    def test_second_update_wins_and_test2_skips_the_first(self):
        watch = timeline.Timeline(
            self.client, self.identifier, with_outputs=True,
            invariants=(timeline.settled_when(*FINAL),
                        timeline.output_never('out2', 'two')))

        self._start_two_then_three(watch)
        watch.until_status('UPDATE_COMPLETE', base.STACK_TIMEOUT)
        watch.until_quiet(base.STACK_TIMEOUT)

        self.assertEqual({'out1': 'three', 'out2': 'three'},
                         self.outputs(self.identifier))
        # test2 was updated once, straight from one to three
        self.assertEqual(
            ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE',
             'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE'],
            self.event_statuses(self.identifier, 'test2'))
        name = self.identifier.split('/')[0]
        stack_events = [e.resource_status for e in self.events(self.identifier)
                        if e.resource_name == name]
        self.assertEqual(2, stack_events.count('UPDATE_IN_PROGRESS'),
                         stack_events)
        self.assertEqual('UPDATE_COMPLETE', stack_events[-1])

    def test_cancel_rolls_back_to_the_last_complete_template(self):
        """Unlike Heat 27 (which rolls back to "two", the template the
        second update superseded), we roll back to "one": the template of
        the last operation that completed."""
        watch = timeline.Timeline(
            self.client, self.identifier, with_outputs=True,
            invariants=(timeline.settled_when(*FINAL),))
        before = self.physical_ids(self.identifier)

        self._start_two_then_three(watch)
        patched_at = watch.sample().at
        watch.until(lambda s: s.at >= patched_at + 1, base.STACK_TIMEOUT,
                    'a second of the second update')
        self.client.actions.cancel_update(self.identifier)
        watch.until(lambda s: s.stack_status.startswith('ROLLBACK_'),
                    base.STACK_TIMEOUT, 'rollback started')
        final = watch.until(
            lambda s: s.stack_status in ('ROLLBACK_COMPLETE',
                                         'ROLLBACK_FAILED'),
            base.STACK_TIMEOUT, 'rollback finished')
        self.assertEqual('ROLLBACK_COMPLETE', final.stack_status,
                         watch.describe())
        quiet = watch.until_quiet(base.STACK_TIMEOUT)

        self.assertEqual('ROLLBACK_COMPLETE', quiet.stack_status)
        self.assertEqual({'out1': 'one', 'out2': 'one'},
                         self.outputs(self.identifier), watch.describe())
        self.assertEqual(before, self.physical_ids(self.identifier))
