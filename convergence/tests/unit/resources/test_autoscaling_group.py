"""OS::Heat::AutoScalingGroup: its size, its members and its attributes;
and the scaling arithmetic (``scaling``) it shares with scaling policies."""

import testtools

from convergence import exceptions
from convergence.resources import group_batches
from convergence.resources import scaling
from convergence.tests.unit.resources.utils import make_resource

ASG = 'OS::Heat::AutoScalingGroup'
MEMBER = {'type': 'OS::Heat::RandomString', 'properties': {'length': 8}}
NEW_MEMBER = {'type': 'OS::Heat::RandomString', 'properties': {'length': 9}}


def asg(referenced=(), members=None, outputs=None, **props):
    props = dict({'min_size': 1, 'max_size': 5, 'resource': MEMBER}, **props)
    data = {} if members is None else {'members': list(members)}
    return make_resource(ASG, props, name='asg',
                         referenced_attributes=frozenset(referenced),
                         data=data, nested_outputs=outputs,
                         resource_id=None if members is None else 'child')


def members(res, names):
    return [group_batches.Member(n, MEMBER, False) for n in names]


class NewCapacityTest(testtools.TestCase):

    def test_change_and_exact_within_the_bounds(self):
        self.assertEqual(4, scaling.new_capacity(3, 1, 'change_in_capacity',
                                                 None, 1, 5))
        self.assertEqual(5, scaling.new_capacity(5, 1, 'change_in_capacity',
                                                 None, 1, 5))
        self.assertEqual(1, scaling.new_capacity(1, -1, 'change_in_capacity',
                                                 None, 1, 5))
        self.assertEqual(0, scaling.new_capacity(3, 0, 'exact_capacity',
                                                 None, 0, 5))

    def test_percent_rounds_toward_zero_but_moves_at_least_one(self):
        pct = 'percent_change_in_capacity'
        self.assertEqual(11, scaling.new_capacity(10, 15, pct, None, 0, 99))
        self.assertEqual(9, scaling.new_capacity(10, -15, pct, None, 0, 99))
        self.assertEqual(3, scaling.new_capacity(2, 10, pct, None, 0, 99))
        self.assertEqual(13, scaling.new_capacity(10, 15, pct, 3, 0, 99))

    def test_unknown_type(self):
        self.assertRaises(ValueError, scaling.new_capacity, 1, 1, 'other',
                          None, 0, 9)


class MemberDefinitionsTest(testtools.TestCase):

    def names(self):
        counter = iter('xyz')
        return lambda: next(counter)

    def test_shrinking_drops_the_first_to_go(self):
        old = [('a', MEMBER), ('b', MEMBER), ('c', MEMBER)]
        self.assertEqual([('b', MEMBER), ('c', MEMBER)], list(
            scaling.member_definitions(old, MEMBER, 2, 2, self.names())))

    def test_growing_adds_new_names_with_the_new_definition(self):
        old = [('a', MEMBER)]
        self.assertEqual([('a', MEMBER), ('x', NEW_MEMBER)], list(
            scaling.member_definitions(old, NEW_MEMBER, 2, 1, self.names())))

    def test_changed_counts_new_members_first(self):
        old = [('a', MEMBER), ('b', MEMBER)]
        self.assertEqual(
            [('a', NEW_MEMBER), ('b', MEMBER), ('x', NEW_MEMBER)],
            list(scaling.member_definitions(old, NEW_MEMBER, 3, 2,
                                            self.names())))


