"""FairQueue: first in, first out within a flow, flows in turn."""

import testtools

from convergence.rpc import fairness


def _drain(queue: fairness.FairQueue) -> list:
    taken = []
    while queue:
        taken.append(queue.get())
    return taken


class FairQueueTest(testtools.TestCase):

    def test_one_flow_is_first_in_first_out(self):
        queue = fairness.FairQueue()
        for item in range(5):
            queue.put('a', item)
        self.assertEqual(5, len(queue))
        self.assertEqual([0, 1, 2, 3, 4], _drain(queue))

    def test_flows_take_turns_so_a_late_small_flow_is_not_last(self):
        queue = fairness.FairQueue()
        for item in range(4):
            queue.put('big', 'b%d' % item)
        queue.put('small', 's0')
        queue.put('small', 's1')
        self.assertEqual(['b0', 's0', 'b1', 's1', 'b2', 'b3'], _drain(queue))

    def test_a_flow_that_ran_dry_rejoins_at_the_back(self):
        queue = fairness.FairQueue()
        queue.put('a', 'a0')
        queue.put('b', 'b0')
        queue.put('b', 'b1')
        self.assertEqual('a0', queue.get())
        queue.put('a', 'a1')
        self.assertEqual(['b0', 'a1', 'b1'], _drain(queue))

    def test_first_goes_ahead_of_its_own_flow_only(self):
        queue = fairness.FairQueue()
        queue.put('a', 'a0')
        queue.put('b', 'b0')
        queue.put('b', 'b-back', first=True)
        self.assertEqual(['a0', 'b-back', 'b0'], _drain(queue))

    def test_items_lists_without_taking(self):
        queue = fairness.FairQueue()
        queue.put('a', 1)
        queue.put('b', 2)
        queue.put('a', 3)
        self.assertEqual([('a', 1), ('a', 3), ('b', 2)], list(queue.items()))
        self.assertEqual(3, len(queue))

    def test_get_from_empty_queue_raises(self):
        self.assertRaises(IndexError, fairness.FairQueue().get)


class FlowOfTest(testtools.TestCase):

    def test_check_resource_flows_by_traversal(self):
        message = {'method': 'check_resource', 'namespace': None,
                   'version': '1.0',
                   'args': {'resource_id': 3, 'traversal_id': 't-1',
                            'data': {}, 'is_update': True}}
        self.assertEqual('t-1', fairness.flow_of(message))

    def test_messages_without_a_traversal_share_one_flow(self):
        self.assertIsNone(fairness.flow_of(
            {'method': 'list_stacks', 'args': {'limit': 5}}))
        self.assertIsNone(fairness.flow_of({'method': 'x'}))
        self.assertIsNone(fairness.flow_of('not a dict'))
