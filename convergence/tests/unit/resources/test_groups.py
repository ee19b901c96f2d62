"""OS::Heat::ResourceGroup and OS::Heat::ResourceChain: the child template
they build and the attributes they read from its outputs."""

import testtools

from convergence import resources
from convergence.engine import stack_input
from convergence.exceptions import StackValidationFailed
from convergence.resources import group_batches
from convergence.resources import group_template
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.tests.unit.resources.utils import make_resource, validated

GROUP, CHAIN = 'OS::Heat::ResourceGroup', 'OS::Heat::ResourceChain'
MEMBER = {'type': 'OS::Heat::TestResource',
          'properties': {'value': 'v-%index%', 'action_wait_secs': None,
                         'nested': {'list': ['%index%', 1]}}}


def group(count=2, referenced=(), data=None, outputs=None, **props):
    props = dict({'count': count, 'resource_def': MEMBER}, **props)
    return make_resource(GROUP, props, name='g',
                         referenced_attributes=frozenset(referenced),
                         data=dict(data or {}), nested_outputs=outputs,
                         resource_id=('child-id' if data is not None
                                      else None))


class TestGroupTemplate(testtools.TestCase):

    def test_members_are_numbered_with_the_index_replaced(self):
        child = group(count=2).child_template()
        self.assertEqual(group_template.CHILD_VERSION,
                         child['heat_template_version'])
        self.assertEqual({
            '0': {'type': 'OS::Heat::TestResource',
                  'properties': {'value': 'v-0',
                                 'nested': {'list': ['0', 1]}}},
            '1': {'type': 'OS::Heat::TestResource',
                  'properties': {'value': 'v-1',
                                 'nested': {'list': ['1', 1]}}}},
            child['resources'])

    def test_custom_index_var_and_metadata(self):
        definition = {'type': 'OS::Heat::None', 'metadata': {'m': 1},
                      'properties': {'name': 'n-__i__-%index%'}}
        res = make_resource(GROUP, {'count': 1, 'index_var': '__i__',
                                    'resource_def': definition})
        self.assertEqual({'0': {'type': 'OS::Heat::None',
                                'metadata': {'m': 1},
                                'properties': {'name': 'n-0-%index%'}}},
                         res.child_template()['resources'])

    def test_outputs_only_for_what_the_parent_reads(self):
        res = group(referenced={'refs', 'value', 'resource.1.output',
                                'resource.0', 'resource.7.value',
                                'attributes'})
        self.assertEqual({
            'refs': [{'get_resource': '0'}, {'get_resource': '1'}],
            'value': [{'get_attr': ['0', 'value']},
                      {'get_attr': ['1', 'value']}],
            'resource.1.output': {'get_attr': ['1', 'output']},
            'attributes': {'0': {'get_attr': ['0']},
                           '1': {'get_attr': ['1']}},
            'refs_map': {'0': {'get_resource': '0'},
                         '1': {'get_resource': '1'}}},
            {k: v['value'] for k, v in res.child_template()['outputs'].items()})

    def test_count_zero_is_an_empty_child(self):
        child = group(count=0, referenced={'value'}).child_template()
        self.assertEqual({}, child['resources'])
        self.assertEqual([], child['outputs']['value']['value'])

    def test_validation_template_has_the_first_member_only(self):
        props = validated(GROUP, {'count': 5, 'resource_def': MEMBER})
        child = group_template_for(GROUP, props)
        self.assertEqual(['0'], list(child['resources']))
        props = validated(GROUP, {'count': 0, 'resource_def': MEMBER})
        self.assertEqual({}, group_template_for(GROUP, props)['resources'])

    def test_bad_properties(self):
        for props, text in (
                ({'count': -1, 'resource_def': MEMBER}, 'out of range'),
                ({'resource_def': {'properties': {}}}, 'Property type not'),
                ({'resource_def': MEMBER, 'index_var': 'ab'}, 'length'),
                ({'resource_def': MEMBER, 'removal_policies_mode': 'x'},
                 'not an allowed value')):
            ex = self.assertRaises(StackValidationFailed, validated, GROUP,
                                   props)
            self.assertIn(text, ex.message)


def group_template_for(type_name, props):
    return resources.get_class(type_name).child_template_for_validation(
        props, {}, {})


