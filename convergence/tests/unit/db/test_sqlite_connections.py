"""The SQLite file database's connections, kept open between transactions."""

import os
import shutil
import tempfile

import sqlalchemy as sa
import testtools
from oslo_db import exception as db_exc

from convergence.tests.unit.db import base
from db import api
from db import migration
from db import sqlite


class TestConnections(testtools.TestCase):

    def setUp(self):
        super().setUp()
        directory = tempfile.mkdtemp(prefix='convergence-test-')
        self.addCleanup(shutil.rmtree, directory)
        self.url = 'sqlite:///' + os.path.join(directory, 'db.sqlite')
        migration.db_sync(self.url)
        self.db = api.Database(self.url)
        self.addCleanup(self.db.dispose)

    def test_transactions_reuse_one_connection(self):
        checkouts = []
        sa.event.listen(self.db.engine.pool, 'checkout',
                        lambda *args: checkouts.append(1))
        for _ in range(5):
            self.db.raw_template_create('s', {'resources': {}}, None, None)
            self.db.stack_get('s')
        self.assertLessEqual(len(checkouts), 1)

    def test_a_failed_transaction_leaves_nothing_behind(self):
        self.db.sync_points_create('s', 't', [('7', True, 1)])
        self.assertRaises(db_exc.DBDuplicateEntry, self.db.sync_points_create,
                          's', 't', [('8', True, 1), ('7', True, 1)])
        # The failed insert of '8' was rolled back, and the next
        # transactions (on whichever connection) work.
        self.assertIsNone(base.report_one(self.db, 's', 't', '8', True,
                                          'a', 1))
        self.assertEqual({'a': 1}, base.report_one(
            self.db, 's', 't', '7', True, 'a', 1))

    def test_a_read_ends_its_transaction(self):
        """A reused connection must not keep an old snapshot."""
        self.db.stack_get('s')
        other = api.Database(self.url)
        self.addCleanup(other.dispose)
        template = other.raw_template_create('s', {'resources': {}}, None,
                                             None)
        self.assertIsNotNone(self.db.raw_template_get(template))

    def test_a_read_opens_no_transaction_and_a_write_holds_the_lock(self):
        """A reader's statement is its own read transaction: no BEGIN, so
        the driver is never inside a transaction between statements; a
        writer's transaction holds the write lock from its BEGIN on."""
        with self.db.connections.reading() as connection:
            connection.execute(sa.text('SELECT 1'))
            driver = connection.connection.driver_connection
            self.assertFalse(driver.in_transaction)
        with self.db._write() as connection:
            self.assertTrue(
                connection.connection.driver_connection.in_transaction)
            # BEGIN IMMEDIATE: another writer cannot even start.
            other_engine = sa.create_engine(
                self.url, connect_args={'timeout': 0.05})
            self.addCleanup(other_engine.dispose)
            with other_engine.connect() as blocked:
                self.assertRaises(sa.exc.OperationalError,
                                  blocked.exec_driver_sql, 'BEGIN IMMEDIATE')

    def test_closing_gives_idle_connections_back_to_the_pool(self):
        self.db.stack_get('s')
        pool = self.db.engine.pool
        self.assertEqual(1, pool.checkedout())
        self.db.connections.close()
        self.assertEqual(0, pool.checkedout())

    def test_memory_databases_are_not_reused(self):
        engine = sa.create_engine('sqlite://')
        self.addCleanup(engine.dispose)
        checkouts = []
        sa.event.listen(engine.pool, 'checkout',
                        lambda *args: checkouts.append(1))
        connections = sqlite.Connections(engine)
        for _ in range(2):
            with connections.transaction() as connection:
                connection.execute(sa.text('SELECT 1'))
        self.assertEqual(2, len(checkouts))
