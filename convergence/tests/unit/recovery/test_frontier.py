import datetime

import testtools

from convergence import traversal as plan
from convergence.graph import Graph
from convergence.recovery import frontier

GOAL, OLD = 7, 6
START = datetime.datetime(2026, 11, 21, 12, 0, 0)
BEFORE = START - datetime.timedelta(seconds=5)
AFTER = START + datetime.timedelta(seconds=5)
U, C = True, False


def _row(rsrc_id, name, **values):
    row = {'id': rsrc_id, 'name': name, 'engine_id': None, 'action': 'CREATE',
           'status': 'COMPLETE', 'status_reason': '', 'replaced_by': None,
           'current_template_id': GOAL, 'updated_at': AFTER,
           'created_at': BEFORE,
           'attr_data': {'ref': 'phys-%s' % name, 'attrs': {'a': name}}}
    row.update(values)
    return row


def _chain_graph():
    """A(1) <- B(2) <- C(3): update nodes only, as a create makes."""
    a, b, c = plan.Node(1, U), plan.Node(2, U), plan.Node(3, U)
    return Graph([(a, None), (b, a), (c, b)]), (a, b, c)


class TestStanding(testtools.TestCase):

    def _standing(self, graph, rows):
        return frontier.standing(graph, {r['id']: r for r in rows}, GOAL,
                                 START)

    def test_lost_trigger_after_a_done_node_is_the_frontier(self):
        graph, (a, b, c) = _chain_graph()
        rows = [_row(1, 'A'), _row(2, 'B', action='INIT'),
                _row(3, 'C', action='INIT')]
        found = self._standing(graph, rows)
        self.assertEqual([b], found.ready)
        self.assertEqual(2, found.unfinished)
        self.assertFalse(found.all_done)

    def test_a_row_converged_by_an_earlier_traversal_is_not_done(self):
        graph, (a, b, c) = _chain_graph()
        rows = [_row(1, 'A', updated_at=BEFORE), _row(2, 'B'), _row(3, 'C')]
        found = self._standing(graph, rows)
        self.assertEqual([a], found.ready)

    def test_locked_or_in_progress_rows_are_not_done(self):
        graph, (a, b, c) = _chain_graph()
        rows = [_row(1, 'A', engine_id='e1', status='IN_PROGRESS'),
                _row(2, 'B', action='INIT'), _row(3, 'C', action='INIT')]
        self.assertEqual([a], self._standing(graph, rows).ready)
        rows[0]['engine_id'] = None
        self.assertEqual([a], self._standing(graph, rows).ready)

    def test_everything_converged_is_all_done(self):
        graph, _ = _chain_graph()
        found = self._standing(graph, [_row(1, 'A'), _row(2, 'B'),
                                       _row(3, 'C')])
        self.assertTrue(found.all_done)
        self.assertEqual([], found.ready)

    def test_a_failure_whose_verdict_was_lost_is_reported(self):
        graph, (a, b, c) = _chain_graph()
        failed = _row(2, 'B', status='FAILED', status_reason='boom')
        found = self._standing(graph, [_row(1, 'A'), failed,
                                       _row(3, 'C', action='INIT')])
        self.assertEqual([(b, failed)], found.failed)
        self.assertEqual([], found.ready)

    def test_a_replaced_row_is_done_when_its_replacement_is(self):
        graph, (a, b, c) = _chain_graph()
        old_a = _row(1, 'A', current_template_id=OLD, replaced_by=9,
                     status_reason='requires replacement')
        rows = [old_a, _row(9, 'A', action='INIT'), _row(2, 'B'),
                _row(3, 'C')]
        found = self._standing(graph, rows)
        self.assertEqual([a], found.ready)
        self.assertEqual((9, {}), frontier.trigger(
            graph, a, {r['id']: r for r in rows}))
        rows[1] = _row(9, 'A')
        self.assertTrue(self._standing(graph, rows).all_done)

    def test_cleanup_nodes_are_done_when_the_row_is_gone_kept_or_deleted(self):
        keep, gone, deleted, pending = (plan.Node(i, C) for i in (1, 2, 3, 4))
        graph = Graph([(n, None) for n in (keep, gone, deleted, pending)])
        rows = [_row(1, 'K'), _row(3, 'D', action='DELETE'),
                _row(4, 'P', current_template_id=OLD)]
        found = self._standing(graph, rows)
        self.assertEqual([pending], found.ready)
        self.assertEqual(1, found.unfinished)