class TestGroupNames(testtools.TestCase):

    def test_removal_policies_at_create_skip_the_names(self):
        res = group(count=3, removal_policies=[{'resource_list': ['1']}])
        self.assertEqual(['0', '2', '3'],
                         list(res.child_template()['resources']))
        self.assertEqual(['1'], res.get_attribute('removed_rsrc_list'))

    def test_removed_members_are_replaced_by_new_names(self):
        data = {'members': ['0', '1', '2', '3', '4']}
        res = group(count=5, data=data,
                    removal_policies=[{'resource_list': ['1', '2', 3]}])
        self.assertEqual(['0', '4', '5', '6', '7'],
                         list(res.child_template()['resources']))
        self.assertEqual('1,2,3', res.data_get('name_blacklist'))

    def test_removed_names_are_never_reused_in_append_mode(self):
        data = {'members': ['0', '2', '3'], 'name_blacklist': '1'}
        res = group(count=4, data=data)
        self.assertEqual(['0', '2', '3', '4'],
                         list(res.child_template()['resources']))

    def test_update_mode_forgets_earlier_removals(self):
        data = {'members': ['0', '2'], 'name_blacklist': '1'}
        res = group(count=2, data=data, removal_policies_mode='update',
                    removal_policies=[{'resource_list': ['2']}])
        self.assertEqual(['0', '1'], list(res.child_template()['resources']))
        self.assertEqual('2', res.data_get('name_blacklist'))

    def test_a_reference_id_names_its_member(self):
        data = {'members': ['0', '1'],
                'refs_map': {'0': 'phys-a', '1': 'phys-b'}}
        res = group(count=2, data=data,
                    removal_policies=[{'resource_list': ['phys-a', 'zz']}])
        self.assertEqual(['1', '2'], list(res.child_template()['resources']))

    def test_refs_map_is_remembered_once_the_child_converged(self):
        res = group(data={}, outputs={'refs_map': {'0': 'a', '1': 'b'}})
        self.assertEqual('child-id', res.get_reference_id())
        self.assertEqual({'0': 'a', '1': 'b'}, res.data_get('refs_map'))


class TestGroupAttributes(testtools.TestCase):

    OUTPUTS = {'refs': ['a', 'b'], 'refs_map': {'0': 'a', '1': 'b'},
               'value': ['x', 'y'], 'resource.1.value': 'y',
               'attributes': {'0': {'value': 'x', 'output': 1},
                              '1': {'value': 'y', 'output': 2}}}

    def test_attributes_from_the_child_outputs(self):
        res = group(data={}, outputs=self.OUTPUTS)
        self.assertEqual(['a', 'b'], res.get_attribute('refs'))
        self.assertEqual({'0': 'a', '1': 'b'}, res.get_attribute('refs_map'))
        self.assertEqual(['x', 'y'], res.get_attribute('value'))
        self.assertEqual('b', res.get_attribute('resource.1'))
        self.assertEqual('y', res.get_attribute('resource.1.value'))
        self.assertEqual({'value': {'0': 'x', '1': 'y'},
                          'output': {'0': 1, '1': 2}},
                         res.get_attribute('attributes'))
        self.assertEqual([], res.get_attribute('removed_rsrc_list'))

    def test_a_missing_member_is_not_found(self):
        res = group(data={}, outputs=self.OUTPUTS)
        self.assertRaises(Exception, res.get_attribute, 'resource.5')

    def test_any_attribute_name_is_accepted(self):
        self.assertTrue(group().has_attribute('whatever'))

    def test_plan_update(self):
        res = group(data={})
        new = dict(res.properties, count=4)
        self.assertEqual(IN_PLACE, res.plan_update(new).decision)
        self.assertEqual(IN_PLACE, res.plan_update(dict(res.properties))
                         .decision)
        new = dict(res.properties, index_var='__i__')
        self.assertEqual(REPLACE, res.plan_update(new).decision)


def chain(types, referenced=(), outputs=None, resource_id=None, **props):
    props = dict({'resources': types}, **props)
    return make_resource(CHAIN, props, name='c',
                         referenced_attributes=frozenset(referenced),
                         nested_outputs=outputs, resource_id=resource_id)


class TestChain(testtools.TestCase):

    def test_each_member_depends_on_the_one_before(self):
        res = chain(['OS::Heat::None', 'OS::Heat::RandomString'],
                    resource_properties={'length': 8})
        self.assertEqual({
            '0': {'type': 'OS::Heat::None', 'properties': {'length': 8}},
            '1': {'type': 'OS::Heat::RandomString',
                  'properties': {'length': 8}, 'depends_on': ['0']}},
            res.child_template()['resources'])

    def test_concurrent_members_do_not_depend(self):
        res = chain(['OS::Heat::None'] * 2, concurrent=True)
        self.assertNotIn('depends_on',
                         res.child_template()['resources']['1'])

    def test_member_reference_is_its_own_output(self):
        res = chain(['OS::Heat::None'] * 2,
                    referenced={'resource.0', 'refs'})
        outputs = res.child_template()['outputs']
        self.assertEqual({'resource.0', 'refs'}, set(outputs))
        self.assertEqual({'get_resource': '0'},
                         outputs['resource.0']['value'])
        res = chain(['OS::Heat::None'], outputs={'resource.0': 'r0'})
        self.assertEqual('r0', res.get_attribute('resource.0'))

    def test_validation_template(self):
        props = validated(CHAIN, {'resources': ['OS::Heat::None']})
        self.assertEqual(['0'],
                         list(group_template_for(CHAIN, props)['resources']))

    def test_changing_concurrent_replaces_the_chain(self):
        res = chain(['OS::Heat::None'], resource_id='child-id')
        new = validated(CHAIN, {'resources': ['OS::Heat::None'],
                                'concurrent': True})
        self.assertEqual(REPLACE, res.plan_update(new).decision)
        new = validated(CHAIN, {'resources': ['OS::Heat::None'] * 2})
        self.assertEqual(IN_PLACE, res.plan_update(new).decision)


