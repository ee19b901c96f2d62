"""The stack graph built from REST views: nodes, edges, levels, states."""

import testtools

from convergence import stack_graph as sg
from convergence.tests.unit.cli import views as v


class NodeStateTest(testtools.TestCase):
    """A node's state from its status, relative to the operation."""

    running_update = {'action': 'UPDATE', 'running': True,
                      'started': '2026-01-01T12:10:00Z'}

    def test_failed_in_progress_and_init(self):
        op = self.running_update
        self.assertEqual(sg.FAILED, sg.node_state('UPDATE_FAILED', None, op))
        self.assertEqual(sg.IN_FLIGHT,
                         sg.node_state('UPDATE_IN_PROGRESS', None, op))
        self.assertEqual(sg.WAITING, sg.node_state('INIT_COMPLETE', None, op))

    def test_complete_during_an_update_is_done_once_touched_by_it(self):
        op = self.running_update
        self.assertEqual(sg.WAITING, sg.node_state(
            'CREATE_COMPLETE', '2026-01-01T12:09:59Z', op))
        self.assertEqual(sg.DONE, sg.node_state(
            'UPDATE_COMPLETE', '2026-01-01T12:10:02Z', op))

    def test_during_a_delete_only_deleted_rows_are_done(self):
        op = dict(self.running_update, action='DELETE')
        self.assertEqual(sg.WAITING, sg.node_state(
            'UPDATE_COMPLETE', '2026-01-01T12:10:02Z', op))
        self.assertEqual(sg.DONE, sg.node_state('DELETE_COMPLETE', None, op))

    def test_every_complete_row_is_done_after_the_operation(self):
        op = dict(self.running_update, running=False)
        self.assertEqual(sg.DONE, sg.node_state(
            'CREATE_COMPLETE', '2026-01-01T12:00:00Z', op))

    def test_operation_start_is_the_update_time_else_the_creation(self):
        self.assertEqual(
            {'action': 'UPDATE', 'running': True,
             'started': '2026-01-01T12:10:00Z'},
            sg.operation(v.stack('UPDATE_IN_PROGRESS',
                                 updated='2026-01-01T12:10:00Z')))
        self.assertEqual('2026-01-01T12:00:00Z', sg.operation(
            v.stack('CREATE_COMPLETE'))['started'])

    def test_split_status(self):
        self.assertEqual(('ROLLBACK', 'IN_PROGRESS'),
                         sg.split_status('ROLLBACK_IN_PROGRESS'))
        self.assertEqual(('INIT', 'COMPLETE'),
                         sg.split_status('INIT_COMPLETE'))


class BuildTest(testtools.TestCase):
    """Given a stack mid-create with a nested stack, the graph."""

    def setUp(self):
        super().setUp()
        self.graph = sg.build(v.stack('CREATE_IN_PROGRESS',
                                      progress={'done': 2, 'in_flight': 2,
                                                'waiting': 1}),
                              v.nested_tree())
        self.nodes = {n['name']: n for n in self.graph['nodes']}

    def test_nodes_are_placed_on_their_stack_and_level(self):
        self.assertEqual(
            {'base': (v.TOP, 0, None), 'inner': (v.TOP, 0, None),
             'after': (v.TOP, 0, None),
             'one': (v.CHILD, 1, v.TOP + '/inner'),
             'two': (v.CHILD, 1, v.TOP + '/inner')},
            {name: (n['stack_id'], n['level'], n['parent'])
             for name, n in self.nodes.items()})
        self.assertEqual(v.CHILD, self.nodes['inner']['nested_stack_id'])

    def test_edges_point_from_requirer_to_required(self):
        self.assertEqual(
            [{'from': v.TOP + '/after', 'to': v.TOP + '/inner'},
             {'from': v.TOP + '/inner', 'to': v.TOP + '/base'},
             {'from': v.CHILD + '/two', 'to': v.CHILD + '/one'}],
            self.graph['edges'])

    def test_states_and_counts_per_level(self):
        self.assertEqual(
            {'base': sg.DONE, 'inner': sg.IN_FLIGHT, 'after': sg.WAITING,
             'one': sg.DONE, 'two': sg.IN_FLIGHT},
            {name: n['state'] for name, n in self.nodes.items()})
        self.assertEqual(
            [{'level': 0, 'done': 1, 'in_flight': 1, 'waiting': 1,
              'failed': 0},
             {'level': 1, 'done': 1, 'in_flight': 1, 'waiting': 0,
              'failed': 0}], self.graph['levels'])

    def test_the_stack_and_the_engines_progress_pass_through(self):
        self.assertEqual({'done': 2, 'in_flight': 2, 'waiting': 1},
                         self.graph['progress'])
        self.assertEqual(('web', 'CREATE_IN_PROGRESS', True),
                         (self.graph['stack']['name'],
                          self.graph['stack']['status'],
                          self.graph['stack']['operation']['running']))

    def test_heat_api_views_have_no_progress(self):
        graph = sg.build(v.stack('CREATE_COMPLETE'), [])
        self.assertIsNone(graph['progress'])
        self.assertEqual([], graph['levels'])

    def test_an_edge_to_a_row_not_listed_is_left_out(self):
        graph = sg.build(v.stack('CREATE_COMPLETE'), [
            v.resource('a', 'CREATE_COMPLETE', required_by=['gone'])])
        self.assertEqual([], graph['edges'])
