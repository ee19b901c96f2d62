"""Real concurrency: threads, each with its own connection pool, race one row.

Every compare-and-swap must have exactly one winner however the database
interleaves the racers; no racer may fail with a database error.
"""

import threading

import testscenarios

from convergence.tests.unit.db import base
from convergence.tests.unit.db.test_events import event

load_tests = testscenarios.load_tests_apply_scenarios

# Racers per race: enough to collide on two CPUs, few enough to stay quick.
RACERS = 8
# Seconds a race may take before the test calls it hung.
RACE_TIMEOUT = 60


class TestRaces(base.DatabaseTestCase):

    def race(self, attempt, racers: int = RACERS) -> list:
        """Run ``attempt(index, database)`` in ``racers`` threads at once.

        Returns the results in racer order; re-raises the first error.
        """
        databases = [self.connect() for _ in range(racers)]
        for database in databases:
            database.stack_get('warm-up')  # connect before the start line
        start = threading.Barrier(racers, timeout=RACE_TIMEOUT)
        results, errors = [None] * racers, []

        def run(index):
            try:
                start.wait()
                results[index] = attempt(index, databases[index])
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=run, args=(i,))
                   for i in range(racers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(RACE_TIMEOUT)
        self.assertFalse(any(t.is_alive() for t in threads), 'race hung')
        if errors:
            raise errors[0]
        return results

    def test_one_reporter_completes_a_join_with_every_report(self):
        traversal = base.new_id()
        self.db.sync_points_create('s', traversal, [('7', True, RACERS)])
        results = self.race(lambda i, db: base.report_one(
            db, 's', traversal, '7', True, 'sender-%d' % i, {'n': i}))
        completed = [r for r in results if r is not None]
        self.assertEqual(1, len(completed))
        self.assertEqual({'sender-%d' % i: {'n': i} for i in range(RACERS)},
                         completed[0])

    def test_senders_reporting_to_many_joins_at_once_complete_each_once(self):
        """Each racer reports to every join at once, listing them in its
        own order."""
        traversal = base.new_id()
        entities = [str(e) for e in range(4)]
        self.db.sync_points_create('s', traversal, [
            (e, True, RACERS) for e in entities])

        def attempt(index, db):
            order = entities[index % 4:] + entities[:index % 4]
            return db.sync_points_report(
                's', traversal, 'sender-%d' % index,
                [(e, True, index) for e in order])
        results = self.race(attempt)
        completions = [key for done in results for key in done]
        self.assertEqual(sorted((e, True) for e in entities),
                         sorted(completions))
        every = {'sender-%d' % i: i for i in range(RACERS)}
        for done in results:
            for inputs in done.values():
                self.assertEqual(every, inputs)

    def test_racing_duplicates_count_once(self):
        traversal = base.new_id()
        self.db.sync_points_create('s', traversal, [('7', True, 2)])
        results = self.race(lambda i, db: base.report_one(
            db, 's', traversal, '7', True, 'same', i))
        self.assertEqual([None] * RACERS, results)
        done = base.report_one(self.db, 's', traversal, '7', True, 'last', 0)
        self.assertEqual({'same', 'last'}, set(done))

    def test_one_engine_wins_a_row_lock(self):
        stack = self.make_stack()
        row = self.make_resource(stack)
        results = self.race(lambda i, db: db.resource_lock(
            dict(row), 'engine-%d' % i, stack['current_traversal'], {}))
        self.assertEqual(1, results.count(True))
        winner = 'engine-%d' % results.index(True)
        locked = self.db.resource_get(row['id'])
        self.assertEqual((winner, 1), (locked['engine_id'], locked['atomic_key']))

    def test_one_traversal_wins_a_stack(self):
        stack = self.make_stack()
        new = [base.new_id() for _ in range(RACERS)]
        results = self.race(lambda i, db: db.stack_cas(
            stack['id'], stack['current_traversal'],
            {'current_traversal': new[i]}))
        self.assertEqual(1, results.count(True))
        self.assertEqual(new[results.index(True)],
                         self.db.stack_get(stack['id'])['current_traversal'])

    def test_writers_that_read_first_survive_concurrent_writers(self):
        """Trimming reads, then deletes, while other engines log events."""
        def attempt(index, db):
            for _ in range(10):
                if index % 2:
                    db.events_trim('s', 3)
                else:
                    db.events_add([event('s')])
        self.race(attempt)
        self.db.events_trim('s', 3)
        self.assertEqual(3, len(self.db.events_list('s')))
