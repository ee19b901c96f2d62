"""The batches' record in a nested row's ``awaiting``: what it says."""

import testtools

from convergence.nested import batches


def awaiting(index: int, plan=((2, 2), (4, 2), (5, 1)), pause=5,
             not_before=None) -> dict:
    return {'stack_id': 'child', 'traversal_id': 't', 'is_update': True,
            'action': 'CREATE', 'final': {},
            'batches': {'plan': [list(b) for b in plan], 'index': index,
                        'pause': pause, 'timeout': 60,
                        'not_before': not_before}}


class TestRecord(testtools.TestCase):

    def test_no_batches_is_one_operation(self):
        plain = {'stack_id': 'child', 'action': 'UPDATE'}
        self.assertIsNone(batches.record_of(plain))
        self.assertFalse(batches.remaining(plain))
        self.assertFalse(batches.pausing(plain))
        self.assertEqual(0.0, batches.pause_left(plain, 100.0))

    def test_batches_remain_until_the_last(self):
        self.assertTrue(batches.remaining(awaiting(0)))
        self.assertTrue(batches.remaining(awaiting(1)))
        self.assertFalse(batches.remaining(awaiting(2)))

    def test_a_pause_is_due_once_per_batch_and_only_when_asked(self):
        self.assertTrue(batches.pause_due(awaiting(0)))
        self.assertFalse(batches.pause_due(awaiting(0, not_before=10.0)))
        self.assertFalse(batches.pause_due(awaiting(0, pause=0)))

    def test_the_pause_left_counts_down_to_zero(self):
        paused = awaiting(0, not_before=110.0)
        self.assertTrue(batches.pausing(paused))
        self.assertEqual(10.0, batches.pause_left(paused, 100.0))
        self.assertEqual(0.0, batches.pause_left(paused, 120.0))

    def test_an_interruption_names_the_batches_done(self):
        self.assertEqual('CREATE interrupted after batch 2 of 3',
                         batches.interrupted(awaiting(1)))
