"""What a user sees of a tree of stacks, through python-heatclient.

A root stack holds a provider template (``level1.yaml``) which holds
another (``level2.yaml``): three stacks, two levels of nesting.  The same
tests pass against the reference Heat (CONVERGENCE_TEST_ENDPOINT).
"""

from functional_tests import base

LEVEL2 = '''
heat_template_version: 2016-10-14
parameters:
  v: {type: string, default: two}
resources:
  leaf:
    type: OS::Heat::Value
    properties: {value: {get_param: v}}
outputs:
  out: {value: {get_attr: [leaf, value]}}
'''
LEVEL1 = '''
heat_template_version: 2016-10-14
resources:
  mid:
    type: level2.yaml
    properties: {v: middle}
  plain1:
    type: OS::Heat::None
outputs:
  out: {value: {get_attr: [mid, out]}}
'''
ROOT = '''
heat_template_version: 2016-10-14
resources:
  top:
    type: level1.yaml
  plain0:
    type: OS::Heat::None
outputs:
  out: {value: {get_attr: [top, out]}}
'''
FILES = {'level1.yaml': LEVEL1, 'level2.yaml': LEVEL2}


class NestedViewsTest(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.identifier = self.create_stack(ROOT, files=FILES)
        self.root_id = self.identifier.split('/')[1]

    def _nested_link(self, stack: str, resource: str) -> str:
        """``name/id`` of the stack the resource's ``nested`` link names."""
        res = self.client.resources.get(stack, resource)
        [href] = [lk['href'] for lk in res.links if lk['rel'] == 'nested']
        self.assertEqual(res.physical_resource_id, href.split('/')[-1])
        return '/'.join(href.split('/')[-2:])

    def _link(self, item, rel: str) -> str:
        [href] = [lk['href'] for lk in item.links if lk['rel'] == rel]
        return href.split('/stacks/', 1)[1]

    def test_stack_list_shows_nested_stacks_only_when_asked(self):
        listed = {s.id for s in self.client.stacks.list()}
        self.assertIn(self.root_id, listed)
        child = self._nested_link(self.identifier, 'top')
        child_id = child.split('/')[1]
        self.assertNotIn(child_id, listed)
        nested = {s.id: s for s in self.client.stacks.list(show_nested=True)}
        self.assertEqual(self.root_id, nested[child_id].parent)
        self.assertIsNone(nested[self.root_id].parent)
        owned = self.client.stacks.list(
            show_nested=True, filters={'owner_id': self.root_id})
        self.assertEqual([child_id], [s.id for s in owned])
        # As Heat: a parent filter without show_nested finds nothing.
        self.assertEqual([], list(self.client.stacks.list(
            filters={'parent': self.root_id})))

    def test_a_nested_stack_by_id_and_by_name(self):
        child = self._nested_link(self.identifier, 'top')
        name, child_id = child.split('/')
        by_id = self.client.stacks.get(child_id)
        by_name = self.client.stacks.get(name)
        self.assertEqual((name, child_id), (by_id.stack_name, by_id.id))
        self.assertEqual(child_id, by_name.id)
        self.assertEqual(self.root_id, by_id.parent)
        self.assertEqual({'out': 'middle'},
                         {o['output_key']: o['output_value']
                          for o in by_id.outputs})
        grandchild = self._nested_link(child, 'mid')
        self.assertEqual(child_id,
                         self.client.stacks.get(grandchild).parent)

    def test_resource_list_to_a_nested_depth(self):
        def listed(depth, **kwargs):
            return [(r.resource_name, getattr(r, 'parent_resource', None))
                    for r in self.client.resources.list(
                        self.identifier, nested_depth=depth, **kwargs)]
        self.assertEqual({('top', None), ('plain0', None)}, set(listed(0)))
        one = listed(1)
        self.assertEqual({('top', None), ('plain0', None)}, set(one[:2]))
        self.assertEqual({('mid', 'top'), ('plain1', 'top')}, set(one[2:]))
        two = listed(2)
        self.assertEqual(one, two[:4])
        self.assertEqual([('leaf', 'mid')], two[4:])
        self.assertEqual([('leaf', 'mid')], listed(2, filters={
            'name': 'leaf'}))
        self.assertEqual({('plain0', None), ('plain1', 'top')}, set(
            listed(2, filters={'type': 'OS::Heat::None'})))

    def test_resource_links_and_attributes_of_nested_resources(self):
        rows = {r.resource_name: r for r in self.client.resources.list(
            self.identifier, nested_depth=2, with_detail=True)}
        child = self._nested_link(self.identifier, 'top')
        grandchild = self._nested_link(child, 'mid')
        self.assertEqual(child, '/'.join(
            self._link(rows['top'], 'nested').split('/')))
        self.assertEqual(child, self._link(rows['mid'], 'stack'))
        self.assertEqual(grandchild, self._link(rows['leaf'], 'stack'))
        self.assertEqual(['self', 'stack'],
                         [lk['rel'] for lk in rows['leaf'].links])
        self.assertEqual({'out': 'middle'}, rows['top'].attributes)
        self.assertEqual({'value': 'middle'}, rows['leaf'].attributes)
        mid = self.client.resources.get(child, 'mid')
        self.assertEqual('top', mid.parent_resource)
        self.assertEqual({'out': 'middle'}, mid.attributes)

    def test_event_list_to_a_nested_depth(self):
        flat = self.client.events.list(self.identifier)
        self.assertEqual(6, len(flat))
        tree = self.client.events.list(self.identifier, nested_depth=2)
        self.assertEqual(16, len(tree))
        names = {e.resource_name for e in tree}
        self.assertLessEqual({'top', 'plain0', 'mid', 'plain1', 'leaf'},
                             names)
        root = self.identifier
        for event in tree:
            self.assertEqual(root, self._link(event, 'root_stack'))
        leaf_stack = self._nested_link(self._nested_link(root, 'top'), 'mid')
        leaf_events = [e for e in tree if e.resource_name == 'leaf']
        self.assertEqual({leaf_stack},
                         {self._link(e, 'stack') for e in leaf_events})
        times = [e.event_time for e in tree]
        self.assertEqual(sorted(times, reverse=True), times)
        one = self.client.events.list(self.identifier, nested_depth=1)
        self.assertEqual(12, len(one))
        self.assertNotIn('leaf', {e.resource_name for e in one})
        first_page = self.client.events.list(self.identifier, nested_depth=2,
                                             limit=3)
        self.assertEqual([e.id for e in tree[:3]],
                         [e.id for e in first_page])
