"""SQLite as the engine runs on it: pooled connections, WAL, writers that queue.

oslo.db gives file databases a NullPool, so every transaction would open a
connection, re-run the PRAGMAs and re-read the schema, and pysqlite's
statement cache (per connection) would never hit: over a millisecond of CPU
per call.  Connections are therefore pooled here.  Several connections stay
necessary (threads and green threads may each be inside a transaction);
WAL lets readers run beside the one writer.
"""

import contextlib
import contextvars
import sqlite3

import sqlalchemy as sa

# Connections kept open; more are opened (and closed on return) when busy.
POOL_SIZE = 5
# Milliseconds a writer waits for the write lock before "database is locked".
BUSY_TIMEOUT_MS = 30000
# oslo.db options: no green-thread yield each time a connection goes back to
# the pool.  A SQLite call never waits for the network, so there is nothing
# to overlap; with thousands of green threads the yields cost a third of the
# engine's CPU (5,000 waiting TestResources: 5.1 s against 3.5 s per 2,000).
ENGINE_OPTIONS = {'thread_checkin': False}

# Connections kept checked out between transactions (see Connections).
IDLE_CONNECTIONS = POOL_SIZE

# True while this thread (or green thread) is inside a writer transaction.
_WRITING = contextvars.ContextVar('convergence_db_writing', default=False)


def _in_a_file(url: sa.engine.URL) -> bool:
    """A database in a file; one in memory lives and dies with a connection."""
    return (url.database not in (None, '', ':memory:')
            and url.query.get('mode') != 'memory')


def prepare(engine: sa.engine.Engine) -> None:
    """Pool, tune and set up writer locking on a new SQLite engine.

    Runs as an oslo.db ``on_engine_create`` hook, before the first
    connection, so every connection gets the PRAGMAs once, and after
    oslo.db's own listeners (see _begin).
    """
    if _in_a_file(engine.url):
        _pool(engine)
    sa.event.listen(engine, 'connect', _tune)
    # _begin must run before oslo.db's own 'begin' listener.
    theirs = list(engine.dispatch.begin)
    for listener in theirs:
        sa.event.remove(engine, 'begin', listener)
    for listener in [_begin] + theirs:
        sa.event.listen(engine, 'begin', listener)


@contextlib.contextmanager
def writing():
    """Mark the transactions begun inside as writers (see _begin_immediate)."""
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


def _pool(engine: sa.engine.Engine) -> None:
    # The NullPool's creator and event dispatch carry oslo.db's connect
    # hooks (notably isolation_level=None, which lets it emit BEGIN itself);
    # the replacement keeps both, exactly as Pool.recreate() does.  No
    # pre-ping: a local file cannot go away between two checkouts.
    null_pool = engine.pool
    engine.pool = sa.pool.QueuePool(
        null_pool._creator, pool_size=POOL_SIZE, max_overflow=-1,
        pre_ping=False, _dispatch=null_pool.dispatch,
        dialect=null_pool._dialect)
    null_pool.dispose()


def _begin(connection) -> None:
    """Begin SQLite writer transactions with the write lock already held.

    A deferred transaction that reads before it writes (events_trim,
    raw_templates_delete_unused) cannot upgrade to writing once another
    connection has committed since its read: SQLite fails it at once with
    "database is locked", busy_timeout notwithstanding.  So a writer's
    BEGIN is BEGIN IMMEDIATE, which waits for the lock; readers stay
    deferred, so they never wait for writers.

    oslo.db's listener, which runs next, would send BEGIN itself through a
    text() construct compiled for every transaction (a tenth of the CPU of
    a one-statement transaction); it leaves the transaction alone when its
    ``in_transaction`` mark is set.  Should that mark ever change, both
    would BEGIN and SQLite would refuse the second: loudly, not silently.

    BEGIN goes straight to the driver: it has no parameters or result, and
    even as a plain driver statement through SQLAlchemy it cost a sixth of
    a one-statement transaction's CPU.  (The benchmark counts transactions
    by SQLAlchemy's ``begin`` event, not by their BEGIN statement.)

    A reader sends no BEGIN at all: each of its statements is then a read
    transaction of its own (SQLite's autocommit), which for the one-statement
    reads of db/ is exactly what BEGIN would give, at half the CPU of the
    read (BEGIN, then a ROLLBACK that has a transaction to end).  A reader
    of several statements sees each at the latest commit; none of db/'s
    needs them to share one snapshot.
    """
    if 'in_transaction' in connection.info:
        return
    if _WRITING.get():
        begin = 'BEGIN IMMEDIATE'
        try:
            connection.connection.driver_connection.execute(begin)
        except sqlite3.Error:
            # Again through SQLAlchemy, so that what fails (the write lock
            # not had within the busy timeout) reaches the caller as
            # oslo.db's translated error, like every other statement's.
            connection.exec_driver_sql(begin)
    # Only once begun: the mark outlives a failed BEGIN otherwise.
    connection.info['in_transaction'] = True


def _tune(dbapi_connection, connection_record):
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.execute('PRAGMA busy_timeout=%d' % BUSY_TIMEOUT_MS)
    cursor.close()


class Connections:
    """SQLAlchemy ``Connection`` objects kept open between transactions.

    Checking a connection out of the pool and back in, with the
    ``Connection`` built around it, cost two fifths of the CPU of a
    one-statement transaction.  A local file needs none of what a checkout
    does for a server (no ping, no recycle), so on a file database the
    transactions of db/core.py reuse idle ``Connection`` objects instead;
    each is used by one thread (or green thread) at a time.  A connection
    whose transaction failed goes back to the pool, as usual.
    """

    def __init__(self, engine: sa.engine.Engine):
        self._engine = engine
        self._idle: list = []
        self._reuse = (engine.dialect.name == 'sqlite'
                       and _in_a_file(engine.url))

    @contextlib.contextmanager
    def transaction(self):
        """A connection inside a transaction, committed if the block ends
        normally and rolled back if it raises."""
        with self._connection() as connection, connection.begin():
            yield connection

    @contextlib.contextmanager
    def reading(self):
        """A connection for reads; whatever it began is rolled back after."""
        with self._connection() as connection:
            yield connection
            if self._reuse:
                connection.rollback()

    @contextlib.contextmanager
    def _connection(self):
        if not self._reuse:
            with self._engine.connect() as connection:
                yield connection
            return
        try:
            connection = self._idle.pop()
        except IndexError:
            connection = self._engine.connect()
        try:
            yield connection
        except BaseException:
            connection.close()
            raise
        if connection.invalidated or len(self._idle) >= IDLE_CONNECTIONS:
            connection.close()
        else:
            self._idle.append(connection)

    def close(self) -> None:
        """Give every idle connection back to the pool."""
        while self._idle:
            self._idle.pop().close()
