"""Bounded polling: every wait in the functional tests has a deadline."""

import time
from typing import Callable, TypeVar

T = TypeVar('T')

# Seconds between two looks at the server.
POLL_INTERVAL = 0.25


class WaitTimeout(AssertionError):
    """A condition was not reached in time; says what was last seen."""


def wait_until(probe: Callable[[], T], timeout: float, what: str,
               interval: float = POLL_INTERVAL,
               describe: Callable[[], str] | None = None) -> T:
    """Call ``probe`` until it returns something truthy; return that.

    Raises WaitTimeout after ``timeout`` seconds, naming ``what`` was
    awaited and, if ``describe`` is given, what the server showed last.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() >= deadline:
            seen = ' (last seen: %s)' % describe() if describe else ''
            raise WaitTimeout('%s not reached within %ss%s'
                              % (what, timeout, seen))
        time.sleep(interval)


def stays(probe: Callable[[], bool], seconds: float, what: str,
          interval: float = POLL_INTERVAL) -> None:
    """Assert ``probe`` holds at every look during ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not probe():
            raise AssertionError('%s stopped holding' % what)
        time.sleep(interval)
