"""A group's members created and updated in batches, on the stepped queue.

The root holds one OS::Heat::ResourceGroup ``g`` of scenario resources
with a property ``v``.  Its update policy asks for batches: each batch is
one operation of the group's child stack, and the pause between two is a
timer (``Scenario.fire_timers`` makes every timer set so far fire), so
"update while the group pauses after its first batch" is written exactly.
"""

from convergence import stack as stack_ops
from convergence.tests.scenarios import framework
from convergence.tests.scenarios.framework import ScenarioTestCase

RSRC = framework.RESOURCE_TYPE


def group_template(count: int, value: str, policy: dict) -> dict:
    return {'heat_template_version': '2016-10-14',
            'resources': {'g': {
                'type': 'OS::Heat::ResourceGroup', 'update_policy': policy,
                'properties': {'count': count, 'resource_def': {
                    'type': RSRC, 'properties': {'v': value}}}}}}


def batch_create(size: int, pause: float = 5) -> dict:
    return {'batch_create': {'max_batch_size': size, 'pause_time': pause}}


def rolling(size: int, keep: int, pause: float = 5) -> dict:
    return {'rolling_update': {'max_batch_size': size,
                               'min_in_service': keep, 'pause_time': pause}}


class GroupBatchScenarios(ScenarioTestCase):

    # --- helpers -------------------------------------------------------------

    def create(self, count: int, value: str = 'a', policy=None,
               timeout: int | None = None):
        s = self.scenario
        args = {'disable_rollback': True}
        if timeout:
            args['timeout_mins'] = timeout
        s.engine_queue.append(lambda: s.engine_service.create_stack(
            s.context, framework.STACK_NAME,
            group_template(count, value, policy or {}), {}, {}, args))

    def update(self, count: int, value: str, policy=None):
        s = self.scenario
        s.engine_queue.append(lambda: s.engine_service.update_stack(
            s.context, s._identity(framework.STACK_NAME),
            group_template(count, value, policy or {}), {}, {}, {}))

    def cancel(self):
        s = self.scenario
        s.engine_queue.append(lambda: s.engine_service.stack_cancel_update(
            s.context, s._identity(framework.STACK_NAME)))

    def values(self) -> dict:
        """{member name: v} of what the cloud holds."""
        return {r['name']: r['props'].get('v')
                for r in self.scenario.reality.all_resources().values()}

    def child(self) -> dict:
        rows = self.scenario.rows('g')
        return self.scenario.db.stack_get(rows[-1]['physical_resource_id'])

    def next_batch(self) -> dict:
        """Let the pause end and the next batch run; the cloud after."""
        s = self.scenario
        self.assertEqual(1, len(s.timers), 'timers set')
        s.fire_timers()
        s.run()
        return self.values()

    def assert_nothing_locked(self):
        s = self.scenario
        for stack in s.db.stack_list('test', show_deleted=True):
            self.assertEqual(0, s.db.resources_locked_count(stack['id']))

    # --- batch_create ------------------------------------------------------

    def test_a_create_adds_a_batch_after_each_pause(self):
        """Given count 5 in batches of 2 with a pause of 5 s, the group
        creates 2, pauses (a timer, nothing waiting), creates 2 more,
        pauses, creates the last, and only then is COMPLETE."""
        s = self.scenario
        self.create(5, policy=batch_create(2))
        s.run()
        self.assertEqual({'0': 'a', '1': 'a'}, self.values())
        self.assertEqual('CREATE_IN_PROGRESS', s.stack_state())
        self.assertEqual([5], [t[0] for t in s.timers])
        self.assertEqual(['0', '1', '2', '3'], sorted(self.next_batch()))
        self.assertEqual('CREATE_IN_PROGRESS', s.stack_state())
        self.assertEqual(['0', '1', '2', '3', '4'],
                         sorted(self.next_batch()))
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual([], s.timers)
        # Each batch may take the stack's timeout less the two pauses.
        self.assertEqual(60, self.child()['timeout'])
        self.assert_nothing_locked()

    def test_pauses_beyond_the_timeout_fail_the_create_as_heat(self):
        """Given 3 batches with pauses of 40 s and a timeout of 1 minute,
        the group fails with Heat's ValueError and creates nothing."""
        s = self.scenario
        self.create(3, policy=batch_create(1, 40), timeout=1)
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual(
            'Resource CREATE failed: ValueError: resources.g: The current '
            'update policy will result in stack update timeout.',
            s._stack(framework.STACK_NAME)['status_reason'])
        s.assert_total(0)
        self.assert_nothing_locked()

    # --- rolling_update -----------------------------------------------------

    def test_a_rolling_update_changes_a_batch_at_a_time(self):
        """Given 4 members updated in batches of 2 keeping 3 in service,
        each batch changes at most 2 members, the group never has fewer
        than 3, and the spare member made to stay in service goes at the
        end."""
        s = self.scenario
        self.create(4)
        s.run()
        self.update(4, 'b', rolling(2, 3))
        s.run()
        seen = [self.values()]
        while s.timers:
            seen.append(self.next_batch())
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual({n: 'b' for n in '0123'}, seen[-1])
        for before, after in zip([{n: 'a' for n in '0123'}] + seen, seen):
            changed = [n for n in after if before.get(n) != after[n]]
            self.assertLessEqual(len(changed), 2, seen)
            self.assertGreaterEqual(len(after), 3)
        self.assertEqual(5, max(len(v) for v in seen), 'a spare member')
        self.assert_nothing_locked()

    def test_an_update_that_keeps_the_definition_is_one_operation(self):
        """Scaling without changing resource_def is not a rolling update."""
        s = self.scenario
        self.create(2)
        s.run()
        self.update(4, 'a', rolling(1, 1))
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual({n: 'a' for n in '0123'}, self.values())
        self.assertEqual([], s.timers)

    # --- preemption ------------------------------------------------------------

    def test_an_update_during_a_pause_takes_over(self):
        """Given a batched create pausing after its first batch, when the
        stack is updated (no batches), the update converges the group at
        once and the old pause's timer, firing later, does nothing."""
        s = self.scenario
        self.create(4, policy=batch_create(2))
        s.run()
        self.update(3, 'b')
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual({'0': 'b', '1': 'b', '2': 'b'}, self.values())
        s.fire_timers()
        s.run()
        self.assertEqual({'0': 'b', '1': 'b', '2': 'b'}, self.values())
        s.assert_state('UPDATE_COMPLETE')
        self.assert_nothing_locked()

    def test_an_update_during_a_batch_converges_the_rest(self):
        """Updates landing at each step of a batched create (no pauses):
        whichever batch they interrupt, the group ends with the update's
        members, and a row whose batches were cut short never shows
        COMPLETE for the goal it did not reach."""
        for gap in range(1, 8):
            with self.subTest(gap=gap):
                self.scenario = framework.Scenario(self)
                s = self.scenario
                self.create(4, policy=batch_create(1, 0))
                s.noop(gap)
                self.update(3, 'b')
                s.run()
                s.assert_state('UPDATE_COMPLETE')
                self.assertEqual({'0': 'b', '1': 'b', '2': 'b'},
                                 self.values())
                self.assert_nothing_locked()

    def test_a_cancel_during_a_pause_rolls_back_without_waiting(self):
        """Given a rolling update pausing after its first batch, when it is
        cancelled, the rollback starts at once (no timer fires) and brings
        every member back."""
        s = self.scenario
        self.create(4)
        s.run()
        self.update(4, 'b', rolling(2, 0))
        s.run()
        self.assertIn('b', self.values().values())
        self.cancel()
        s.run()
        s.assert_state('ROLLBACK_COMPLETE')
        self.assertEqual({n: 'a' for n in '0123'}, self.values())
        self.assert_nothing_locked()

    def test_a_delete_during_a_pause_removes_everything(self):
        s = self.scenario
        self.create(4, policy=batch_create(2))
        s.run()
        s.delete_stack(framework.STACK_NAME)
        s.run()
        s.assert_deleted()
        s.assert_total(0)
        s.fire_timers()
        s.run()
        s.assert_total(0)

    def test_the_stack_timeout_ends_a_pause(self):
        """Given a pause of 40 s, when the stack's deadline passes during
        it, a sweep fails the traversal at once, without waiting for the
        pause's timer, and nothing stays locked."""
        s = self.scenario
        self.create(4, policy=batch_create(2, 40), timeout=1)
        s.run()
        s.call(self.patch, stack_ops, 'deadline', lambda rt, stack: 0.0)
        s.recover()
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('Timed out',
                         s._stack(framework.STACK_NAME)['status_reason'])
        self.assertEqual({'0', '1'}, set(self.values()))
        self.assertIn('CREATE interrupted after batch 1 of 2',
                      s.rows('g')[0]['status_reason'])
        self.assert_nothing_locked()

    # --- engines that die -----------------------------------------------------

    def test_an_engine_dying_in_a_batch_is_recovered(self):
        """Given an engine that dies as it creates a member of the second
        batch, when a live engine sweeps, the group still ends with one of
        each member."""
        s = self.scenario
        s.die_during('2', 'CREATE')
        self.create(4, policy=batch_create(2, 0))
        s.run()
        s.recover()
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({n: 'a' for n in '0123'}, self.values())
        self.assert_nothing_locked()

    def test_a_pause_whose_engine_died_is_ended_by_the_sweeper(self):
        """Given a pause of 100 s whose timer died with its engine, a sweep
        a down time (30 s) on leaves it; one 200 s on starts the next
        batch."""
        s = self.scenario
        self.create(4, policy=batch_create(2, 100))
        s.run()
        s.timers.clear()
        s.recover()
        s.run()
        self.assertEqual({'0', '1'}, set(self.values()))
        s.recover(down_after=200)
        s.run()
        self.assertEqual({'0', '1', '2', '3'}, set(self.values()))
        s.assert_state('CREATE_COMPLETE')
        self.assert_nothing_locked()
