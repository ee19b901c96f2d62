"""Planning a traversal: rows chosen per name, the graph, its JSON form."""

import datetime
import json

import testtools

from convergence import traversal as plan
from convergence.traversal import Node

EPOCH = datetime.datetime(2026, 1, 1)
CURRENT, GOAL, OLD = 1, 2, 0       # template ids


def row(rsrc_id: int, name: str, template: int = CURRENT, *,
        status: str = 'COMPLETE', action: str = 'CREATE', requires=(),
        replaces: int | None = None, replaced_by: int | None = None,
        touched: int | None = None, updated: int | None = None) -> dict:
    """A resource row as the database returns it (times in seconds)."""
    return {'id': rsrc_id, 'name': name, 'current_template_id': template,
            'status': status, 'action': action, 'requires': list(requires),
            'replaces': replaces, 'replaced_by': replaced_by,
            'created_at': EPOCH + datetime.timedelta(
                seconds=rsrc_id if touched is None else touched),
            'updated_at': None if updated is None else
            EPOCH + datetime.timedelta(seconds=updated)}


def choose(rows: list[dict], names=('db',), goal: int = GOAL,
           current: int | None = CURRENT) -> dict[str, int]:
    """The id of the row chosen for each name."""
    chosen = plan.choose_rows(list(names), rows, goal, current)
    return {name: r['id'] for name, r in chosen.items()}


U, C = (lambda i: Node(i, True)), (lambda i: Node(i, False))


class TestNodes(testtools.TestCase):

    def test_given_nodes_then_their_keys_name_row_and_direction(self):
        self.assertEqual(('7:u', '7:c'), (plan.node_key(U(7)),
                                          plan.node_key(C(7))))

    def test_given_mixed_nodes_then_cleanups_come_first_each_by_row(self):
        nodes = {U(1), C(3), U(2), C(1)}
        self.assertEqual([C(1), C(3), U(1), U(2)], plan.cleanup_first(nodes))


class TestChooseRows(testtools.TestCase):

    def test_given_one_row_per_name_then_each_name_gets_its_row(self):
        rows = [row(1, 'db'), row(2, 'app')]
        self.assertEqual({'db': 1, 'app': 2}, choose(rows, ('db', 'app')))

    def test_given_a_name_without_rows_then_it_gets_none(self):
        self.assertEqual({'db': 1}, choose([row(1, 'db')], ('db', 'new')))

    def test_given_rows_of_a_removed_name_then_they_are_not_chosen(self):
        self.assertEqual({}, choose([row(1, 'gone')], ('db',)))

    def test_given_a_replacement_at_the_goal_then_it_beats_the_replaced(self):
        rows = [row(1, 'db', CURRENT, replaced_by=2),
                row(2, 'db', GOAL, replaces=1)]
        self.assertEqual({'db': 2}, choose(rows))

    def test_given_a_failed_replacement_then_the_healthy_original_wins(self):
        rows = [row(1, 'db', CURRENT, replaced_by=2),
                row(2, 'db', GOAL, status='FAILED', replaces=1)]
        self.assertEqual({'db': 1}, choose(rows))

    def test_given_a_rollback_then_the_row_at_the_goal_template_wins(self):
        rows = [row(1, 'db', OLD, replaced_by=2),
                row(2, 'db', CURRENT, replaces=1)]
        self.assertEqual({'db': 1}, choose(rows, goal=OLD, current=CURRENT))

    def test_given_a_row_of_an_older_template_then_the_current_row_wins(self):
        rows = [row(1, 'db', OLD, touched=50), row(2, 'db', CURRENT)]
        self.assertEqual({'db': 2}, choose(rows))

    def test_given_a_half_deleted_row_then_even_a_failed_one_beats_it(self):
        rows = [row(1, 'db', GOAL, action='DELETE', status='IN_PROGRESS'),
                row(2, 'db', OLD, status='FAILED')]
        self.assertEqual({'db': 2}, choose(rows))

    def test_given_equal_rows_then_the_replaced_one_yields(self):
        rows = [row(1, 'db', replaced_by=2, touched=50),
                row(2, 'db', replaces=1, touched=10)]
        self.assertEqual({'db': 2}, choose(rows))

    def test_given_only_a_half_deleted_row_then_it_is_chosen(self):
        rows = [row(1, 'db', action='DELETE', status='IN_PROGRESS')]
        self.assertEqual({'db': 1}, choose(rows))

    def test_given_equal_rows_then_the_last_touched_wins(self):
        rows = [row(1, 'db', touched=10, updated=30),
                row(2, 'db', touched=20)]
        self.assertEqual({'db': 1}, choose(rows))

    def test_given_equal_rows_touched_together_then_the_newest_id_wins(self):
        rows = [row(2, 'db', touched=10), row(1, 'db', touched=10)]
        self.assertEqual({'db': 2}, choose(rows))


