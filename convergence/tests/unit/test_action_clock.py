"""The engine's action clock: monotonic readings, a stored wall deadline."""

import threading
import time
from unittest import mock

import testtools

from convergence import runtime
from convergence.exceptions import ActionCancelled, Timeout

# Seconds a real wait may overrun on a loaded machine before a test fails.
PATIENCE = 10


class _CancelledDuringWait:
    """A cancel event that is set by the first wait longer than zero."""

    def __init__(self):
        self.waits: list[float] = []
        self._set = False

    def is_set(self) -> bool:
        return self._set

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        if timeout > 0:
            self._set = True
        return self._set


class TestActionClock(testtools.TestCase):

    def test_given_an_action_clock_when_read_then_it_reads_monotonic_time(self):
        clock = runtime.ActionClock(None, threading.Event())
        self.assertLess(abs(clock.now() - time.monotonic()), 1.0)

    def test_given_a_wall_deadline_when_waiting_past_it_then_timeout(self):
        clock = runtime.ActionClock(time.time() + 0.05, threading.Event())
        started = time.monotonic()
        self.assertRaises(Timeout, clock.wait, 60)
        waited = time.monotonic() - started
        self.assertGreaterEqual(waited, 0.04)
        self.assertLess(waited, PATIENCE)

    def test_given_a_passed_wall_deadline_when_waiting_then_timeout(self):
        clock = runtime.ActionClock(time.time() - 1, threading.Event())
        self.assertRaises(Timeout, clock.wait, 0)

    def test_given_a_wall_deadline_ahead_when_waiting_less_then_no_timeout(
            self):
        clock = runtime.ActionClock(time.time() + 60, threading.Event())
        clock.wait(0.01)
        self.assertGreater(clock.deadline - clock.now(), 50)

    def test_given_a_clock_when_the_system_clock_jumps_then_the_deadline_holds(
            self):
        clock = runtime.ActionClock(time.time() + 3600, threading.Event())
        with mock.patch('time.time', return_value=time.time() + 7200):
            clock.wait(0.01)
        self.assertGreater(clock.deadline - clock.now(), 3500)

    def test_given_a_cancelled_action_when_waiting_then_cancelled_at_once(
            self):
        cancelled = threading.Event()
        cancelled.set()
        clock = runtime.ActionClock(time.time() - 1, cancelled)
        self.assertRaises(ActionCancelled, clock.wait, 60)

    def test_given_a_wait_when_cancelled_then_one_sleep_ends_early(self):
        cancelled = _CancelledDuringWait()
        clock = runtime.ActionClock(None, cancelled)
        self.assertRaises(ActionCancelled, clock.wait, 60)
        self.assertEqual(2, len(cancelled.waits))
        self.assertEqual(0, cancelled.waits[0])
        self.assertGreater(cancelled.waits[1], 59)

    def test_given_a_real_cancel_when_waiting_then_the_wait_wakes(self):
        cancelled = threading.Event()
        clock = runtime.ActionClock(None, cancelled)
        threading.Timer(0.05, cancelled.set).start()
        started = time.monotonic()
        self.assertRaises(ActionCancelled, clock.wait, 60)
        self.assertLess(time.monotonic() - started, PATIENCE)
