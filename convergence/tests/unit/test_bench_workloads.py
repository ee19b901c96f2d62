"""The benchmark's nested workloads: the templates both engines are sent."""

import testtools

from bench import workloads
from convergence.template import template_format


def _resources(text_or_dict) -> dict:
    return template_format.parse_template(text_or_dict)['resources']


class TestTree(testtools.TestCase):

    def test_a_thousand_leaves_are_ten_by_ten_by_ten(self):
        root, files = workloads.nested_workload('tree', 1000)
        mid = _resources(files[workloads.MID_FILE])
        leaf_group = _resources(files[workloads.LEAF_FILE])
        self.assertEqual((10, 10, 10), (len(root['resources']), len(mid),
                                        len(leaf_group)))
        self.assertEqual(111, workloads.nested_stacks('tree', 1000))

    def test_a_hundred_leaves_are_five_by_five_by_four(self):
        root, files = workloads.nested_workload('tree', 100)
        self.assertEqual(5, len(root['resources']))
        self.assertEqual(5, len(_resources(files[workloads.MID_FILE])))
        self.assertEqual(4, len(_resources(files[workloads.LEAF_FILE])))
        self.assertEqual(31, workloads.nested_stacks('tree', 100))

    def test_the_root_value_is_passed_down_to_every_leaf(self):
        root, files = workloads.nested_workload('tree', 100, 'v2')
        self.assertEqual({'value': 'v2'}, root['resources']['m00'][
            'properties'])
        for name in (workloads.MID_FILE, workloads.LEAF_FILE):
            for body in _resources(files[name]).values():
                self.assertEqual({'value': {'get_param': 'value'}},
                                 body['properties'])
        self.assertEqual('OS::Heat::None', _resources(
            files[workloads.LEAF_FILE])['r00']['type'])

    def test_a_size_without_a_fanout_is_refused(self):
        self.assertRaises(ValueError, workloads.nested_workload, 'tree', 50)


class TestGroup(testtools.TestCase):

    def test_the_update_changes_the_members_definition(self):
        before, files = workloads.nested_workload('group', 1000)
        after, _ = workloads.nested_workload('group', 1000, 'v2')
        group = before['resources']['group']
        self.assertEqual(({}, workloads.GROUP_TYPE, 1000),
                         (files, group['type'], group['properties']['count']))
        self.assertEqual({'value': 'v2'}, after['resources']['group'][
            'properties']['resource_def']['properties'])

    def test_an_unknown_shape_is_refused(self):
        self.assertRaises(ValueError, workloads.nested_workload, 'forest', 8)
