"""What the benchmark counts: SQL statements and calls, per phase.

Shared by both engines' harnesses (this module needs only SQLAlchemy, which
Heat's virtualenv has too).  SQL is counted with a ``before_cursor_execute``
listener on the engine's own ``Engine``, transactions with its ``begin``
event (an engine may send BEGIN as a statement or straight to the driver);
statements a thread runs inside ``SqlCounter.excluded()`` (the benchmark's
own status polls) are not counted.  The listener only counts each distinct
statement text: shapes are worked out once per text, when summing up, so
the counting costs the engine under test as little CPU as it can.
"""

import collections
import contextlib
import contextvars
import re
import sys
import threading

import sqlalchemy as sa


def _lock():
    """A lock that costs the engine under test as little as it can.

    The counters' critical sections never switch green threads, so an OS
    lock guards them against green and OS threads alike; eventlet's green
    lock (what ``threading.Lock`` gives once an engine has monkey-patched)
    costs a semaphore round trip at every statement.  Heat's driver runs
    on OS threads, where ``threading.Lock`` is that OS lock already.
    """
    patcher = sys.modules.get('eventlet.patcher')
    if patcher is not None and patcher.is_monkey_patched('thread'):
        return patcher.original('_thread').allocate_lock()
    return threading.Lock()


# How many of the most frequent statement shapes a phase reports.
TOP_STATEMENTS = 12
# A statement shape is cut to this many characters.
SHAPE_CHARS = 110
# Longer SELECT column lists are elided from a shape.
SELECT_LIST_CHARS = 48

_VERBS = ('SELECT', 'INSERT', 'UPDATE', 'DELETE')
_SELECT_LIST = re.compile(r'^SELECT (.*?) FROM ', re.S)
_SPACES = re.compile(r'\s+')


def statement_shape(statement: str) -> str:
    """A statement with a long column list elided: ``SELECT … FROM t …``."""
    text = _SPACES.sub(' ', statement.strip())
    columns = _SELECT_LIST.match(text)
    if columns and len(columns.group(1)) > SELECT_LIST_CHARS:
        text = 'SELECT … FROM ' + text[columns.end():]
    return text[:SHAPE_CHARS]


def verb(statement: str) -> str:
    word = statement.lstrip()[:6].upper()
    return word if word in _VERBS else 'OTHER'


class SqlCounter:
    """Counts the statements one SQLAlchemy ``Engine`` sends, by shape."""

    def __init__(self, engine: sa.engine.Engine):
        self._lock = _lock()
        # Per thread or green thread, and cheaper to ask than a
        # threading.local once eventlet has patched that.
        self._excluded = contextvars.ContextVar('sql_excluded', default=False)
        self.enabled = True
        self.reset()
        sa.event.listen(engine, 'before_cursor_execute', self._on_execute)
        sa.event.listen(engine, 'begin', self._on_begin)
        sa.event.listen(engine, 'commit', self._on_commit)

    def reset(self) -> None:
        with self._lock:
            self.statements = collections.Counter()
            self.begins = 0
            self.commits = 0

    @contextlib.contextmanager
    def excluded(self):
        """Statements this thread runs meanwhile are not counted."""
        token = self._excluded.set(True)
        try:
            yield
        finally:
            self._excluded.reset(token)

    def _counting(self) -> bool:
        return self.enabled and not self._excluded.get()

    def _on_execute(self, conn, cursor, statement, params, context, many):
        if self._counting() and not statement.startswith('BEGIN'):
            with self._lock:
                self.statements[statement] += 1

    def _on_begin(self, conn):
        if self._counting():
            with self._lock:
                self.begins += 1

    def _on_commit(self, conn):
        if self._counting():
            with self._lock:
                self.commits += 1

    def total(self) -> int:
        with self._lock:
            return sum(self.statements.values())

    def summary(self) -> dict:
        """Totals by verb and by table, and the most frequent shapes."""
        with self._lock:
            texts = collections.Counter(self.statements)
            begins, commits = self.begins, self.commits
        shapes = collections.Counter()
        for text, count in texts.items():
            shapes[statement_shape(text)] += count
        by_verb = collections.Counter()
        for shape, count in shapes.items():
            by_verb[verb(shape)] += count
        return {'statements': sum(shapes.values()), 'begins': begins,
                'commits': commits, 'by_verb': dict(by_verb),
                'top': shapes.most_common(TOP_STATEMENTS)}


class CallCounter:
    """Counts calls of one function, and how many are still running."""

    def __init__(self):
        self._lock = _lock()
        self.calls = 0
        self.running = 0

    def reset(self) -> None:
        with self._lock:
            self.calls = 0

    def wrap(self, func):
        """``func`` counted; keeps its name, so it still dispatches by name."""
        def counted(*args, **kwargs):
            with self._lock:
                self.calls += 1
                self.running += 1
            try:
                return func(*args, **kwargs)
            finally:
                with self._lock:
                    self.running -= 1
        counted.__name__ = func.__name__
        counted.__doc__ = func.__doc__
        return counted


class PeakRss:
    """This process's peak resident set size over a phase, from Linux's
    ``/proc/self``: ``reset`` writes 5 to ``clear_refs``, which sets the
    high-water mark (``VmHWM``) back to the current RSS.  Both engines run
    in the process that measures them, so this is the engine's peak memory
    (plus the benchmark's own, the same few MB in both).  Where ``/proc``
    has no such files the figures are None.
    """

    STATUS, CLEAR_REFS = '/proc/self/status', '/proc/self/clear_refs'

    def reset(self) -> float | None:
        """Starts a new peak; returns the RSS now (MiB)."""
        try:
            with open(self.CLEAR_REFS, 'w') as refs:
                refs.write('5')
        except OSError:
            return None
        return self._field('VmRSS:')

    def peak(self) -> float | None:
        """The peak RSS since the last ``reset`` (MiB)."""
        return self._field('VmHWM:')

    def _field(self, name: str) -> float | None:
        try:
            with open(self.STATUS) as status:
                for line in status:
                    if line.startswith(name):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
        return None
