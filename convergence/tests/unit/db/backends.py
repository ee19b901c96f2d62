"""The database servers the contract suite runs on, and its databases there.

Each backend makes uniquely named databases, runs ``db_sync`` on them and
drops them in cleanup.  A server that cannot be reached skips its tests with
the reason, unless ``CONVERGENCE_TEST_REQUIRE_BACKENDS`` is set (CI), where
an unreachable server is a failure.  Admin URLs can be overridden with
``CONVERGENCE_TEST_MYSQL_URL`` and ``CONVERGENCE_TEST_POSTGRESQL_URL``.
"""

import functools
import os
import shutil
import tempfile
import uuid

import fixtures
import sqlalchemy as sa

from db import api
from db import migration
from db import models

MYSQL_ADMIN_URL = os.environ.get('CONVERGENCE_TEST_MYSQL_URL',
                                 'mysql+pymysql://root@127.0.0.1/')
POSTGRESQL_ADMIN_URL = os.environ.get(
    'CONVERGENCE_TEST_POSTGRESQL_URL',
    'postgresql+psycopg2://postgres@127.0.0.1/postgres')
REQUIRE_ALL = bool(os.environ.get('CONVERGENCE_TEST_REQUIRE_BACKENDS'))
# Seconds to wait for a server before calling it unreachable.
CONNECT_TIMEOUT = 3


class BackendUnavailable(Exception):
    """The server of a backend cannot be reached (a CI failure)."""


class SQLite:
    """A database file in a private temporary directory."""

    name = 'sqlite'

    def unavailable(self) -> str | None:
        return None

    def create(self) -> str:
        directory = tempfile.mkdtemp(prefix='convergence-db-')
        return 'sqlite:///' + os.path.join(directory, 'test.sqlite')

    def drop(self, url: str) -> None:
        shutil.rmtree(os.path.dirname(sa.engine.make_url(url).database))


class Server:
    """A database server on which the tests may create and drop databases."""

    def __init__(self, name: str, admin_url: str, create_sql: str,
                 drop_sql: str):
        self.name = name
        self.admin_url = sa.engine.make_url(admin_url)
        self._create_sql = create_sql
        self._drop_sql = drop_sql

    def unavailable(self) -> str | None:
        return _probe(self.name, self.admin_url)

    def create(self) -> str:
        database = 'convergence_test_' + uuid.uuid4().hex[:12]
        self._admin(self._create_sql % database)
        return self.admin_url.set(database=database).render_as_string(
            hide_password=False)

    def drop(self, url: str) -> None:
        self._admin(self._drop_sql % sa.engine.make_url(url).database)

    def _admin(self, sql: str) -> None:
        engine = sa.create_engine(self.admin_url, isolation_level='AUTOCOMMIT',
                                  poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(sql)
        finally:
            engine.dispose()


@functools.cache
def _probe(name: str, admin_url: sa.engine.URL) -> str | None:
    """Why the server at ``admin_url`` cannot be used, or None; once a run."""
    engine = sa.create_engine(admin_url, poolclass=sa.pool.NullPool,
                              connect_args={'connect_timeout': CONNECT_TIMEOUT})
    try:
        with engine.connect():
            return None
    except sa.exc.DBAPIError as error:
        return '%s unreachable at %s: %s' % (
            name, admin_url.render_as_string(), error.orig)
    finally:
        engine.dispose()


SQLITE = SQLite()
MYSQL = Server('mysql', MYSQL_ADMIN_URL,
               'CREATE DATABASE `%s` CHARACTER SET utf8mb4', 'DROP DATABASE `%s`')
POSTGRESQL = Server('postgresql', POSTGRESQL_ADMIN_URL,
                    'CREATE DATABASE "%s"', 'DROP DATABASE "%s" WITH (FORCE)')
SCENARIOS = [(b.name, {'backend': b}) for b in (SQLITE, MYSQL, POSTGRESQL)]


class FreshDatabase(fixtures.Fixture):
    """A new, uniquely named, empty database on ``backend``; dropped on cleanup."""

    def __init__(self, backend):
        super().__init__()
        self.backend = backend

    def _setUp(self) -> None:
        self.url = self.backend.create()
        self.addCleanup(self.backend.drop, self.url)


class SyncedDatabase:
    """A uniquely named database at the newest revision, shared by a class.

    Creating a database costs up to half a second on PostgreSQL, so the tests
    of one class share one per backend and :meth:`wipe` it between tests.
    """

    def __init__(self, backend):
        self.backend = backend
        self.url = backend.create()
        try:
            migration.db_sync(self.url)
            self.db = api.Database(self.url)
        except Exception:
            backend.drop(self.url)
            raise

    def wipe(self) -> api.Database:
        """Delete every row; returns the shared ``Database``."""
        with self.db.writer() as session:
            for table in reversed(models.Base.metadata.sorted_tables):
                session.execute(table.delete())
        return self.db

    def drop(self) -> None:
        self.db.dispose()
        self.backend.drop(self.url)
