"""NodeDispatcher on real threads: slots, stacks in turn, waits, idling."""

import threading
import time

import testtools

from convergence import runtime
from convergence.worker import dispatch

# Seconds a test waits for a thread to reach a point; only a hang uses it up.
PATIENCE = 10


class Gate:
    """A node body that records its start and blocks until opened."""

    def __init__(self, log: list, name: str):
        self.log = log
        self.name = name
        self.started = threading.Event()
        self.opened = threading.Event()

    def __call__(self):
        self.log.append(self.name)
        self.started.set()
        if not self.opened.wait(PATIENCE):
            raise AssertionError('%s was never opened' % self.name)


class NodeDispatcherTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = []

    def dispatcher(self, limit: int) -> dispatch.NodeDispatcher:
        nodes = dispatch.NodeDispatcher(runtime._spawn_thread, limit)
        self.addCleanup(nodes.wait_idle, PATIENCE)
        return nodes

    def gate(self, name: str) -> Gate:
        gate = Gate(self.log, name)
        self.addCleanup(gate.opened.set)
        return gate

    def test_a_limit_below_one_is_refused(self):
        self.assertRaises(ValueError, dispatch.NodeDispatcher,
                          runtime._spawn_thread, 0)

    def test_no_more_than_limit_nodes_run_at_once(self):
        nodes = self.dispatcher(2)
        gates = [self.gate('n%d' % i) for i in range(4)]
        for gate in gates:
            nodes.submit('flow', gate)
        self.assertTrue(gates[1].started.wait(PATIENCE))
        self.assertEqual({'running': 2, 'queued': 2, 'in_flight': 4},
                         nodes.counts())
        self.assertFalse(gates[2].started.is_set())
        gates[0].opened.set()
        self.assertTrue(gates[2].started.wait(PATIENCE))
        self.assertFalse(gates[3].started.is_set())
        for gate in gates:
            gate.opened.set()
        self.assertTrue(nodes.wait_idle(PATIENCE))
        self.assertEqual({'running': 0, 'queued': 0, 'in_flight': 0},
                         nodes.counts())

    def test_a_freed_slot_goes_to_the_next_stack_in_turn(self):
        nodes = self.dispatcher(1)
        first = self.gate('big0')
        nodes.submit('big', first)
        self.assertTrue(first.started.wait(PATIENCE))
        for i in range(1, 4):
            nodes.submit('big', self.log.append, 'big%d' % i)
        nodes.submit('small', self.log.append, 'small')
        first.opened.set()
        self.assertTrue(nodes.wait_idle(PATIENCE))
        self.assertEqual(['big0', 'big1', 'small', 'big2', 'big3'], self.log)

    def test_a_waiting_node_gives_its_slot_up_and_takes_one_back(self):
        nodes = self.dispatcher(1)
        resumed = threading.Event()
        waited = threading.Event()

        def waits():
            with nodes.stepped_aside():
                waited.set()
                if not resumed.wait(PATIENCE):
                    raise AssertionError('never resumed')
            self.log.append('waiter done')
        nodes.submit('a', waits)
        self.assertTrue(waited.wait(PATIENCE))
        other = self.gate('other')
        nodes.submit('b', other)
        self.assertTrue(other.started.wait(PATIENCE))
        resumed.set()
        # The waiter is back from its wait but the only slot is taken.
        time.sleep(0.05)
        self.assertEqual(['other'], self.log)
        other.opened.set()
        self.assertTrue(nodes.wait_idle(PATIENCE))
        self.assertEqual(['other', 'waiter done'], self.log)

    def test_clock_and_sleep_step_aside_only_on_a_node(self):
        nodes = self.dispatcher(1)
        seen = []

        class Clock:
            def __init__(self, deadline, cancelled):
                self.deadline = deadline

            def now(self):
                return 42.0

            def wait(self, seconds):
                seen.append(('wait', seconds, nodes.counts()['running']))

        clock = nodes.clock_factory(Clock)(7.0, threading.Event())
        sleep = nodes.sleep(
            lambda s: seen.append(('sleep', s, nodes.counts()['running'])))
        clock.wait(1)           # off a node: nothing to give up
        nodes.submit('a', lambda: (clock.wait(2), sleep(3)))
        self.assertTrue(nodes.wait_idle(PATIENCE))
        self.assertEqual([('wait', 1, 0), ('wait', 2, 0), ('sleep', 3, 0)],
                         seen)
        self.assertEqual(42.0, clock.now())
        self.assertEqual(7.0, clock.deadline)

    def test_a_failing_node_frees_its_slot(self):
        nodes = self.dispatcher(1)

        def fails():
            raise RuntimeError('node failed')
        nodes.submit('a', fails)
        nodes.submit('a', self.log.append, 'next')
        self.assertTrue(nodes.wait_idle(PATIENCE))
        self.assertEqual(['next'], self.log)

    def test_wait_idle_times_out_while_a_node_runs(self):
        nodes = self.dispatcher(1)
        gate = self.gate('slow')
        nodes.submit('a', gate)
        self.assertTrue(gate.started.wait(PATIENCE))
        self.assertFalse(nodes.wait_idle(0.05))
        gate.opened.set()
        self.assertTrue(nodes.wait_idle(PATIENCE))
