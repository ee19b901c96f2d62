"""The graph as dot text: nodes coloured by state, nested clusters."""

import testtools

from convergence import stack_graph
from convergence.cli import dot
from convergence.tests.unit.cli import views as v


class DotTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.text = dot.to_dot(stack_graph.build(
            v.stack('CREATE_FAILED'), v.nested_tree('CREATE_FAILED')))

    def test_each_node_is_filled_with_its_states_colour(self):
        self.assertIn('"a1b2/base" [label="base\\nCREATE_COMPLETE", '
                      'fillcolor="%s"' % stack_graph.STATE_COLOURS['done'],
                      self.text)
        self.assertIn('"c3d4/two" [label="two\\nCREATE_FAILED", '
                      'fillcolor="%s", tooltip="OS::Heat::TestResource: '
                      'boom"];' % stack_graph.STATE_COLOURS['failed'],
                      self.text)

    def test_a_nested_stack_is_a_cluster_and_edges_follow_requires(self):
        self.assertIn('subgraph "cluster_c3d4" {', self.text)
        self.assertIn('label="inner (nested)"', self.text)
        self.assertIn('"a1b2/after" -> "a1b2/inner";', self.text)
        self.assertIn('"c3d4/two" -> "c3d4/one";', self.text)
        self.assertTrue(self.text.startswith('digraph "web" {'))
        self.assertTrue(self.text.endswith('}\n'))

    def test_names_are_quoted_for_dot(self):
        graph = stack_graph.build(v.stack('CREATE_COMPLETE'), [
            v.resource('we"ird\\', 'CREATE_COMPLETE')])
        self.assertIn('[label="we\\"ird\\\\\\nCREATE_COMPLETE"',
                      dot.to_dot(graph))

    def test_every_state_has_a_colour(self):
        self.assertEqual(set(stack_graph.STATES),
                         set(stack_graph.STATE_COLOURS))
