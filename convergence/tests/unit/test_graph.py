"""The dependency graph: edges both ways, leaves, roots, order and cycles."""

import testtools

from convergence import exceptions
from convergence.graph import Graph, format_cycle


def chain() -> Graph:
    """c requires b requires a."""
    return Graph([('c', 'b'), ('b', 'a')])


class TestEdges(testtools.TestCase):

    def test_given_an_edge_then_both_directions_are_known(self):
        graph = Graph([('app', 'db')])
        self.assertEqual({'db'}, graph.requires('app'))
        self.assertEqual({'app'}, graph.required_by('db'))
        self.assertEqual(set(), graph.requires('db'))
        self.assertEqual(set(), graph.required_by('app'))

    def test_given_a_none_requirement_then_a_lone_node_is_added(self):
        graph = Graph([('alone', None)])
        self.assertIn('alone', graph)
        self.assertEqual(1, len(graph))
        self.assertEqual([('alone', None)], graph.edges())

    def test_given_a_node_with_edges_then_no_lone_entry_is_listed(self):
        graph = Graph([('b', 'a')])
        graph.add_node('a')
        graph.add_node('z')
        self.assertEqual({('b', 'a'), ('z', None)}, set(graph.edges()))

    def test_given_the_same_edge_twice_then_it_counts_once(self):
        graph = Graph([('b', 'a'), ('b', 'a')])
        self.assertEqual([('b', 'a')], graph.edges())

    def test_given_edges_then_iteration_gives_every_node_once(self):
        self.assertEqual(['a', 'b', 'c'], sorted(chain()))


class TestLeavesAndRoots(testtools.TestCase):

    def test_given_a_chain_then_the_leaf_is_its_start_and_the_root_its_end(
            self):
        graph = chain()
        self.assertEqual(['a'], graph.leaves())
        self.assertEqual(['c'], graph.roots())

    def test_given_a_diamond_then_one_leaf_and_one_root(self):
        graph = Graph([('top', 'left'), ('top', 'right'),
                       ('left', 'bottom'), ('right', 'bottom')])
        self.assertEqual(['bottom'], graph.leaves())
        self.assertEqual(['top'], graph.roots())

    def test_given_a_lone_node_then_it_is_both_leaf_and_root(self):
        graph = Graph([('b', 'a'), ('alone', None)])
        self.assertEqual({'a', 'alone'}, set(graph.leaves()))
        self.assertEqual({'b', 'alone'}, set(graph.roots()))

    def test_given_an_empty_graph_then_no_leaves_and_no_roots(self):
        self.assertEqual(([], []), (Graph().leaves(), Graph().roots()))


class TestTopologicalOrder(testtools.TestCase):

    def test_given_a_dag_then_every_node_comes_after_what_it_requires(self):
        graph = Graph([('web', 'app'), ('app', 'db'), ('app', 'cache'),
                       ('web', 'cache'), ('lb', 'web'), ('dns', None)])
        order = graph.topological_order()
        self.assertEqual(sorted(graph), sorted(order))
        for requirer, required in graph.edges():
            if required is not None:
                self.assertLess(order.index(required), order.index(requirer))


class TestCycles(testtools.TestCase):

    def test_given_a_dag_then_no_cycle_is_found(self):
        self.assertIsNone(chain().find_cycle())

    def test_given_a_cycle_then_it_is_found_closed_in_requires_order(self):
        # d, outside the cycle, is where the search starts.
        graph = Graph([('d', 'a'), ('a', 'b'), ('b', 'c'), ('c', 'a')])
        cycle = graph.find_cycle()
        self.assertEqual(cycle[0], cycle[-1])
        self.assertEqual(4, len(cycle))
        self.assertEqual({'a', 'b', 'c'}, set(cycle))
        for requirer, required in zip(cycle, cycle[1:]):
            self.assertIn(required, graph.requires(requirer))

    def test_given_a_self_requirement_then_the_cycle_is_the_node_alone(self):
        self.assertEqual(['a', 'a'], Graph([('a', 'a')]).find_cycle())

    def test_given_a_cycle_when_ordering_then_the_error_names_it(self):
        graph = Graph([('a', 'b'), ('b', 'a'), ('c', None)])
        exc = self.assertRaises(exceptions.CircularDependencyException,
                                graph.topological_order)
        self.assertIn(str(exc), ('Circular Dependency Found: a -> b -> a',
                                 'Circular Dependency Found: b -> a -> b'))

    def test_given_no_cycle_when_formatting_then_unknown(self):
        self.assertEqual('unknown', format_cycle(None))
        self.assertEqual('unknown', format_cycle([]))
        self.assertEqual('x -> y -> x', format_cycle(['x', 'y', 'x']))
