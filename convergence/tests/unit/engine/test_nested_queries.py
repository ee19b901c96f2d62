"""The read side over nested stacks: a root with a provider template two
levels deep, shown, listed and counted as heat-engine shows them."""

import testtools

from convergence.tests.scenarios import framework

LEVEL2 = '''
heat_template_version: 2016-10-14
resources:
  leaf: {type: OS::Heat::Value, properties: {value: deep}}
outputs:
  out: {value: {get_attr: [leaf, value]}}
'''
LEVEL1 = '''
heat_template_version: 2016-10-14
resources:
  mid: {type: level2.yaml}
  plain1: {type: OS::Heat::None}
outputs:
  out: {value: {get_attr: [mid, out]}}
'''
ROOT = {'heat_template_version': '2016-10-14',
        'resources': {'top': {'type': 'level1.yaml'},
                      'plain0': {'type': 'OS::Heat::None'}}}
FILES = {'level1.yaml': LEVEL1, 'level2.yaml': LEVEL2}


class NestedQueriesTest(testtools.TestCase):
    """Given a root stack created with a two-level provider template."""

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.service = self.scenario.engine_service
        self.ctxt = self.scenario.context
        self.identity = self.service.create_stack(
            self.ctxt, 'root', ROOT, {'parameters': {}}, FILES, {})
        self.scenario.run()
        self.root = self.service.show_stack(self.ctxt, self.identity)[0]
        self.assertEqual('COMPLETE', self.root['stack_status'])

    def _child_identity(self, identity: dict, name: str) -> dict:
        res = self.service.describe_stack_resource(self.ctxt, identity, name)
        return res['nested_stack_id']

    def test_list_and_count_hide_nested_stacks_unless_asked(self):
        self.assertEqual(['root'], [s['stack_name'] for s in
                                    self.service.list_stacks(self.ctxt)])
        self.assertEqual(1, self.service.count_stacks(self.ctxt))
        listed = self.service.list_stacks(self.ctxt, show_nested=True)
        self.assertEqual(3, len(listed))
        self.assertEqual(3, self.service.count_stacks(self.ctxt,
                                                      show_nested=True))
        parents = {s['stack_name']: s['parent'] for s in listed}
        self.assertIsNone(parents['root'])
        owned = self.service.list_stacks(
            self.ctxt, show_nested=True,
            filters={'parent': self.identity['stack_id']})
        self.assertEqual([self.identity['stack_id']],
                         [s['parent'] for s in owned])

    def test_nested_stacks_do_not_count_toward_the_stack_limit(self):
        self.service.conf.max_stacks_per_tenant = 2
        self.service.create_stack(self.ctxt, 'second', ROOT,
                                  {'parameters': {}}, FILES, {})
        self.scenario.run()
        error = self.assertRaises(Exception, self.service.create_stack,
                                  self.ctxt, 'third', ROOT,
                                  {'parameters': {}}, FILES, {})
        self.assertIn('maximum stacks per tenant, 2', str(error))

    def test_a_nested_stack_shows_its_parent_and_is_found_by_name(self):
        child = self._child_identity(self.identity, 'top')
        shown = self.service.show_stack(self.ctxt, child)[0]
        self.assertEqual(self.identity['stack_id'], shown['parent'])
        self.assertEqual(child, self.service.identify_stack(
            self.ctxt, child['stack_name']))
        self.assertEqual([{'output_key': 'out', 'output_value': 'deep',
                           'description': 'No description given'}],
                         shown['outputs'])

    def test_resources_to_a_depth_with_parent_resource_and_nested_ids(self):
        listed = self.service.list_stack_resources(self.ctxt, self.identity,
                                                   nested_depth=2)
        by_name = {r['resource_name']: r for r in listed}
        self.assertEqual({'top', 'plain0', 'mid', 'plain1', 'leaf'},
                         set(by_name))
        # The root's own rows first, then those nested in it.
        self.assertEqual({'top', 'plain0'},
                         {r['resource_name'] for r in listed[:2]})
        self.assertEqual('leaf', listed[-1]['resource_name'])
        self.assertEqual((None, 'top', 'mid'), tuple(
            by_name[n].get('parent_resource') for n in ('top', 'mid', 'leaf')))
        self.assertIn('nested_stack_id', by_name['mid'])
        self.assertNotIn('nested_stack_id', by_name['leaf'])
        self.assertEqual(4, len(self.service.list_stack_resources(
            self.ctxt, self.identity, nested_depth=1)))

    def test_a_nested_resource_shows_its_child_outputs_as_attributes(self):
        top = self.service.describe_stack_resource(self.ctxt, self.identity,
                                                   'top', with_attr=None)
        self.assertEqual({'out': 'deep'}, top['attributes'])
        detailed = self.service.list_stack_resources(
            self.ctxt, self.identity, nested_depth=2, with_detail=True)
        self.assertEqual({'value': 'deep'}, {
            r['resource_name']: r for r in detailed}['leaf']['attributes'])

    def test_events_of_the_tree_in_time_order_with_the_root(self):
        flat = self.service.list_events(self.ctxt, self.identity)
        tree = self.service.list_events(self.ctxt, self.identity,
                                        nested_depth=2)
        self.assertEqual(6, len(flat))
        self.assertNotIn('root_stack_id', flat[0])
        self.assertLessEqual({'root', 'top', 'plain0', 'mid', 'plain1',
                              'leaf'}, {e['resource_name'] for e in tree})
        self.assertEqual(16, len(tree))
        self.assertEqual({self.identity['stack_id']},
                         {e['root_stack_id']['stack_id'] for e in tree})
        times = [e['event_time'] for e in tree]
        self.assertEqual(sorted(times, reverse=True), times)
        leaf = [e for e in tree if e['resource_name'] == 'leaf'][0]
        self.assertNotEqual(self.identity['stack_id'],
                            leaf['stack_identity']['stack_id'])

    def test_progress_counts_every_level(self):
        self.assertEqual({'done': 5, 'in_flight': 0, 'waiting': 0},
                         self.root['progress'])
