"""Time as a resource action sees it: a reading and a cooperative wait.

Time bases.  A clock's ``now`` and every deadline a clock holds are
monotonic seconds: only differences mean anything, and neither NTP nor an
operator setting the system clock moves them.  Wall time (epoch seconds)
appears only where a deadline is stored: a stack's deadline is its row's
start time plus its timeout.  ``monotonic_deadline`` places such a stored
deadline on the monotonic scale, once, when an action's clock is made.

Plugins never call ``time.sleep`` directly.  They wait through the clock the
engine hands them, so that a wait is also the point where an action notices
that its traversal was cancelled or that the stack deadline has passed.  The
engine's clock is ``runtime.ActionClock``; this module gives the protocol,
a real clock for standalone use and a fake one for tests.
"""

import threading
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


def monotonic_deadline(wall_deadline: float | None,
                       now: float | None = None) -> float | None:
    """The monotonic reading at which a deadline stored in wall time falls.

    Parameters:
        wall_deadline: epoch seconds, as a stack's deadline is stored; None
            for no deadline.
        now: the present reading of the monotonic clock the deadline is for
            (``time.monotonic()`` by default; a fake clock passes its own).
    """
    if wall_deadline is None:
        return None
    reading = time.monotonic() if now is None else now
    return reading + (wall_deadline - time.time())


def check_interrupted(cancelled: bool, deadline: float | None,
                      now: float) -> None:
    """Raise what stops a wait: a cancel first, then a passed deadline.

    ``deadline`` and ``now`` are on the same monotonic scale.
    """
    if cancelled:
        raise ActionCancelled()
    if deadline is not None and now >= deadline:
        raise Timeout()


class WallClock:
    """A real clock on ``time.monotonic`` with an optional deadline and cancel.

    Parameters:
        deadline: monotonic time after which ``wait`` raises Timeout.
        is_cancelled: polled during waits; True makes ``wait`` raise
            ActionCancelled.
        sleep: the sleep function; by default ``time.sleep`` looked up at
            each call, so eventlet's monkey-patching (even after import)
            makes the wait green.
        cancel_poll: the longest sleep between two looks at ``is_cancelled``;
            None when ``sleep`` itself ends as soon as the action is
            cancelled.
    """

    def __init__(self, deadline: float | None = None,
                 is_cancelled: Callable[[], bool] | None = None,
                 sleep: Callable[[float], object] | None = None,
                 cancel_poll: float | None = CANCEL_CHECK_INTERVAL):
        self.deadline = deadline
        self.is_cancelled = is_cancelled
        self._sleep = sleep or (lambda seconds: time.sleep(seconds))
        self._cancel_poll = cancel_poll

    def now(self) -> float:
        """Monotonic seconds."""
        return time.monotonic()

    def _check(self) -> None:
        cancelled = self.is_cancelled is not None and self.is_cancelled()
        check_interrupted(cancelled, self.deadline, self.now())

    def _slice(self, remaining: float) -> float:
        """How long the next uninterrupted sleep may last."""
        step = remaining
        if self.deadline is not None:
            step = min(step, max(self.deadline - self.now(), 0.0))
        if self.is_cancelled is not None and self._cancel_poll is not None:
            step = min(step, self._cancel_poll)
        return step

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` of monotonic time, in slices (see Clock.wait)."""
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
        cancelled: an action's cancel event, as ``runtime.ActionClock``
            takes it; once set, ``wait`` raises ActionCancelled at once.

    Readings and deadlines are on the clock's own scale, which stands for
    the monotonic one.  A wait that would cross the deadline or the cancel
    point stops time at that point, then raises, as a real clock would.
    """

    def __init__(self, start: float = 0.0, deadline: float | None = None,
                 cancel_at: float | None = None,
                 cancelled: threading.Event | None = None):
        self.time = start
        self.deadline = deadline
        self.cancel_at = cancel_at
        self.cancelled = cancelled
        self.waits: list[float] = []

    def now(self) -> float:
        return self.time

    def _stop(self) -> tuple[float, BaseException] | None:
        """The earliest pending interruption, as (when, exception)."""
        stops = []
        if self.cancelled is not None and self.cancelled.is_set():
            stops.append((self.time, ActionCancelled()))
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
