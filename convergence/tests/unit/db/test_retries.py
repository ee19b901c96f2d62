"""Real lost connections and deadlocks: the call still succeeds.

The server kills the connection of a call (``KILL`` on MySQL,
``pg_terminate_backend`` on PostgreSQL) in the middle of its transaction or
in its COMMIT, or picks the call's transaction as a deadlock's victim; the
call must run again and answer as if nothing happened.  A COMMIT cut off
after the server committed must be recognised as the call's own write (see
db/retry.py).  SQLite has neither a connection to lose nor deadlocks.
"""

import threading
import time

import sqlalchemy as sa
import testscenarios

from convergence.tests.unit.db import base
from convergence.tests.unit.db.test_events import event
from db import models

load_tests = testscenarios.load_tests_apply_scenarios

_KILL = {'mysql': ('thread_id', 'KILL %d'),
         'postgresql': ('get_backend_pid',
                        'SELECT pg_terminate_backend(%d, 5000)')}


class Saboteur:
    """Kills the connection of one statement or COMMIT of ``database``."""

    def __init__(self, test, database, backend: str):
        self.backend = backend
        self.statements: list[str] = []
        self.kills = 0
        self._admin = sa.create_engine(database.url, poolclass=sa.pool.NullPool,
                                       isolation_level='AUTOCOMMIT')
        test.addCleanup(self._admin.dispose)
        self._engine = database.engine
        self._listeners = []
        test.addCleanup(self._remove)

    def before(self, prefix: str) -> None:
        """Kill the connection just before the first statement like ``prefix``."""
        def before_cursor_execute(conn, cursor, statement, *args):
            self.statements.append(statement)
            if statement.startswith(prefix) and not self.kills:
                self._kill(conn)
        self._listen('before_cursor_execute', before_cursor_execute)

    def in_commit(self, after_committing: bool) -> None:
        """Kill the connection in the first COMMIT, after it landed or not."""
        def commit(conn):
            if self.kills:
                return
            if after_committing:
                conn.connection.dbapi_connection.commit()
            self._kill(conn)
        self._listen('commit', commit)

    def _kill(self, conn) -> None:
        method, sql = _KILL[self.backend]
        server_id = getattr(conn.connection.dbapi_connection, method)()
        with self._admin.connect() as admin:
            admin.exec_driver_sql(sql % server_id)
        self.kills += 1

    def _listen(self, name, fn) -> None:
        sa.event.listen(self._engine, name, fn)
        self._listeners.append((name, fn))

    def _remove(self) -> None:
        for name, fn in self._listeners:
            sa.event.remove(self._engine, name, fn)


