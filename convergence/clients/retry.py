"""Which failures of a cloud call are worth repeating, and the repeating.

Heat's ``client_retry_limit``: a connection failure, a 5xx answer and, for
calls that wait on something else finishing (a delete whose dependants are
still going away), a 409 Conflict are transient; everything else is the
answer.  Pure: the sleep is given.
"""

import logging
from typing import Callable, TypeVar

from convergence.clients import errors

LOG = logging.getLogger(__name__)

T = TypeVar('T')

# Seconds before the first repeat; each next one waits twice as long.
FIRST_DELAY = 0.5


def is_transient(exc: BaseException, conflict_is_transient: bool) -> bool:
    """Whether ``exc`` (an errors.CloudError) may go away on its own."""
    if isinstance(exc, errors.ConnectionFailed):
        return True
    if not isinstance(exc, errors.CloudError) or exc.status_code is None:
        return False
    if exc.status_code >= 500:
        return True
    return conflict_is_transient and exc.status_code == 409


def retried(call: Callable[[], T], limit: int, sleep: Callable[[float], None],
            what: str, conflict_is_transient: bool = False) -> T:
    """``call()``, repeated up to ``limit`` more times on transient errors,
    waiting FIRST_DELAY, then twice that, ... in between; the last error
    is raised."""
    delay = FIRST_DELAY
    for attempt in range(limit + 1):
        try:
            return call()
        except errors.CloudError as exc:
            if attempt == limit or not is_transient(exc,
                                                    conflict_is_transient):
                raise
            LOG.info('%s failed (%s: %s); retrying in %.1fs', what,
                     type(exc).__name__, exc, delay)
            sleep(delay)
            delay *= 2
    raise AssertionError('unreachable')
