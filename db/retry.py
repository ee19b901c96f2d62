"""Database calls survive deadlocks and lost connections: they run again.

A deadlock, or a connection lost before COMMIT, rolls the transaction back,
so running the call again is exact.  A connection lost *during* COMMIT is
different: the transaction may or may not have committed, and nobody can
ask the server which.  The call runs again all the same, and may then meet
its own earlier write: a compare-and-swap finds the row already swapped and
would report a loss it did not suffer, an insert meets its own row.  So
writes whose COMMIT was cut off are flagged (:func:`commit_unknown`), and
the query methods (db/api.py and the modules it composes) then check for
the proof of their own write (a value only they write, or a row only they
insert) before answering; each method's docstring says what that proof is.

What is left: another writer may change the row again between the lost
COMMIT and the retry, taking the proof with it.  The call then reports a
loss it did not suffer (a released lock looks taken, so the node's result
is not passed on, and recovery re-sends the stalled traversal's triggers);
it reports a win it did not have only where another writer wrote exactly
the same values, which has the same effect.  A join's completion cannot be
taken away: the join records who completed it.
"""

import contextlib
import contextvars
import functools

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc

from convergence import metrics

# Retries of one call before its error is raised.
MAX_RETRIES = 10
# Seconds before the first retry; doubled for each next one (deadlocks wait
# a random time below it, so that the two sides do not collide again).
FIRST_INTERVAL = 0.05
# Seconds between retries at most: ten retries span about half a minute,
# enough for a database server to restart or fail over.
MAX_INTERVAL = 5


class _Call:
    """What one call of a retried method has learnt across its attempts."""

    def __init__(self):
        self.commit_unknown = False
        self.attempts = 0


_CALL = contextvars.ContextVar('convergence_db_call', default=None)


def retried(method):
    """Run ``method`` again on deadlock or lost connection.

    A call made inside another retried call is not retried by itself: it
    may be part of the outer call's transaction, which the outer retry
    repeats as a whole.  Each retry is counted (convergence.metrics) under
    the method's name.
    """
    def attempt(*args, **kwargs):
        _CALL.get().attempts += 1
        return method(*args, **kwargs)

    again = oslo_db_api.wrap_db_retry(
        max_retries=MAX_RETRIES, retry_interval=FIRST_INTERVAL,
        inc_retry_interval=True, max_retry_interval=MAX_INTERVAL,
        retry_on_deadlock=True, retry_on_disconnect=True)(attempt)

    @functools.wraps(method)
    def call(*args, **kwargs):
        if _CALL.get() is not None:
            return method(*args, **kwargs)
        this_call = _Call()
        token = _CALL.set(this_call)
        try:
            return again(*args, **kwargs)
        finally:
            _CALL.reset(token)
            metrics.db_retried(method.__name__, this_call.attempts - 1)
    return call


def commit_unknown() -> bool:
    """True if an earlier attempt of this call lost its connection in COMMIT."""
    call = _CALL.get()
    return call is not None and call.commit_unknown


class CommitWatch:
    """Tells a lost connection during COMMIT from one before it."""

    def __init__(self):
        self._committing = False

    def committing(self) -> None:
        """The transaction's work is done; what fails from now on is COMMIT."""
        self._committing = True

    def failed(self) -> None:
        call = _CALL.get()
        if self._committing and call is not None:
            call.commit_unknown = True


@contextlib.contextmanager
def watching_commit():
    """Around a write transaction: flag the call if its COMMIT is cut off."""
    watch = CommitWatch()
    try:
        yield watch
    except db_exc.DBConnectionError:
        watch.failed()
        raise