class TestLostConnections(base.DatabaseTestCase):

    scenarios = [s for s in base.backends.SCENARIOS if s[0] != 'sqlite']

    def setUp(self):
        super().setUp()
        self.stack = self.make_stack()
        self.row = self.make_resource(self.stack)
        self.victim = self.connect()
        self.saboteur = Saboteur(self, self.victim, self.backend.name)

    def lock(self) -> bool:
        return self.victim.resource_lock(
            dict(self.row), 'engine-1', self.stack['current_traversal'], {})

    def assert_locked_once(self) -> None:
        locked = self.db.resource_get(self.row['id'])
        self.assertEqual(('engine-1', 1),
                         (locked['engine_id'], locked['atomic_key']))

    def test_a_write_cut_off_mid_transaction_runs_again(self):
        self.saboteur.before('UPDATE resource')
        self.assertTrue(self.lock())
        self.assertEqual(1, self.saboteur.kills)
        self.assertEqual(2, sum(s.startswith('UPDATE resource')
                                for s in self.saboteur.statements))
        self.assert_locked_once()

    def test_a_read_cut_off_runs_again(self):
        self.saboteur.before('SELECT')
        row, stack = self.victim.resource_and_stack(self.row['id'])
        self.assertEqual(1, self.saboteur.kills)
        self.assertEqual((self.row, self.stack), (row, stack))

    def test_a_lock_whose_commit_was_lost_is_taken_on_the_retry(self):
        self.saboteur.in_commit(after_committing=False)
        self.assertTrue(self.lock())
        self.assertEqual(1, self.saboteur.kills)
        self.assert_locked_once()

    def test_a_lock_whose_commit_landed_unacknowledged_is_still_won(self):
        self.saboteur.in_commit(after_committing=True)
        self.assertTrue(self.lock())
        self.assertEqual(1, self.saboteur.kills)
        self.assert_locked_once()

    def test_a_lock_lost_to_another_is_not_taken_for_its_own(self):
        self.db.resource_cas(self.row['id'], {}, {'engine_id': 'engine-2'})
        self.saboteur.in_commit(after_committing=True)
        self.assertFalse(self.lock())

    def test_a_stack_swap_whose_commit_landed_unacknowledged_is_won(self):
        self.saboteur.in_commit(after_committing=True)
        new = base.new_id()
        self.assertTrue(self.victim.stack_cas(
            self.stack['id'], self.stack['current_traversal'],
            {'current_traversal': new}))
        self.assertEqual(1, self.saboteur.kills)
        self.assertEqual(new, self.db.stack_get(
            self.stack['id'])['current_traversal'])

    def test_a_completion_whose_commit_landed_unacknowledged_is_returned(self):
        traversal = base.new_id()
        self.db.sync_points_create('s', traversal, [('7', True, 2),
                                                    ('8', True, 2)])
        self.db.sync_points_report('s', traversal, 'a',
                                   [('7', True, 1), ('8', True, 1)])
        self.saboteur.in_commit(after_committing=True)
        self.assertEqual(
            {('7', True): {'a': 1, 'b': 2}, ('8', True): {'a': 1, 'b': 2}},
            self.victim.sync_points_report('s', traversal, 'b',
                                           [('7', True, 2), ('8', True, 2)]))
        self.assertEqual(1, self.saboteur.kills)

    def test_a_report_whose_commit_landed_unacknowledged_completes_nothing(self):
        traversal = base.new_id()
        self.db.sync_points_create('s', traversal, [('7', True, 2)])
        self.saboteur.in_commit(after_committing=True)
        self.assertIsNone(base.report_one(
            self.victim, 's', traversal, '7', True, 'a', 1))
        self.assertEqual({'a': 1, 'b': 2}, base.report_one(
            self.db, 's', traversal, '7', True, 'b', 2))

    def test_a_release_whose_commit_landed_unacknowledged_reports_once(self):
        traversal = self.stack['current_traversal']
        self.db.resource_lock(dict(self.row), 'engine-1', traversal, {})
        self.db.sync_points_create(self.stack['id'], traversal,
                                   [('7', True, 2)])
        base.report_one(self.db, self.stack['id'], traversal, '7', True,
                        'a', 1)
        self.saboteur.in_commit(after_committing=True)
        self.assertEqual(
            {('7', True): {'a': 1, 'r': 2}},
            self.victim.resource_release_reporting(
                self.row['id'], {'engine_id': 'engine-1', 'atomic_key': 1},
                {'engine_id': None, 'atomic_key': 2}, self.stack['id'],
                traversal, 'r', [('7', True, 2)]))
        self.assertEqual(1, self.saboteur.kills)
        released = self.db.resource_get(self.row['id'])
        self.assertEqual((None, 2),
                         (released['engine_id'], released['atomic_key']))

    def test_a_stamp_whose_commit_landed_unacknowledged_reports_once(self):
        traversal = self.stack['current_traversal']
        self.db.sync_points_create(self.stack['id'], traversal,
                                   [('7', True, 2)])
        base.report_one(self.db, self.stack['id'], traversal, '7', True,
                        'a', 1)
        self.saboteur.in_commit(after_committing=True)
        row = self.db.resource_get(self.row['id'])
        self.assertEqual(
            {('7', True): {'a': 1, 'r': 2}},
            self.victim.resource_stamp_reporting(
                row, traversal, {'engine_id': None,
                                 'atomic_key': row['atomic_key'] + 2},
                self.stack['id'], 'r', [('7', True, 2)]))
        self.assertEqual(1, self.saboteur.kills)
        stamped = self.db.resource_get(self.row['id'])
        self.assertEqual((None, row['atomic_key'] + 2),
                         (stamped['engine_id'], stamped['atomic_key']))

    def test_inserts_whose_commit_landed_unacknowledged_are_not_doubled(self):
        self.saboteur.in_commit(after_committing=True)
        ids = self.victim.resources_create([
            {'name': n, 'stack_id': self.stack['id'], 'type': 'T',
             'action': 'INIT', 'status': 'COMPLETE'} for n in ('x', 'y')])
        self.assertEqual(1, self.saboteur.kills)
        self.assertEqual(['x', 'y'],
                         [self.db.resource_get(i)['name'] for i in ids])
        self.assertEqual(['r', 'x', 'y'], sorted(
            r['name'] for r in self.db.resources_of_stack(self.stack['id'])))

    def test_events_whose_commit_landed_unacknowledged_are_not_doubled(self):
        self.saboteur.in_commit(after_committing=True)
        self.victim.events_add([event('s', 'a'), event('s', 'b')])
        self.assertEqual(1, self.saboteur.kills)
        self.assertEqual(2, len(self.db.events_list('s')))


