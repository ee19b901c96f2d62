"""What every concern's queries share: the engine, its transactions, retries.

All concurrency control is optimistic: writes that race are compare-and-swap
``UPDATE ... WHERE <expected values>`` whose row count says who won.  No
transaction is held across an RPC or a resource action, and there is no
global lock.  Rows are returned as plain dicts so callers never hold a
session.

Every public method of a store runs again after a deadlock or a lost
connection (db/retry.py); a method that writes says how it recognises its
own earlier write when a lost COMMIT leaves unknown whether that write
happened.  The calls every node makes run prebuilt Core statements
(db/statements.py): building and compiling a statement costs more CPU than
SQLite takes to run it.
"""

import contextlib
import datetime

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade

from db import models
from db import retry
from db import sqlite


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class _Context:
    """enginefacade needs an object to hang the transaction on."""


class Store:
    """One database, reached through an oslo.db enginefacade.

    The base of every concern's queries (db/templates.py, db/stacks.py, ...);
    db.api.Database puts them together on one engine.
    """

    def __init__(self, url: str, **engine_options):
        self.url = url
        self._engine = None
        self._connections = None
        self._facade = enginefacade.transaction_context()
        options = {'connection': url, 'sqlite_fk': False}
        if url.startswith('sqlite'):
            options.update(sqlite.ENGINE_OPTIONS)
            self._facade.append_on_engine_create(sqlite.prepare)
        options.update(engine_options)
        self._facade.configure(**options)

    @property
    def engine(self) -> sa.engine.Engine:
        if self._engine is None:
            self._engine = self._facade.writer.get_engine()
        return self._engine

    @property
    def connections(self) -> sqlite.Connections:
        if self._connections is None:
            self._connections = sqlite.Connections(self.engine)
        return self._connections

    @contextlib.contextmanager
    def writer(self):
        """A write transaction (on SQLite it holds the write lock throughout)."""
        with sqlite.writing(), retry.watching_commit() as watch:
            with self._facade.writer.using(_Context()) as session:
                yield session
                watch.committing()

    def reader(self):
        return self._facade.reader.using(_Context())

    def create_schema(self) -> None:
        """Create every table (tests and the embedded default; else alembic)."""
        models.Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        if self._connections is not None:
            self._connections.close()
        self.engine.dispose()

    # The Core methods take their connections from the enginefacade's
    # engine directly: its transaction scopes (which nest, per context)
    # cost a fifth of the CPU of a one-statement transaction, and these
    # transactions never nest.

    @contextlib.contextmanager
    def _write(self):
        """As writer(), on a Core connection rather than a Session."""
        with sqlite.writing(), retry.watching_commit() as watch:
            with self.connections.transaction() as connection:
                yield connection
                watch.committing()

    def _read(self):
        """As reader(), on a Core connection rather than a Session."""
        return self.connections.reading()

    def _delete(self, table: sa.Table, *where) -> None:
        """Delete the rows of ``table`` that match every one of ``where``;
        repeating it is harmless (the rows are gone either way)."""
        with self._write() as connection:
            connection.execute(table.delete().where(*where))

    def _insert_once(self, table: sa.Table, rows) -> None:
        """Insert ``rows``; each has a unique key the caller chose before
        the first attempt, so a duplicate after a lost COMMIT means that
        attempt inserted them."""
        try:
            with self._write() as connection:
                connection.execute(table.insert(), rows)
        except db_exc.DBDuplicateEntry:
            if not retry.commit_unknown():
                raise


def holds(connection, table: sa.Table, row_id, values: dict) -> bool:
    """Whether row ``row_id`` of ``table`` has every one of ``values``."""
    if not values:
        return False
    row = connection.execute(sa.select(*[table.c[name] for name in values]).where(
        table.c.id == row_id)).first()
    return row is not None and tuple(row) == tuple(values.values())


def uniform(rows: list[dict]) -> list[dict]:
    """Rows with the same keys (a missing one is NULL), as executemany needs."""
    keys = set().union(*rows)
    if all(len(row) == len(keys) for row in rows):
        return rows
    return [{key: row.get(key) for key in keys} for row in rows]


def one_of(column, wanted):
    """``column`` equals ``wanted`` or, for a list, one of its values; None
    among them matches NULL (``{'owner_id': None}``: the stacks no stack
    owns)."""
    values = wanted if isinstance(wanted, (list, tuple, set)) else [wanted]
    present = [v for v in values if v is not None]
    condition = column.in_(present)
    if len(present) < len(values):
        condition = sa.or_(column.is_(None), condition)
    return condition
