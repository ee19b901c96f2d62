"""The clock family's time bases: stored wall deadlines, monotonic waits."""

import threading
import time
from unittest import mock

import testtools

from convergence.exceptions import ActionCancelled, Timeout
from convergence.resources.clock import (FakeClock, check_interrupted,
                                         monotonic_deadline)


class TestMonotonicDeadline(testtools.TestCase):

    def test_given_a_wall_deadline_when_placed_then_as_far_ahead(self):
        with mock.patch('time.time', return_value=1_000_000.0):
            self.assertEqual(130.0, monotonic_deadline(1_000_030.0, 100.0))

    def test_given_a_passed_wall_deadline_when_placed_then_behind(self):
        with mock.patch('time.time', return_value=1_000_000.0):
            self.assertEqual(95.0, monotonic_deadline(999_995.0, 100.0))

    def test_given_no_reading_when_placed_then_on_time_monotonic(self):
        placed = monotonic_deadline(time.time() + 30)
        self.assertLess(abs(placed - (time.monotonic() + 30)), 1.0)

    def test_given_no_deadline_when_placed_then_none(self):
        self.assertIsNone(monotonic_deadline(None, 100.0))


class TestCheckInterrupted(testtools.TestCase):

    def test_given_a_cancel_and_a_passed_deadline_then_cancel_wins(self):
        self.assertRaises(ActionCancelled, check_interrupted, True, 5.0, 9.0)

    def test_given_a_passed_deadline_then_timeout(self):
        self.assertRaises(Timeout, check_interrupted, False, 5.0, 5.0)

    def test_given_time_left_then_nothing(self):
        check_interrupted(False, 5.0, 4.9)
        check_interrupted(False, None, 1e12)


class TestFakeClockCancelEvent(testtools.TestCase):

    def test_given_a_set_cancel_event_when_waiting_then_cancelled_now(self):
        cancelled = threading.Event()
        clock = FakeClock(start=7, cancelled=cancelled)
        clock.wait(1)
        cancelled.set()
        self.assertRaises(ActionCancelled, clock.wait, 5)
        self.assertEqual(8, clock.now())

    def test_given_a_placed_wall_deadline_when_waiting_past_then_timeout(self):
        clock = FakeClock(deadline=monotonic_deadline(time.time() + 30, 0.0))
        clock.wait(20)
        self.assertRaises(Timeout, clock.wait, 20)
        self.assertLess(abs(clock.now() - 30), 1.0)
