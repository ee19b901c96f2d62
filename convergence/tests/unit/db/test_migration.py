"""db_sync builds exactly the schema of db/models.py on every backend."""

import sqlalchemy as sa
import testscenarios
from alembic import autogenerate
from alembic import migration as alembic_migration
from sqlalchemy.dialects import mysql

from convergence.tests.unit.db import backends
from convergence.tests.unit.db import base
from db import migration
from db import models

load_tests = testscenarios.load_tests_apply_scenarios

HEAD = '0009'


class _UnsyncedTestCase(base.BackendTestCase):
    """Given a new database without tables: the test syncs and inspects it."""

    def setUp(self):
        super().setUp()
        self.fresh = self.useFixture(backends.FreshDatabase(self.backend))

    def synced_connection(self) -> sa.engine.Connection:
        migration.db_sync(self.fresh.url)
        engine = sa.create_engine(self.fresh.url)
        self.addCleanup(engine.dispose)
        connection = engine.connect()
        self.addCleanup(connection.close)
        return connection


class TestDbSync(_UnsyncedTestCase):

    def test_version_is_none_before_sync(self):
        self.assertIsNone(migration.db_version(self.fresh.url))

    def test_sync_reaches_head_and_is_idempotent(self):
        migration.db_sync(self.fresh.url, revision=HEAD)
        migration.db_sync(self.fresh.url)
        self.assertEqual(HEAD, migration.db_version(self.fresh.url))

    def test_schema_matches_models(self):
        context = alembic_migration.MigrationContext.configure(
            self.synced_connection())
        diff = autogenerate.compare_metadata(context, models.Base.metadata)
        self.assertEqual([], diff)


class TestMySQLColumnTypes(_UnsyncedTestCase):
    """What compare_metadata does not check: DATETIME precision, collation."""

    scenarios = [s for s in backends.SCENARIOS if s[0] == 'mysql']

    def test_types_keep_microseconds_long_json_and_exact_strings(self):
        inspector = sa.inspect(self.synced_connection())
        for table in models.Base.metadata.sorted_tables:
            reflected = {c['name']: c['type']
                         for c in inspector.get_columns(table.name)}
            for column in table.columns:
                self._assert_type(column, reflected[column.name])
            options = inspector.get_table_options(table.name)
            self.assertEqual('utf8mb4_bin', options['mysql_collate'])

    def _assert_type(self, column, reflected):
        where = '%s.%s' % (column.table.name, column.name)
        if isinstance(column.type, sa.DateTime):
            self.assertIsInstance(reflected, mysql.DATETIME, where)
            self.assertEqual(6, reflected.fsp, where)
        if isinstance(column.type, models.Json):
            self.assertIsInstance(reflected, mysql.LONGTEXT, where)
