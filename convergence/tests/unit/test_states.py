"""The states as data: the values they store and the done predicates."""

import testtools

from convergence import states

GOAL = 7


def _row(**values):
    row = {'action': 'CREATE', 'status': 'COMPLETE', 'engine_id': None,
           'current_template_id': GOAL}
    row.update(values)
    return row


class TestValues(testtools.TestCase):

    def test_members_are_the_stored_strings(self):
        self.assertEqual('IN_PROGRESS', states.Status.IN_PROGRESS)
        self.assertEqual('ROLLBACK', states.Action.ROLLBACK)
        self.assertEqual('CREATE_FAILED', '%s_%s' % (states.Action.CREATE,
                                                     states.Status.FAILED))

    def test_begin_writes_the_action_in_progress(self):
        self.assertEqual({'action': 'DELETE', 'status': 'IN_PROGRESS',
                          'status_reason': 'state changed'},
                         states.begin(states.Action.DELETE))

    def test_finished_is_complete_or_failed_with_the_reason(self):
        self.assertEqual({'status': 'COMPLETE',
                          'status_reason': 'state changed'},
                         states.finished())
        self.assertEqual({'status': 'FAILED', 'status_reason': 'boom'},
                         states.finished('boom'))


class TestPredicates(testtools.TestCase):

    def test_cleanup_done_for_no_row_a_goal_row_or_a_deleted_one(self):
        self.assertTrue(states.cleanup_done(None, GOAL))
        self.assertTrue(states.cleanup_done(_row(), GOAL))
        self.assertTrue(states.cleanup_done(
            _row(action='DELETE', current_template_id=GOAL - 1), GOAL))

    def test_cleanup_not_done_for_an_old_row_or_a_failed_delete(self):
        self.assertFalse(states.cleanup_done(
            _row(current_template_id=GOAL - 1), GOAL))
        self.assertFalse(states.cleanup_done(
            _row(action='DELETE', status='FAILED',
                 current_template_id=GOAL - 1), GOAL))

    def test_update_converged_needs_complete_unlocked_at_the_goal(self):
        self.assertTrue(states.update_converged(_row(), GOAL))
        for values in ({'engine_id': 'e1'}, {'status': 'FAILED'},
                       {'action': 'INIT'}, {'action': 'DELETE'},
                       {'current_template_id': GOAL - 1}):
            self.assertFalse(states.update_converged(_row(**values), GOAL),
                             values)
        self.assertFalse(states.update_converged(None, GOAL))

    def test_interrupted_is_in_progress_and_unlocked(self):
        self.assertTrue(states.interrupted(_row(status='IN_PROGRESS')))
        self.assertFalse(states.interrupted(
            _row(status='IN_PROGRESS', engine_id='e1')))
        self.assertFalse(states.interrupted(_row()))

    def test_never_acted_is_init_and_unlocked(self):
        self.assertTrue(states.never_acted(_row(action='INIT')))
        self.assertFalse(states.never_acted(_row(action='INIT',
                                                 engine_id='e1')))
        self.assertFalse(states.never_acted(_row()))


class TestInPlace(testtools.TestCase):
    """Suspend, resume and check act on the rows as they stand."""

    def test_suspend_acts_in_the_cleanup_node_the_others_in_the_update(self):
        self.assertFalse(states.acts_in_update_node(states.Action.SUSPEND))
        self.assertTrue(states.acts_in_update_node(states.Action.RESUME))
        self.assertTrue(states.acts_in_update_node(states.Action.CHECK))

    def test_skipped_rows(self):
        skips = states.in_place_skips
        suspend, check = states.Action.SUSPEND, states.Action.CHECK
        self.assertTrue(skips(None, suspend))
        self.assertTrue(skips(_row(action='DELETE'), check))
        # Never created: nothing to suspend; a check says so (as Heat).
        self.assertTrue(skips(_row(action='INIT'), suspend))
        self.assertFalse(skips(_row(action='INIT'), check))
        self.assertFalse(skips(_row(), suspend))

    def test_done_when_the_action_ended_since_the_start(self):
        done = states.in_place_done
        suspend, check = states.Action.SUSPEND, states.Action.CHECK
        since, later, earlier = 10, 11, 9
        row = _row(action='SUSPEND', updated_at=later, created_at=earlier)
        self.assertTrue(done(row, suspend, since))
        self.assertFalse(done(dict(row, updated_at=earlier), suspend, since))
        self.assertFalse(done(dict(row, status='IN_PROGRESS'), suspend,
                              since))
        self.assertFalse(done(dict(row, engine_id='e1'), suspend, since))
        self.assertFalse(done(dict(row, status='FAILED'), suspend, since))
        # A failed check is done: the stack's verdict collects it.
        self.assertTrue(done(dict(row, action='CHECK', status='FAILED'),
                             check, since))
        self.assertTrue(done(_row(action='DELETE'), suspend, since))
