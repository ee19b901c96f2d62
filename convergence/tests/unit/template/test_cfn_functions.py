"""The intrinsic functions of CFN templates, each in both CFN versions."""

import testscenarios

from convergence import exceptions
from convergence.template import UNRESOLVED
from convergence.tests.unit.template import base, cfn

load_tests = testscenarios.load_tests_apply_scenarios

BOTH = [('aws', {'header': cfn.AWS}), ('heat', {'header': cfn.HEAT})]
MAPPINGS = {'m': {'k': {'v': 'found', 'l': [1, 2]}}}


class SharedFunctionsTest(cfn.CfnTestCase):
    """Given either CFN version, when a function resolves, then it gives
    Heat's value or Heat's error."""

    scenarios = BOTH

    def test_ref_to_a_parameter_gives_its_value(self):
        self.assertEqual('x', self.resolve(
            {'Ref': 'p'}, self.header,
            Parameters={'p': {'Type': 'String', 'Default': 'x'}}))

    def test_ref_to_a_resource_gives_its_reference_id(self):
        value = self.resolve({'Ref': 'other'}, self.header,
                             resolver=base.FakeResolver(),
                             Resources={'other': {'Type': 'OS::Heat::None'}})
        self.assertEqual('other-id', value)

    def test_ref_to_nothing_known_is_an_incorrect_reference(self):
        self.assertFails('The specified reference "nope" (in unknown) is '
                         'incorrect.', {'Ref': 'nope'}, header=self.header,
                         error=exceptions.InvalidTemplateReference)

    def test_getatt_reads_an_attribute(self):
        resolver = base.FakeResolver({'other': {'a': 'A'}})
        self.assertEqual('A', self.resolve(
            {'Fn::GetAtt': ['other', 'a']}, self.header, resolver=resolver,
            Resources={'other': {'Type': 'OS::Heat::None'}}))

    def test_getatt_needs_exactly_resource_and_attribute(self):
        for args in (['other'], ['other', 'a', 'path'], 'other'):
            self.assertFails(
                'Resources.r.Properties.v.Fn::GetAtt: Arguments to '
                '"Fn::GetAtt" must be of the form [resource_name, attribute]',
                {'Fn::GetAtt': args}, header=self.header,
                Resources={'other': {'Type': 'OS::Heat::None'}})

    def test_getatt_of_an_unknown_resource(self):
        self.assertFails('The specified reference "zz" (in Resources.r.'
                         'Properties.v.Fn::GetAtt) is incorrect.',
                         {'Fn::GetAtt': ['zz', 'a']}, header=self.header)

    def test_join(self):
        self.assertEqual('a-b', self.resolve(
            {'Fn::Join': ['-', ['a', 'b']]}, self.header))

    def test_join_of_a_non_string_names_the_path(self):
        self.assertFails('Resources.r.Properties.v.Fn::Join: Items to join '
                         'must be strings', {'Fn::Join': ['-', ['a', 1]]},
                         header=self.header)

    def test_select_from_a_list_and_a_map(self):
        self.assertEqual('b', self.resolve(
            {'Fn::Select': ['1', ['a', 'b']]}, self.header))
        self.assertEqual('B', self.resolve(
            {'Fn::Select': ['k', {'k': 'B'}]}, self.header))
        self.assertEqual('', self.resolve(
            {'Fn::Select': [5, ['a']]}, self.header))

    def test_split(self):
        self.assertEqual(['a', 'b'], self.resolve(
            {'Fn::Split': [',', 'a,b']}, self.header))
        self.assertFails('Incorrect arguments to "Fn::Split"',
                         {'Fn::Split': [',']}, header=self.header)

    def test_replace(self):
        self.assertEqual('say X', self.resolve(
            {'Fn::Replace': [{'$a': 'X'}, 'say $a']}, self.header))
        self.assertFails('Incorrect arguments to "Fn::Replace"',
                         {'Fn::Replace': {'$a': 'X'}}, header=self.header)

    def test_base64_returns_the_string_unchanged(self):
        self.assertEqual('x', self.resolve({'Fn::Base64': 'x'}, self.header))
        self.assertFails('"Fn::Base64" argument must be a string',
                         {'Fn::Base64': ['x']}, header=self.header)

    def test_find_in_map(self):
        self.assertEqual('found', self.resolve(
            {'Fn::FindInMap': ['m', 'k', 'v']}, self.header,
            Mappings=MAPPINGS))

    def test_find_in_map_with_a_parameter_as_key(self):
        self.assertEqual([1, 2], self.resolve(
            {'Fn::FindInMap': ['m', {'Ref': 'p'}, 'l']}, self.header,
            Mappings=MAPPINGS,
            Parameters={'p': {'Type': 'String', 'Default': 'k'}}))

    def test_find_in_map_names_what_is_missing(self):
        for args, missing in ((['zz', 'k', 'v'], 'no mapping "zz"'),
                              (['m', 'zz', 'v'], 'no key "zz" in mapping'),
                              (['m', 'k', 'zz'], 'no value "zz" under key')):
            self.assertFails('Resources.r.Properties.v.Fn::FindInMap: '
                             '"Fn::FindInMap": %s' % missing,
                             {'Fn::FindInMap': args}, header=self.header,
                             Mappings=MAPPINGS)

    def test_find_in_map_needs_three_arguments(self):
        self.assertFails('Arguments to "Fn::FindInMap" must be of the form '
                         '[mapping_name, key, value]',
                         {'Fn::FindInMap': ['m', 'k']}, header=self.header)

    def test_member_list_to_map(self):
        self.assertEqual({'key': 'door', 'k2': 'v=2'}, self.resolve(
            {'Fn::MemberListToMap': ['Name', 'Value', [
                '.member.0.Name=key', '.member.0.Value=door',
                '.member.1.Name=k2', '.member.1.Value=v=2',
                '.member.2.Name=no-value', 'ignored=1']]}, self.header))

    def test_member_list_to_map_arguments(self):
        self.assertFails('Wrong Arguments try:',
                         {'Fn::MemberListToMap': ['Name', 'Value']},
                         header=self.header)
        self.assertFails('Fn::MemberListToMap Key Name must be a string',
                         {'Fn::MemberListToMap': [1, 'Value', []]},
                         header=self.header)
        self.assertFails('Member list items must be strings',
                         {'Fn::MemberListToMap': ['Name', 'Value', [1]]},
                         header=self.header)

    def test_get_azs_fails_as_heat_without_nova(self):
        self.assertFails('Resources.r.Properties.v.Fn::Select[1].Fn::GetAZs: '
                         'Could not find requested endpoint in Service '
                         'Catalog.', {'Fn::Select': [0, {'Fn::GetAZs': ''}]},
                         header=self.header)

    def test_resource_facade_outside_a_nested_stack(self):
        self.assertFails('Resources.r.Properties.v.Fn::ResourceFacade: '
                         '"Fn::ResourceFacade" is only valid in a nested '
                         'stack',
                         {'Fn::ResourceFacade': 'Metadata'},
                         header=self.header,
                         error=exceptions.StackValidationFailed)

    def test_an_unknown_fn_is_refused(self):
        self.assertFails('Resources.r.Properties.v.Fn::Foo: "Fn::Foo" is not '
                         'a function of', {'Fn::Foo': 1}, header=self.header,
                         error=exceptions.StackValidationFailed)

    def test_hot_function_names_are_plain_data(self):
        self.assertEqual({'get_param': 'p'}, self.resolve(
            {'get_param': 'p'}, self.header))

    def test_resource_references_are_unresolved_without_resolver(self):
        self.assertIs(UNRESOLVED, self.resolve(
            {'Ref': 'other'}, self.header,
            Resources={'other': {'Type': 'OS::Heat::None'}}))


