"""Which waiting rows the sweeper delivers an overdue timer to
(worker/signal_wait.lost_timers, pure)."""

import testtools

from convergence.worker import signal_wait


def _row(wake_at=None, received=(), engine='e1'):
    awaiting = {signal_wait.WAIT_ID: 'w', signal_wait.RECEIVED:
                list(received)}
    if wake_at is not None:
        awaiting[signal_wait.WAKE_AT] = wake_at
    return {'id': 1, 'engine_id': engine, 'awaiting': awaiting}


class LostTimers(testtools.TestCase):

    def test_overdue_by_the_down_time(self):
        row = _row(wake_at=100.0)
        self.assertEqual([row], signal_wait.lost_timers([row], 130.0, 30))
        self.assertEqual([], signal_wait.lost_timers([row], 129.0, 30))

    def test_a_wait_without_a_timer(self):
        self.assertEqual([], signal_wait.lost_timers([_row()], 1e12, 30))

    def test_a_stored_signal_is_woken_instead(self):
        row = _row(wake_at=100.0, received=[{}])
        self.assertEqual([], signal_wait.lost_timers([row], 1e12, 30))

    def test_an_unlocked_row_awaits_nothing(self):
        row = _row(wake_at=100.0, engine=None)
        self.assertEqual([], signal_wait.lost_timers([row], 1e12, 30))
