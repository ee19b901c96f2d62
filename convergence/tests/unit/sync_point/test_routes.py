"""Where a finished node reports, and what the reports let go (pure)."""

import testtools

from convergence import sync_point
from convergence import traversal as plan
from convergence.graph import Graph

STACK = 'stack-1'
U, C = True, False
DATA = {'id': 1, 'name': 'A', 'reference_id': 'phys-1', 'attrs': {},
        'action': 'CREATE', 'status': 'COMPLETE'}


def _diamond():
    """A(1) <- B(2), A <- C(3), B and C <- D(4): D is a join."""
    a, b, c, d = (plan.Node(i, U) for i in (1, 2, 3, 4))
    return Graph([(a, None), (b, a), (c, a), (d, b), (d, c)]), (a, b, c, d)


class TestRoutes(testtools.TestCase):

    def test_single_predecessor_successors_are_triggered_directly(self):
        graph, (a, b, c, d) = _diamond()
        found = sync_point.routes(graph, a, STACK, DATA)
        self.assertEqual((), found.reports)
        self.assertEqual([(b, {'A': DATA}), (c, {'A': DATA})],
                         sync_point.triggers(found, {}))

    def test_a_join_gets_a_report_and_only_its_completer_triggers(self):
        graph, (a, b, c, d) = _diamond()
        found = sync_point.routes(graph, b, STACK, DATA)
        self.assertEqual((sync_point.Report('4', U, DATA),), found.reports)
        self.assertEqual([], sync_point.triggers(found, {}))
        inputs = {'2:u': DATA, '3:u': dict(DATA, name='C')}
        self.assertEqual(
            [(d, {'A': DATA, 'C': dict(DATA, name='C')})],
            sync_point.triggers(found, {('4', U): inputs}))

    def test_a_root_reports_to_the_stack_s_sync_point(self):
        graph, (a, b, c, d) = _diamond()
        found = sync_point.routes(graph, d, STACK, DATA)
        self.assertEqual((sync_point.Report(STACK, U, None),), found.reports)
        self.assertFalse(sync_point.stack_completed(found, {}))
        self.assertTrue(sync_point.stack_completed(
            found, {(STACK, U): {'4:u': None}}))

    def test_cleanup_successors_carry_no_data(self):
        a, b = plan.Node(1, C), plan.Node(2, C)
        graph = Graph([(a, None), (b, a)])
        found = sync_point.routes(graph, a, STACK, DATA)
        self.assertEqual([(b, {})], sync_point.triggers(found, {}))

    def test_nowhere_reports_nothing_and_triggers_nothing(self):
        self.assertEqual((), sync_point.NOWHERE.reports)
        self.assertEqual([], sync_point.triggers(sync_point.NOWHERE, {}))
        self.assertFalse(sync_point.stack_completed(sync_point.NOWHERE, {}))


class TestGraphNode(testtools.TestCase):

    def test_a_replacement_impersonates_the_row_it_replaces(self):
        graph, (a, b, c, d) = _diamond()
        self.assertEqual(b, sync_point.graph_node(graph, 2, None, U))
        self.assertEqual(b, sync_point.graph_node(graph, 9, 2, U))
        self.assertIsNone(sync_point.graph_node(graph, 9, None, U))
        self.assertIsNone(sync_point.graph_node(graph, 9, 8, U))
