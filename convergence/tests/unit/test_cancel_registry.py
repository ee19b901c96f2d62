import time

import testtools

from convergence import runtime


class TestCancelRegistry(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.cancels = runtime.CancelRegistry()

    def test_cancel_stops_older_traversals_and_spares_the_new_one(self):
        old = self.cancels.register('s', 'old', time.monotonic())
        new = self.cancels.register('s', 'new', time.monotonic())
        other = self.cancels.register('t', 'old', time.monotonic())
        self.assertEqual(1, self.cancels.cancel('s', spare_traversal='new'))
        self.assertEqual((True, False, False),
                         (old.is_set(), new.is_set(), other.is_set()))

    def test_a_node_that_locked_before_the_cancel_is_stopped_when_it_registers(self):
        began = time.monotonic()
        self.cancels.cancel('s', spare_traversal='new')
        self.assertTrue(self.cancels.register('s', 'old', began).is_set())
        self.assertFalse(self.cancels.register('s', 'new', began).is_set())

    def test_a_node_that_began_after_the_cancel_runs(self):
        self.cancels.cancel('s', spare_traversal='new')
        later = time.monotonic() + 0.001
        self.assertFalse(self.cancels.register('s', 'old', later).is_set())

    def test_unregistered_events_are_not_cancelled(self):
        event = self.cancels.register('s', 'old', time.monotonic())
        self.cancels.unregister('s', event)
        self.assertEqual(0, self.cancels.cancel('s'))
        self.assertFalse(event.is_set())