class TestTrigger(testtools.TestCase):

    def test_update_trigger_carries_predecessors_cached_data(self):
        graph, (a, b, c) = _chain_graph()
        rows = {1: _row(1, 'A'), 2: _row(2, 'B', action='INIT'),
                3: _row(3, 'C', action='INIT')}
        resource_id, data = frontier.trigger(graph, b, rows)
        self.assertEqual(2, resource_id)
        self.assertEqual({'A': {'id': 1, 'name': 'A',
                                'reference_id': 'phys-A',
                                'attrs': {'a': 'A'}, 'action': 'CREATE',
                                'status': 'COMPLETE'}}, data)

    def test_cleanup_trigger_carries_nothing(self):
        node = plan.Node(4, C)
        graph = Graph([(node, None)])
        self.assertEqual((4, {}), frontier.trigger(graph, node, {}))

    def test_embodiment_follows_replacements_and_survives_a_loop(self):
        rows = {1: _row(1, 'A', replaced_by=2), 2: _row(2, 'A', replaced_by=1)}
        self.assertIn(frontier.embodiment(1, rows)['id'], (1, 2))
        self.assertIsNone(frontier.embodiment(5, rows))


class TestInPlaceStanding(testtools.TestCase):
    """A suspend acts in the cleanup nodes; the update nodes only pass."""

    def _graph(self):
        """The graph of an in-place operation on A(1) <- B(2): update and
        cleanup nodes, cleanup edges inverted."""
        ua, ub, ca, cb = (plan.Node(1, U), plan.Node(2, U), plan.Node(1, C),
                          plan.Node(2, C))
        return Graph([(ub, ua), (ca, cb), (ua, ca), (ub, cb),
                      (cb, None)]), (ua, ub, ca, cb)

    def _standing(self, rows, action):
        graph, nodes = self._graph()
        return frontier.standing(graph, {r['id']: r for r in rows}, GOAL,
                                 START, action), nodes

    def test_lost_suspend_trigger_is_the_frontier(self):
        rows = [_row(1, 'A'), _row(2, 'B', action='SUSPEND')]
        found, (ua, ub, ca, cb) = self._standing(rows, 'SUSPEND')
        self.assertEqual([ca], found.ready)
        self.assertEqual(1, found.unfinished)

    def test_suspend_done_when_every_row_is_suspended(self):
        rows = [_row(1, 'A', action='SUSPEND'),
                _row(2, 'B', action='SUSPEND')]
        found, _ = self._standing(rows, 'SUSPEND')
        self.assertTrue(found.all_done)

    def test_a_failed_resume_is_a_lost_verdict(self):
        rows = [_row(1, 'A', action='RESUME', status='FAILED'),
                _row(2, 'B', action='SUSPEND')]
        found, (ua, ub, ca, cb) = self._standing(rows, 'RESUME')
        self.assertEqual([ua], [node for node, _ in found.failed])

    def test_a_suspend_leaves_an_old_version_alone(self):
        """A row with a cleanup node only (an old version an update left
        to clean up) is no part of the suspend."""
        graph, (ua, ub, ca, cb) = self._graph()
        old = plan.Node(3, C)
        graph.add_edge(ca, old)
        rows = {r['id']: r for r in (
            _row(1, 'A', action='SUSPEND'), _row(2, 'B', action='SUSPEND'),
            _row(3, 'B', updated_at=BEFORE))}
        found = frontier.standing(graph, rows, GOAL, START, 'SUSPEND')
        self.assertTrue(found.all_done)