class AwsConditionFunctionsTest(cfn.CfnTestCase):
    """Given AWS 2010-09-09 Conditions, when they are evaluated, then they
    decide Fn::If and the Condition keys."""

    def decide(self, condition, **sections):
        return self.resolve({'Fn::If': ['c', 'yes', 'no']},
                            Conditions={'c': condition}, **sections)

    def test_equals_with_a_parameter(self):
        params = {'p': {'Type': 'String', 'Default': 'a'}}
        self.assertEqual('yes', self.decide(
            {'Fn::Equals': [{'Ref': 'p'}, 'a']}, Parameters=params))
        self.assertEqual('no', self.decide(
            {'Fn::Equals': [{'Ref': 'p'}, 'b']}, Parameters=params))

    def test_equals_with_a_pseudo_parameter(self):
        self.assertEqual('yes', self.decide(
            {'Fn::Equals': [{'Ref': 'AWS::Region'}, 'ap-southeast-1']}))

    def test_not_takes_a_list_of_one_condition(self):
        self.assertEqual('no', self.decide({'Fn::Not': [True]}))
        self.assertEqual('yes', self.decide({'Fn::Not': [False]}))
        self.assertFails('Conditions.c.Fn::Not: Arguments to "Fn::Not" must '
                         'be of the form: [condition]',
                         {'Fn::If': ['c', 1, 2]},
                         Conditions={'c': {'Fn::Not': True}})

    def test_and_or(self):
        self.assertEqual('no', self.decide({'Fn::And': [True, False]}))
        self.assertEqual('yes', self.decide({'Fn::Or': [True, False]}))
        self.assertFails('The minimum number of condition arguments to '
                         '"Fn::And" is 2.', {'Fn::If': ['c', 1, 2]},
                         Conditions={'c': {'Fn::And': [True]}})

    def test_conditions_name_other_conditions(self):
        self.assertEqual('no', self.resolve(
            {'Fn::If': ['c', 'yes', 'no']},
            Conditions={'t': True, 'c': {'Fn::Not': ['t']}}))

    def test_find_in_map_in_a_condition(self):
        self.assertEqual('yes', self.decide(
            {'Fn::Equals': [{'Fn::FindInMap': ['m', 'k', 'v']}, 'found']},
            Mappings=MAPPINGS))

    def test_ref_in_a_condition_names_parameters_only(self):
        self.assertFails('The specified reference "other" (in unknown) is '
                         'incorrect.', {'Fn::If': ['c', 1, 2]},
                         Conditions={'c': {'Fn::Equals': [{'Ref': 'other'},
                                                          'x']}},
                         Resources={'other': {'Type': 'OS::Heat::None'}})

    def test_other_functions_are_invalid_in_a_condition(self):
        self.assertFails('Conditions.c.Fn::Equals[0].Fn::Join: The function '
                         '"Fn::Join" is invalid in this context',
                         {'Fn::If': ['c', 1, 2]},
                         Conditions={'c': {'Fn::Equals': [
                             {'Fn::Join': ['', ['a']]}, 'a']}})

    def test_if_with_an_unknown_condition(self):
        self.assertFails('Invalid condition "nope"',
                         {'Fn::If': ['nope', 1, 2]})

    def test_if_needs_three_arguments(self):
        self.assertFails('Arguments to "Fn::If" must be of the form: '
                         '[condition_name, value_if_true, value_if_false]',
                         {'Fn::If': [True, 1]})

    def test_condition_functions_outside_conditions_are_data(self):
        self.assertEqual({'Fn::Equals': [1, 1]},
                         self.resolve({'Fn::Equals': [1, 1]}))


class HeatVersionConditionsTest(cfn.CfnTestCase):
    """Given HeatTemplateFormatVersion 2012-12-12, which has no conditions,
    then Fn::If is no function of it."""

    def test_if_is_refused(self):
        self.assertFails('"Fn::If" is not a function of '
                         'HeatTemplateFormatVersion 2012-12-12',
                         {'Fn::If': [True, 1, 2]}, header=cfn.HEAT,
                         error=exceptions.StackValidationFailed)


class Hot20130523Test(base.TemplateTestCase):
    """Given HOT 2013-05-23, which has the CFN functions too, then they are
    the same ones."""

    def test_member_list_to_map(self):
        self.assertEqual({'k': 'v'}, self.resolve(
            {'Fn::MemberListToMap': ['Name', 'Value', [
                '.member.0.Name=k', '.member.0.Value=v']]},
            version='2013-05-23'))

    def test_get_azs(self):
        self.assertFails('Could not find requested endpoint',
                         {'Fn::GetAZs': ''}, version='2013-05-23')
