"""The ledger: every physical create and delete, outside the engine's database.

A SQLite file shared by every engine process of a deployment (and read by
the tests).  Each record is its own committed transaction, so whatever an
engine recorded before a SIGKILL is there afterwards.  A physical resource
is keyed by its identity, which the plugin derives from the resource row,
so a repeated create finds the one it made before and adopts it.

Only the standard library here: the engines import this module from the
plugin directory, outside any installed package.
"""

import contextlib
import os
import sqlite3
import time

# The environment variable naming the ledger file, set for the engines.
PATH_ENV = 'CONVERGENCE_RECORDED_LEDGER'
# Seconds a writer waits for another process's write to finish.
BUSY_TIMEOUT = 30

# What a create or delete call found and did.
CREATED, ADOPTED, RECREATED = 'created', 'adopted', 'recreated'
DELETED, ALREADY_DELETED, NOT_FOUND = 'deleted', 'already-deleted', 'not-found'

_SCHEMA = '''
CREATE TABLE IF NOT EXISTS physical (
    physical_id TEXT PRIMARY KEY,
    stack_id TEXT NOT NULL,
    stack_name TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    row_uuid TEXT NOT NULL,
    created_at REAL NOT NULL,
    deleted_at REAL,
    creates INTEGER NOT NULL,
    deletes INTEGER NOT NULL,
    lives INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS call (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    physical_id TEXT NOT NULL,
    stack_id TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    pid INTEGER NOT NULL
);
'''


class LedgerNotConfigured(RuntimeError):
    """The engine was started without the ledger's environment variable."""


def path_from_environment() -> str:
    path = os.environ.get(PATH_ENV)
    if not path:
        raise LedgerNotConfigured(
            'set %s to the ledger file of the recorded resources' % PATH_ENV)
    return path


class Ledger:
    """The ledger file at ``path`` (created with its tables if missing)."""

    def __init__(self, path: str):
        self.path = path
        with contextlib.closing(self._connect()) as connection:
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT,
                                     isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute('PRAGMA journal_mode=WAL')
        return connection

    def _write(self, action: str, physical_id: str, stack_id: str,
               resource_name: str, decide) -> str:
        """In one transaction: ``decide(connection, now, row)`` updates the
        physical row and returns the outcome, which the call log keeps."""
        connection = self._connect()
        try:
            connection.execute('BEGIN IMMEDIATE')
            row = connection.execute(
                'SELECT * FROM physical WHERE physical_id = ?',
                (physical_id,)).fetchone()
            now = time.time()
            outcome = decide(connection, now, row)
            connection.execute(
                'INSERT INTO call (at, action, outcome, physical_id, '
                'stack_id, resource_name, pid) VALUES (?, ?, ?, ?, ?, ?, ?)',
                (now, action, outcome, physical_id, stack_id, resource_name,
                 os.getpid()))
            connection.execute('COMMIT')
            return outcome
        finally:
            connection.close()

    # -- what the plugin records -----------------------------------------

    def record_create(self, physical_id: str, stack_id: str, stack_name: str,
                      resource_name: str, row_uuid: str) -> str:
        """A create of ``physical_id``: CREATED, ADOPTED (it exists already:
        a repeated create) or RECREATED (it had been deleted)."""
        def decide(connection, now, row):
            if row is None:
                connection.execute(
                    'INSERT INTO physical VALUES (?, ?, ?, ?, ?, ?, NULL, 1, '
                    '0, 1)', (physical_id, stack_id, stack_name,
                              resource_name, row_uuid, now))
                return CREATED
            if row['deleted_at'] is None:
                connection.execute(
                    'UPDATE physical SET creates = creates + 1 '
                    'WHERE physical_id = ?', (physical_id,))
                return ADOPTED
            connection.execute(
                'UPDATE physical SET creates = creates + 1, lives = lives + 1,'
                ' deleted_at = NULL WHERE physical_id = ?', (physical_id,))
            return RECREATED
        return self._write('create', physical_id, stack_id, resource_name,
                           decide)

    def record_delete(self, physical_id: str, stack_id: str,
                      resource_name: str) -> str:
        """A delete of ``physical_id``: DELETED, ALREADY_DELETED or
        NOT_FOUND (it was never created)."""
        def decide(connection, now, row):
            if row is None:
                return NOT_FOUND
            if row['deleted_at'] is not None:
                connection.execute(
                    'UPDATE physical SET deletes = deletes + 1 '
                    'WHERE physical_id = ?', (physical_id,))
                return ALREADY_DELETED
            connection.execute(
                'UPDATE physical SET deletes = deletes + 1, deleted_at = ? '
                'WHERE physical_id = ?', (now, physical_id))
            return DELETED
        return self._write('delete', physical_id, stack_id, resource_name,
                           decide)

    # -- what the tests ask ----------------------------------------------

    def physicals(self, stack_id: str) -> list[dict]:
        """Every physical resource ever created for the stack."""
        with contextlib.closing(self._connect()) as connection:
            return [dict(r) for r in connection.execute(
                'SELECT * FROM physical WHERE stack_id = ? '
                'ORDER BY created_at', (stack_id,))]

    def created_per_name(self, stack_id: str) -> dict[str, list[str]]:
        """{resource name: physical ids created for it, oldest first}."""
        created = {}
        for physical in self.physicals(stack_id):
            created.setdefault(physical['resource_name'], []).append(
                physical['physical_id'])
        return created

    def alive(self, stack_id: str) -> dict[str, list[str]]:
        """{resource name: physical ids not deleted}."""
        alive = {}
        for physical in self.physicals(stack_id):
            if physical['deleted_at'] is None:
                alive.setdefault(physical['resource_name'], []).append(
                    physical['physical_id'])
        return alive

    def calls(self, stack_id: str, since: float = 0) -> list[dict]:
        """The create and delete calls for the stack after ``since``."""
        with contextlib.closing(self._connect()) as connection:
            return [dict(r) for r in connection.execute(
                'SELECT * FROM call WHERE stack_id = ? AND at > ? '
                'ORDER BY seq', (stack_id, since))]
