"""The row lock: acquire or park, release and re-send what was parked."""

from convergence import resource as rsrc_ops
from convergence.tests.unit import twins


class _LockAlwaysLoses:
    """The database, but every lock swap loses (the row keeps changing)."""

    def __init__(self, db):
        self._db = db
        self.lock_attempts = 0

    def __getattr__(self, name):
        return getattr(self._db, name)

    def resource_lock(self, *args):
        self.lock_attempts += 1
        return False


class TestRowLock(twins.NodeTestCase):

    def setUp(self):
        super().setUp()
        self.create({'A': {}})
        self.resource_id, self.traversal_id, _, _ = self.message_of('A')
        self.lock = rsrc_ops.RowLock(self.rt)

    def _acquire(self, row, values=None):
        return self.lock.acquire(row, self.traversal_id, True, {'x': 1},
                                 values or {})

    def _lock_as(self, engine_id):
        row = self.row('A')
        self.assertTrue(self.db.resource_cas(
            row['id'], {'engine_id': row['engine_id']},
            {'engine_id': engine_id, 'atomic_key': row['atomic_key'] + 1}))

    def test_acquire_writes_the_values_with_the_lock(self):
        row = self.row('A')
        key = row['atomic_key']
        self.assertEqual(rsrc_ops.ACQUIRED,
                         self._acquire(row, {'status_reason': 'mine'}))
        stored = self.row('A')
        self.assertEqual((self.rt.engine_id, key + 1, 'mine'),
                         (stored['engine_id'], stored['atomic_key'],
                          stored['status_reason']))
        self.assertEqual(stored['atomic_key'], row['atomic_key'])

    def test_a_row_held_by_another_engine_parks_the_trigger(self):
        self._lock_as('engine-old')
        self.assertEqual(rsrc_ops.DEFERRED, self._acquire(self.row('A')))
        self.assertEqual({'traversal_id': self.traversal_id,
                          'is_update': True, 'data': {'x': 1}},
                         self.row('A')['pending_trigger'])

    def test_a_superseded_traversal_gets_no_lock(self):
        row = self.row('A')
        self.update({'A': {'size': 1}})
        self._lock_as('engine-old')
        self.assertEqual(rsrc_ops.STALE, self._acquire(row))
        self.assertIsNone(self.row('A')['pending_trigger'])

    def test_after_lock_attempts_the_trigger_goes_round_again(self):
        losing = _LockAlwaysLoses(self.db)
        self.rt.db = losing
        self.sc.messenger.queue.clear()
        self.assertEqual(rsrc_ops.DEFERRED, self._acquire(self.row('A')))
        self.assertEqual(rsrc_ops.LOCK_ATTEMPTS, losing.lock_attempts)
        self.assertEqual([(self.resource_id, self.traversal_id, {'x': 1},
                           True)], list(self.sc.messenger.queue))

    def test_release_unlocks_with_the_values(self):
        row = self.row('A')
        self._acquire(row)
        self.assertTrue(self.lock.release(row, {'status_reason': 'done'}))
        stored = self.row('A')
        self.assertEqual((None, 'done'), (stored['engine_id'],
                                          stored['status_reason']))

    def test_release_re_sends_a_trigger_parked_meanwhile(self):
        row = self.row('A')
        self._acquire(row)
        parked = {'traversal_id': 'later', 'is_update': False, 'data': {}}
        self.assertTrue(self.db.resource_cas(
            row['id'], {'engine_id': self.rt.engine_id},
            {'pending_trigger': parked}))
        self.sc.messenger.queue.clear()
        self.assertTrue(self.lock.release(row, {}))
        self.assertIsNone(self.row('A')['pending_trigger'])
        self.assertEqual([(row['id'], 'later', {}, False)],
                         list(self.sc.messenger.queue))

    def test_release_of_a_lock_taken_away_is_refused(self):
        row = self.row('A')
        self._acquire(row)
        self._lock_as('engine-2')
        self.assertFalse(self.lock.release(row, {'status_reason': 'late'}))
        self.assertEqual('engine-2', self.row('A')['engine_id'])

    def test_record_writes_mid_action_and_keeps_the_lock(self):
        row = self.row('A')
        self._acquire(row)
        key = self.row('A')['atomic_key']
        self.assertTrue(self.lock.record(row, {'physical_resource_id': 'p1'}))
        stored = self.row('A')
        self.assertEqual(('p1', self.rt.engine_id, key), (
            stored['physical_resource_id'], stored['engine_id'],
            stored['atomic_key']))
        # the release that ends the action still matches
        self.assertTrue(self.lock.release(row, {'status_reason': 'done'}))
        self.assertEqual('p1', self.row('A')['physical_resource_id'])

    def test_record_on_a_row_taken_away_writes_nothing(self):
        row = self.row('A')
        self._acquire(row)
        self._lock_as('engine-2')
        self.assertFalse(self.lock.record(row, {'physical_resource_id': 'p'}))
        self.assertNotEqual('p', self.row('A')['physical_resource_id'])
