"""When an operator's reset_stack_status may touch a stack."""

import datetime

import testtools

from convergence.recovery import manual_reset

NOW = datetime.datetime(2026, 1, 1, 12, 0, 0)
DOWN_AFTER = 60.0


def ago(seconds: float) -> datetime.datetime:
    return NOW - datetime.timedelta(seconds=seconds)


def stack(status: str = 'IN_PROGRESS', updated: float = 600) -> dict:
    return {'id': 's1', 'action': 'CREATE', 'status': status,
            'created_at': ago(3600), 'updated_at': ago(updated)}


def row(engine_id: str | None = None, status: str = 'COMPLETE') -> dict:
    return {'engine_id': engine_id, 'status': status}


def engine(engine_id: str, beat: float) -> dict:
    return {'engine_id': engine_id, 'updated_at': ago(beat)}


class TestRefusal(testtools.TestCase):

    def refusal(self, the_stack, rows=(), services=(), latest=None):
        return manual_reset.refusal(the_stack, list(rows), list(services),
                                    latest, NOW, DOWN_AFTER)

    def test_a_stack_not_in_progress_is_refused(self):
        for status in ('COMPLETE', 'FAILED'):
            reason = self.refusal(stack(status))
            self.assertIn('CREATE_%s, not IN_PROGRESS' % status, reason)

    def test_a_row_held_by_a_live_engine_is_refused(self):
        reason = self.refusal(stack(), [row('e1'), row()],
                              [engine('e1', beat=5)])
        self.assertIn('engine e1 is alive', reason)

    def test_a_recent_resource_write_is_refused(self):
        reason = self.refusal(stack(), [row()], latest=ago(10))
        self.assertIn('wrote 10 s ago', reason)

    def test_a_recent_stack_write_is_refused(self):
        self.assertIsNotNone(self.refusal(stack(updated=30)))

    def test_a_quiet_stack_held_by_a_dead_engine_may_be_reset(self):
        self.assertIsNone(self.refusal(
            stack(), [row('e1'), row()], [engine('e1', beat=600),
                                          engine('e2', beat=1)],
            latest=ago(DOWN_AFTER)))


class TestRowsToFail(testtools.TestCase):

    def test_locked_or_in_progress_rows_fail_the_rest_stay(self):
        locked, running = row('e1'), row(status='IN_PROGRESS')
        done, failed = row(), row(status='FAILED')
        self.assertEqual([locked, running], manual_reset.rows_to_fail(
            [locked, done, running, failed]))