class AutoScalingGroupTest(testtools.TestCase):

    def test_created_at_desired_capacity_else_min_size(self):
        self.assertEqual(3, len(asg(desired_capacity=3).child_template()
                                ['resources']))
        self.assertEqual(2, len(asg(min_size=2).child_template()
                                ['resources']))

    def test_member_names_are_short_ids_stable_for_the_group(self):
        first = list(asg(desired_capacity=2).child_template()['resources'])
        again = list(asg(desired_capacity=2).child_template()['resources'])
        self.assertEqual(first, again)
        self.assertEqual(2, len(set(first)))
        for name in first:
            self.assertRegex(name, '^[a-z2-7]{12}$')

    def test_the_members_are_remembered_oldest_first(self):
        res = asg(desired_capacity=2)
        names = list(res.child_template()['resources'])
        self.assertEqual(names, res.data_get('members'))

    def test_update_keeps_the_size_unless_desired_capacity_says(self):
        res = asg(members=['a', 'b', 'c'])
        self.assertEqual(3, res.target_size(3))
        res = asg(members=['a', 'b', 'c'], desired_capacity=2)
        self.assertEqual(2, res.target_size(3))
        res = asg(members=['a', 'b', 'c'], max_size=2)
        self.assertEqual(2, res.target_size(3))

    def test_a_resize_is_one_batch_a_new_definition_rolls(self):
        res = asg(members=['a', 'b'], desired_capacity=3)
        policy = res.batch_policy('UPDATE', {}, {'resource': MEMBER})
        self.assertEqual([(3, 3)], res.batches(policy, members(res, 'ab')))
        template = res.batch_template(3, 3, members(res, 'ab'))
        self.assertEqual(['a', 'b'], list(template['resources'])[:2])
        rolling = asg(members=['a', 'b'], resource=NEW_MEMBER).batch_policy(
            'UPDATE', {}, {'resource': MEMBER})
        self.assertEqual(group_batches.Policy(1, 0, 0), rolling)
        self.assertIsNone(res.batch_policy('CREATE', {}, {}))

    def test_rolling_batches_change_one_member_at_a_time(self):
        res = asg(members=['a', 'b'], resource=NEW_MEMBER)
        policy = res.batch_policy('UPDATE', {}, {'resource': MEMBER})
        plan = res.batches(policy, members(res, 'ab'))
        self.assertEqual([(2, 1), (2, 1)], plan)
        first = res.batch_template(2, 1, members(res, 'ab'))['resources']
        self.assertEqual({'a': NEW_MEMBER, 'b': MEMBER}, first)

    def test_rolling_batches_are_heats_instance_group_plan(self):
        # Heat's OS::Heat::AutoScalingGroup is an InstanceGroup: the spare
        # members kept in service count as up to date.
        res = asg(members=list('abcde'), resource=NEW_MEMBER,
                  rolling_updates={'min_in_service': 4, 'max_batch_size': 4})
        policy = res.batch_policy('UPDATE', {}, {'resource': MEMBER})
        self.assertEqual([(8, 4), (5, 1)],
                         res.batches(policy, members(res, 'abcde')))

    def test_sizes_must_fit_together(self):
        exc = self.assertRaises(exceptions.StackValidationFailed, asg,
                                min_size=3, max_size=2)
        self.assertIn('MinSize can not be greater than MaxSize', str(exc))
        exc = self.assertRaises(exceptions.StackValidationFailed, asg,
                                desired_capacity=9)
        self.assertIn('DesiredCapacity must be between MinSize and MaxSize',
                      str(exc))

    def test_outputs_for_what_the_parent_reads(self):
        res = asg(desired_capacity=2, referenced={'outputs_list',
                                                  'resource.1.value'})
        child = res.child_template()
        names = list(child['resources'])
        outputs = {k: v['value'] for k, v in child['outputs'].items()}
        self.assertEqual({n: {'get_resource': n} for n in names},
                         outputs['refs_map'])
        self.assertEqual({n: {'get_attr': [n]} for n in names},
                         outputs['attributes'])
        self.assertEqual({'get_attr': [names[1], 'value']},
                         outputs['resource.1.value'])

    def test_attributes_in_member_order(self):
        outputs = {'refs_map': {'b': 'id-b', 'a': 'id-a'},
                   'attributes': {'a': {'value': 'A'}, 'b': {'value': 'B'}},
                   'resource.1.value': 'B'}
        res = asg(members=['a', 'b'], outputs=outputs)
        self.assertEqual(2, res.get_attribute('current_size'))
        self.assertEqual(['id-a', 'id-b'], res.get_attribute('refs'))
        self.assertEqual({'value': ['A', 'B']},
                         res.get_attribute('outputs_list'))
        self.assertEqual({'value': {'a': 'A', 'b': 'B'}},
                         res.get_attribute('outputs'))
        self.assertEqual('id-b', res.get_attribute('resource.1'))
        self.assertEqual('B', res.get_attribute('resource.1.value'))
        exc = self.assertRaises(exceptions.NotFound, res.get_attribute,
                                'resource.2')
        self.assertIn("Member '2' not found in group resource 'asg'.",
                      str(exc))