class TestDeadlocks(base.DatabaseTestCase):

    scenarios = [s for s in base.backends.SCENARIOS if s[0] != 'sqlite']

    def test_a_report_chosen_as_a_deadlock_victim_runs_again(self):
        """A blocker holds join 2 and, once the report holds join 1 and waits
        for join 2, asks for join 1: a deadlock.  The blocker has written more
        rows, so MySQL picks the report as the victim; PostgreSQL aborts the
        transaction that has waited longest, also the report."""
        traversal = base.new_id()
        self.db.sync_points_create('s', traversal, [('1', True, 2),
                                                    ('2', True, 2)])
        victim = self.connect()
        count_downs = []
        sa.event.listen(victim.engine, 'before_cursor_execute',
                        lambda conn, cursor, statement, *args:
                        count_downs.append(statement)
                        if statement.startswith('UPDATE sync_point') else None)
        blocker = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.addCleanup(blocker.dispose)
        with blocker.connect() as connection:
            transaction = connection.begin()
            self._hold(connection, traversal, '2', weight=30)
            done = {}
            reporter = threading.Thread(target=lambda: done.update(
                victim.sync_points_report('s', traversal, 'a', [
                    ('1', True, 1), ('2', True, 1)])))
            reporter.start()
            self._wait_for(lambda: count_downs)
            time.sleep(0.3)     # the report now holds join 1, waits for 2
            self._hold(connection, traversal, '1')
            transaction.rollback()
        reporter.join(60)
        self.assertFalse(reporter.is_alive())
        self.assertEqual({}, done)
        self.assertEqual(2, len(count_downs))
        self.assertEqual({'a': 1, 'b': 2}, base.report_one(
            self.db, 's', traversal, '1', True, 'b', 2))

    def _hold(self, connection, traversal, entity, weight=0) -> None:
        """Lock a join's row; first write ``weight`` rows of another one."""
        if weight:
            connection.execute(models.SyncPointInput.__table__.insert(), [
                {'entity_id': 'x', 'traversal_id': traversal,
                 'is_update': True, 'sender': str(i), 'stack_id': 's'}
                for i in range(weight)])
        connection.execute(sa.text(
            'UPDATE sync_point SET pending = pending WHERE entity_id = :e '
            'AND traversal_id = :t'), {'e': entity, 't': traversal})

    def _wait_for(self, condition, timeout=30) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            self.assertLess(time.monotonic(), deadline, 'never happened')
            time.sleep(0.01)
