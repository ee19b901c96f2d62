"""The clocks: a fake one for tests and a real one for standalone use."""

import testtools

from convergence.exceptions import ActionCancelled, Timeout
from convergence.resources.clock import FakeClock, WallClock


class TestFakeClock(testtools.TestCase):

    def test_wait_advances_time_and_is_recorded(self):
        clock = FakeClock(start=10)
        clock.wait(2.5)
        clock.wait(-1)
        self.assertEqual(12.5, clock.now())
        self.assertEqual([2.5, -1], clock.waits)

    def test_cancel_stops_time_at_the_cancel_point(self):
        clock = FakeClock(cancel_at=3)
        clock.wait(2)
        self.assertRaises(ActionCancelled, clock.wait, 5)
        self.assertEqual(3, clock.now())

    def test_earliest_interruption_wins(self):
        clock = FakeClock(deadline=2, cancel_at=4)
        self.assertRaises(Timeout, clock.wait, 10)
        self.assertEqual(2, clock.now())


class TestWallClock(testtools.TestCase):

    def fake_time(self):
        """A WallClock whose sleeps are recorded instead of taken."""
        slept = []
        clock = WallClock(sleep=slept.append)
        start = [1000.0]
        clock.now = lambda: start[0] + sum(slept)
        return clock, slept

    def test_sleeps_the_requested_time(self):
        clock, slept = self.fake_time()
        clock.wait(3)
        self.assertEqual(3, sum(slept))

    def test_cancel_is_noticed_within_the_check_interval(self):
        clock, slept = self.fake_time()
        clock.is_cancelled = lambda: sum(slept) >= 2
        self.assertRaises(ActionCancelled, clock.wait, 60)
        self.assertLessEqual(sum(slept), 2.5)

    def test_deadline_raises_timeout(self):
        clock, slept = self.fake_time()
        clock.deadline = clock.now() + 1
        self.assertRaises(Timeout, clock.wait, 60)
        self.assertEqual(1, sum(slept))
        self.assertRaises(Timeout, clock.wait, 0)

    def test_real_sleep(self):
        clock = WallClock()
        start = clock.now()
        clock.wait(0.01)
        self.assertGreaterEqual(clock.now() - start, 0.01)