class TestUpdatePolicyValidation(testtools.TestCase):

    def validate(self, policy, type_name=GROUP):
        """Validate a group of None members with ``policy``."""
        template = {'heat_template_version': '2015-04-30', 'resources': {
            'g': {'type': type_name, 'update_policy': policy,
                  'properties': {'resource_def': {'type': 'OS::Heat::None'}}}}}
        definition = stack_input.definition(template, {}, {},
                                            ('id', 'st', 'tenant'))
        stack_input.validate(definition, 1000)

    def test_both_batch_policies_are_accepted(self):
        self.validate({'rolling_update': {'min_in_service': '1',
                                          'max_batch_size': 3,
                                          'pause_time': 0.5},
                       'batch_create': {'max_batch_size': 2}})

    def test_a_value_out_of_range_is_heats_property_error(self):
        ex = self.assertRaises(StackValidationFailed, self.validate,
                               {'rolling_update': {'max_batch_size': 0}})
        self.assertEqual(
            'Property error: resources.g.update_policy.rolling_update.'
            'max_batch_size: 0 is out of range (min: 1, max: None)',
            ex.message)

    def test_a_key_of_the_other_policy_is_an_unknown_property(self):
        ex = self.assertRaises(StackValidationFailed, self.validate,
                               {'batch_create': {'min_in_service': 1}})
        self.assertEqual(
            'Property error: resources.g.update_policy.batch_create: '
            'Unknown Property min_in_service', ex.message)

    def test_an_unknown_policy_key_is_an_unknown_property(self):
        ex = self.assertRaises(StackValidationFailed, self.validate,
                               {'bogus': {}})
        self.assertEqual('Property error: resources.g.update_policy: '
                         'Unknown Property bogus', ex.message)


def _members(count, value='v', failed=()):
    """Members "0".."count-1" as a child built with ``value`` holds them."""
    return [group_batches.Member(str(i), group_template.member(
        'OS::Heat::TestResource', {'value': value}), str(i) in failed)
        for i in range(count)]


class TestGroupBatches(testtools.TestCase):

    def make(self, count, data=None, **props):
        member = {'type': 'OS::Heat::TestResource',
                  'properties': {'value': 'new'}}
        return group(count=count, data=data, resource_def=member, **props)

    def test_batch_create_applies_to_a_create_only(self):
        res = self.make(5)
        policy = {'batch_create': {'max_batch_size': 2, 'pause_time': 1.5},
                  'rolling_update': None}
        self.assertEqual(group_batches.Policy(2, 0, 1.5),
                         res.batch_policy('CREATE', policy, {}))
        self.assertIsNone(res.batch_policy('UPDATE', policy, {}))
        self.assertIsNone(self.make(0).batch_policy('CREATE', policy, {}))

    def test_rolling_update_only_when_the_definition_changes(self):
        res = self.make(5)
        policy = {'rolling_update': {'max_batch_size': 2, 'pause_time': 0,
                                     'min_in_service': 1},
                  'batch_create': None}
        unchanged = dict(res.properties, count=3)
        self.assertIsNone(res.batch_policy('UPDATE', policy, unchanged))
        changed = dict(res.properties, resource_def=MEMBER)
        self.assertEqual(group_batches.Policy(2, 1, 0),
                         res.batch_policy('UPDATE', policy, changed))
        self.assertIsNone(res.batch_policy('CREATE', policy, {}))

    def test_batches_count_failed_members_but_not_removed_ones(self):
        res = self.make(4, data={'name_blacklist': '1', 'members': ['0']})
        members = _members(3, failed={'2'})
        # Size now 2 ("1" is removed, failed "2" counts), target 4.
        self.assertEqual([(4, 2), (4, 2)], res.batches(
            group_batches.Policy(2, 0, 0), members))

    def test_a_batch_template_changes_the_highest_names_first(self):
        res = self.make(4, data={}, referenced={'refs'})
        child = res.batch_template(4, 2, _members(4, 'old'))
        self.assertEqual(['old', 'old', 'new', 'new'],
                         [child['resources'][str(i)]['properties']['value']
                          for i in range(4)])
        self.assertEqual([{'get_resource': str(i)} for i in range(4)],
                         child['outputs']['refs']['value'])
        self.assertEqual(['0', '1', '2', '3'], res.data_get('members'))

    def test_a_batch_template_replaces_failed_and_adds_members(self):
        res = self.make(3, data={})
        child = res.batch_template(3, 2, _members(2, 'old', failed={'0'}))
        self.assertEqual({'0': 'new', '1': 'old', '2': 'new'},
                         {n: r['properties']['value']
                          for n, r in child['resources'].items()})
