"""``GET .../graph`` and ``GET .../live``: the graph as JSON, the page."""

import json

from convergence.tests.unit.api import base
from convergence.tests.unit.api.base import T


class GraphRouteTest(base.ApiTestCase):
    """Given a stack of test1 <- test2 on the engine twin."""

    def test_the_graph_has_the_nodes_states_and_edges(self):
        path = self.create()
        resp = self.request('GET', path + '/graph')
        self.assertEqual(200, resp.status_int, resp.body)
        graph = json.loads(resp.body)['graph']
        stack_id = path.rsplit('/', 1)[1]
        self.assertEqual(('s1', 'CREATE_COMPLETE'),
                         (graph['stack']['name'], graph['stack']['status']))
        self.assertEqual({'test1': ('CREATE_COMPLETE', 'done', 0),
                          'test2': ('CREATE_COMPLETE', 'done', 0)},
                         {n['name']: (n['status'], n['state'], n['level'])
                          for n in graph['nodes']})
        self.assertEqual([{'from': stack_id + '/test2',
                           'to': stack_id + '/test1'}], graph['edges'])
        self.assertEqual([{'level': 0, 'done': 2, 'in_flight': 0,
                           'waiting': 0, 'failed': 0}], graph['levels'])

    def test_it_asks_every_nested_level(self):
        path = self.create()
        self.request('GET', path + '/graph')
        self.assertEqual(5, self.engine.last_call(
            'list_stack_resources')['nested_depth'])

    def test_the_live_page_is_html_that_polls_the_graph(self):
        path = self.create()
        resp = self.request('GET', path + '/live')
        self.assertEqual(200, resp.status_int)
        self.assertEqual('text/html', resp.content_type)
        self.assertIn(b'fetch("graph"', resp.body)

    def test_by_name_they_redirect_to_the_stack(self):
        path = self.create()
        for what in ('graph', 'live'):
            resp = self.request('GET', T + '/stacks/s1/' + what)
            self.assertEqual(302, resp.status_int)
            self.assertTrue(resp.location.endswith(path + '/' + what))

    def test_an_unknown_stack_is_heats_404(self):
        for what in ('graph', 'live'):
            resp = self.request('GET', T + '/stacks/nope/%s/%s' % (
                '1' * 8, what))
            self.assertFault(resp, 404, 'EntityNotFound')