class TestBuildGraph(testtools.TestCase):
    """db (row 1) <- app (row 2): app requires db."""

    DEPS = {'db': set(), 'app': {'db'}}

    def graph(self, rows, chosen=None, deps=None):
        chosen = chosen if chosen is not None else {'db': 1, 'app': 2}
        return plan.build_graph(deps if deps is not None else self.DEPS,
                                chosen, rows)

    def rows(self):
        return [row(1, 'db'), row(2, 'app', requires=[1])]

    def test_given_a_template_then_update_edges_mirror_it(self):
        graph = self.graph(self.rows())
        self.assertEqual({U(1)}, graph.requires(U(2)))
        self.assertEqual(set(), graph.requires(U(1)))

    def test_given_active_rows_then_each_cleanup_waits_for_its_update(self):
        graph = self.graph(self.rows())
        self.assertIn(U(1), graph.requires(C(1)))
        self.assertIn(U(2), graph.requires(C(2)))

    def test_given_a_requirement_then_cleanup_edges_are_inverted(self):
        graph = self.graph(self.rows())
        self.assertIn(C(2), graph.requires(C(1)))
        self.assertNotIn(C(1), graph.requires(C(2)))

    def test_given_a_plan_then_it_starts_at_leaves_and_ends_at_roots(self):
        graph = self.graph(self.rows())
        self.assertEqual([U(1)], graph.leaves())
        self.assertEqual([C(1)], graph.roots())

    def test_given_new_rows_then_they_have_update_nodes_only(self):
        graph = self.graph([])
        self.assertEqual({U(1), U(2)}, set(graph))

    def test_given_a_removed_resource_then_it_has_a_cleanup_node_only(self):
        rows = self.rows() + [row(9, 'gone', requires=[1])]
        graph = self.graph(rows)
        self.assertNotIn(U(9), graph)
        self.assertEqual(set(), graph.requires(C(9)))
        self.assertIn(C(9), graph.requires(C(1)))

    def test_given_a_requirement_on_a_gone_row_then_no_edge(self):
        graph = self.graph([row(1, 'db'), row(2, 'app', requires=[1, 5])])
        self.assertNotIn(C(5), graph)
        self.assertEqual({U(2)}, graph.requires(C(2)))

    def test_given_a_replacement_then_the_replaced_row_goes_last(self):
        rows = [row(1, 'db', CURRENT, replaced_by=3),
                row(2, 'app', requires=[1]),
                row(3, 'db', GOAL, replaces=1)]
        graph = self.graph(rows, chosen={'db': 3, 'app': 2})
        self.assertEqual({U(3)}, graph.requires(U(2)))
        self.assertEqual({C(2), C(3)}, graph.requires(C(1)))
        self.assertEqual({U(3)}, graph.requires(C(3)))
        self.assertNotIn(U(1), graph)
        self.assertEqual([C(1)], graph.roots())


class TestGraphJson(testtools.TestCase):

    def round_trip(self, graph):
        return plan.graph_from_json(json.loads(json.dumps(
            plan.graph_to_json(graph))))

    def test_given_a_plan_when_stored_and_read_then_the_same_graph(self):
        rows = [row(1, 'db'), row(2, 'app', requires=[1]),
                row(9, 'gone', requires=[1])]
        graph = plan.build_graph({'db': set(), 'app': {'db'}},
                                 {'db': 1, 'app': 2}, rows)
        read = self.round_trip(graph)
        self.assertEqual(set(graph.edges()), set(read.edges()))
        self.assertEqual(set(graph), set(read))
        self.assertTrue(all(isinstance(n, Node) for n in read))

    def test_given_a_lone_node_when_stored_and_read_then_it_is_kept(self):
        graph = plan.build_graph({'db': set()}, {'db': 4}, [])
        read = self.round_trip(graph)
        self.assertEqual([(U(4), None)], read.edges())
        self.assertTrue(read.leaves()[0].is_update)


class TestJoins(testtools.TestCase):

    def test_given_a_plan_then_only_nodes_with_several_inputs_join(self):
        rows = [row(1, 'db'), row(2, 'app', requires=[1])]
        graph = plan.build_graph({'db': set(), 'app': {'db'}},
                                 {'db': 1, 'app': 2}, rows)
        self.assertEqual([(C(1), 2)], plan.joins(graph))


class TestImpersonation(testtools.TestCase):

    def test_given_a_later_replacement_then_the_replaced_node_stands_in(self):
        """The graph was planned before the replacement row existed: the
        replacement reports under the replaced row's node and key."""
        rows = [row(1, 'db'), row(2, 'app', requires=[1])]
        graph = plan.build_graph({'db': set(), 'app': {'db'}},
                                 {'db': 1, 'app': 2}, rows)
        replacement = row(5, 'db', GOAL, replaces=1)
        own = Node(replacement['id'], True)
        stand_in = Node(replacement['replaces'], True)
        self.assertNotIn(own, graph)
        self.assertEqual({U(2), C(1)}, graph.required_by(stand_in))
        self.assertEqual('1:u', plan.node_key(stand_in))
