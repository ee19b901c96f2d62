"""Time as a resource action sees it: a reading and a cooperative wait.

Plugins never call ``time.sleep`` directly.  They wait through the clock the
engine hands them, so that a wait is also the point where an action notices
that its traversal was cancelled or that the stack deadline has passed.  The
engine supplies a clock whose ``wait`` is a green-thread sleep; this module
gives a wall-clock one for standalone use and a fake one for tests.
"""

import time
from typing import Callable, Protocol

from convergence.exceptions import ActionCancelled, Timeout

# Longest single sleep of WallClock when it must also watch for cancellation:
# a cancelled action notices within this many seconds.
CANCEL_CHECK_INTERVAL = 0.5


class Clock(Protocol):
    """What a resource action needs from time."""

    def now(self) -> float:
        """Seconds on a monotonic scale (only differences are meaningful)."""

    def wait(self, seconds: float) -> None:
        """Sleep cooperatively for ``seconds`` (<= 0 just yields).

        Raises:
            ActionCancelled: the action was asked to stop.
            Timeout: the stack deadline passed before or during the wait.
        """


class WallClock:
    """A real clock on ``time.monotonic`` with an optional deadline and cancel.

    Parameters:
        deadline: monotonic time after which ``wait`` raises Timeout.
        is_cancelled: polled during waits; True makes ``wait`` raise
            ActionCancelled.
        sleep: the sleep function; by default ``time.sleep`` looked up at
            each call, so eventlet's monkey-patching (even after import)
            makes the wait green.
    """

    def __init__(self, deadline: float | None = None,
                 is_cancelled: Callable[[], bool] | None = None,
                 sleep: Callable[[float], None] | None = None):
        self.deadline = deadline
        self.is_cancelled = is_cancelled
        self._sleep = sleep or (lambda seconds: time.sleep(seconds))

    def now(self) -> float:
        return time.monotonic()

    def _check(self) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise ActionCancelled()
        if self.deadline is not None and self.now() >= self.deadline:
            raise Timeout()

    def _slice(self, remaining: float) -> float:
        """How long the next uninterrupted sleep may last."""
        step = remaining
        if self.deadline is not None:
            step = min(step, max(self.deadline - self.now(), 0.0))
        if self.is_cancelled is not None:
            step = min(step, CANCEL_CHECK_INTERVAL)
        return step

    def wait(self, seconds: float) -> None:
        self._check()
        end = self.now() + max(seconds, 0.0)
        self._sleep(0)
        while True:
            self._check()
            remaining = end - self.now()
            if remaining <= 0:
                return
            self._sleep(self._slice(remaining))


class FakeClock:
    """A clock for tests: ``wait`` advances time instantly and is recorded.

    Parameters:
        start: the initial reading.
        deadline: reading at or after which ``wait`` raises Timeout.
        cancel_at: reading at or after which ``wait`` raises ActionCancelled.

    A wait that would cross the deadline or the cancel point stops time at
    that point, then raises, as a real clock would.
    """

    def __init__(self, start: float = 0.0, deadline: float | None = None,
                 cancel_at: float | None = None):
        self.time = start
        self.deadline = deadline
        self.cancel_at = cancel_at
        self.waits: list[float] = []

    def now(self) -> float:
        return self.time

    def _stop(self) -> tuple[float, BaseException] | None:
        """The earliest pending interruption, as (when, exception)."""
        stops = []
        if self.cancel_at is not None:
            stops.append((self.cancel_at, ActionCancelled()))
        if self.deadline is not None:
            stops.append((self.deadline, Timeout()))
        return min(stops, key=lambda s: s[0]) if stops else None

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        target = self.time + max(seconds, 0.0)
        stop = self._stop()
        if stop is not None and stop[0] <= target:
            self.time = max(self.time, stop[0])
            raise stop[1]
        self.time = target

    def advance(self, seconds: float) -> None:
        """Move time forward without going through ``wait``."""
        self.time += seconds
