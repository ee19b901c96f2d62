"""The conditions section, condition functions, ``if``, and what a false
condition leaves out."""

import testtools

from convergence import exceptions
from convergence.tests.unit.template import base

# The HOT template of Heat's functional test_conditions.py.
HEAT_CONDITIONS = '''
heat_template_version: 2016-10-14
parameters:
  env_type: {default: test, type: string,
             constraints: [{allowed_values: [prod, test]}]}
  zone: {type: string, default: beijing}
conditions:
  prod: {equals : [{get_param: env_type}, "prod"]}
  test: {not: {equals: [{get_param: env_type}, prod]}}
  beijing_prod:
    and:
    - equals: [{get_param: zone}, beijing]
    - equals: [{get_param: env_type}, prod]
  xian_zone: {equals: [{get_param: zone}, xian]}
  xianyang_zone: {equals: [{get_param: zone}, xianyang]}
  fujian_zone:
    or:
    - equals: [{get_param: zone}, fuzhou]
    - equals: [{get_param: zone}, xiamen]
  fujian_prod: {and: [fujian_zone, prod]}
  shannxi_provice: {or: [xian_zone, xianyang_zone]}
  not_shannxi: {not: shannxi_provice}
resources:
  test_res:
    type: OS::Heat::TestResource
    properties:
      value: {if: ["prod", "env_is_prod", "env_is_test"]}
  prod_res:
    type: OS::Heat::TestResource
    properties: {value: prod_res}
    condition: prod
  test_res1:
    type: OS::Heat::TestResource
    properties: {value: just in test env}
    condition: test
  beijing_prod_res:
    type: OS::Heat::TestResource
    properties: {value: beijing_prod_res}
    condition: beijing_prod
  fujian_res:
    type: OS::Heat::TestResource
    condition: fujian_zone
    properties: {value: fujian_res}
  fujian_prod_res:
    type: OS::Heat::TestResource
    condition: fujian_prod
    properties: {value: fujian_prod_res}
  shannxi_res:
    type: OS::Heat::TestResource
    condition: shannxi_provice
    properties: {value: shannxi_res}
  not_shannxi_res:
    type: OS::Heat::TestResource
    condition: not_shannxi
    properties: {value: not_shannxi_res}
outputs:
  res_value:
    value: {get_attr: [prod_res, output]}
    condition: prod
  test_res_value:
    value: {get_attr: [test_res, output]}
  prod_resource:
    value: {if: [prod, {get_resource: prod_res}, 'no_prod_res']}
  test_res1_value:
    value: {if: [test, {get_attr: [test_res1, output]}, 'no_test_res1']}
  beijing_prod_res:
    value: {if: [beijing_prod, {get_resource: beijing_prod_res},
                 'no_prod_res']}
'''


class HeatConditionsTemplateTest(testtools.TestCase):

    def stack(self, **params):
        defn = base.definition(HEAT_CONDITIONS, params)
        defn.validate()
        return defn

    def outputs(self, defn):
        resolver = base.FakeResolver(
            {name: {'output': name} for name in defn.resource_names()})
        return {k: defn.resolve_output(k, resolver)
                for k in defn.output_names()}

    def test_test_environment(self):
        defn = self.stack()
        self.assertEqual(['test_res', 'test_res1', 'not_shannxi_res'],
                         defn.resource_names())
        self.assertEqual(
            {'value': 'env_is_test'},
            defn.resource_definition('test_res').properties())
        self.assertEqual({'res_value': None, 'test_res_value': 'test_res',
                          'prod_resource': 'no_prod_res',
                          'test_res1_value': 'test_res1',
                          'beijing_prod_res': 'no_prod_res'},
                         self.outputs(defn))

    def test_prod_environment(self):
        defn = self.stack(env_type='prod')
        self.assertEqual(['test_res', 'prod_res', 'beijing_prod_res',
                          'not_shannxi_res'], defn.resource_names())
        self.assertEqual({'res_value': 'prod_res',
                          'test_res_value': 'test_res',
                          'prod_resource': 'prod_res-id',
                          'test_res1_value': 'no_test_res1',
                          'beijing_prod_res': 'beijing_prod_res-id'},
                         self.outputs(defn))

    def test_fujian_prod(self):
        defn = self.stack(env_type='prod', zone='xiamen')
        self.assertEqual(['test_res', 'prod_res', 'fujian_res',
                          'fujian_prod_res', 'not_shannxi_res'],
                         defn.resource_names())

    def test_shannxi(self):
        defn = self.stack(zone='xianyang')
        self.assertEqual(['test_res', 'test_res1', 'shannxi_res'],
                         defn.resource_names())

    def test_disabled_resource_is_not_a_definition(self):
        defn = self.stack()
        self.assertRaises(exceptions.ResourceNotFound,
                          defn.resource_definition, 'prod_res')


def conditions_stack(conditions, resources=None, params=None,
                     version='2016-10-14'):
    return base.definition({'heat_template_version': version,
                            'parameters': {'p': {'type': 'string',
                                                 'default': 'a'},
                                           'flag': {'type': 'boolean',
                                                    'default': True}},
                            'conditions': conditions,
                            'resources': resources or {}}, params)


class ConditionErrorsTest(testtools.TestCase):

    def invalid(self, conditions, resources=None, version='2016-10-14',
                error=exceptions.StackValidationFailed):
        defn = conditions_stack(conditions, resources, version=version)
        return str(self.assertRaises(error, defn.validate))

    def test_circular(self):
        self.assertEqual('Condition validation error: Circular definition '
                         'for condition "a"',
                         self.invalid({'a': {'not': 'b'}, 'b': {'not': 'a'}}))

    def test_self_reference(self):
        self.assertIn('Circular definition for condition "a"',
                      self.invalid({'a': {'and': ['a', True]}}))

    def test_unknown_condition_name(self):
        self.assertEqual('conditions.a.not: Invalid condition "nope"',
                         self.invalid({'a': {'not': 'nope'}}))

    def test_definition_must_be_boolean(self):
        self.assertEqual('Condition validation error: The definition of '
                         'condition "a" is invalid: yes',
                         self.invalid({'a': 'yes'}))
        self.assertIn('The definition of condition "b" is invalid: a',
                      self.invalid({'b': {'get_param': 'p'}}))

    def test_boolean_parameter_is_a_condition(self):
        defn = conditions_stack({'a': {'get_param': 'flag'}},
                                {'r': {'type': 'T', 'condition': 'a'}},
                                params={'flag': 'false'})
        defn.validate()
        self.assertEqual([], defn.resource_names())

    def test_regular_functions_are_invalid_in_conditions(self):
        self.assertEqual('conditions.a.get_attr: The function "get_attr" is '
                         'invalid in this context',
                         self.invalid({'a': {'get_attr': ['r', 'x']}}))

    def test_contains_needs_2017_09_01(self):
        self.assertIn('The function "contains" is not available',
                      self.invalid({'a': {'contains': ['a', ['a']]}}))
        conditions_stack({'a': {'contains': ['a', ['a']]}},
                         version='2017-09-01').validate()

    def test_and_or_arguments(self):
        self.assertIn('The minimum number of condition arguments to "and" is '
                      '2.', self.invalid({'a': {'and': [True]}}))
        self.assertIn('Arguments to "or" must be a list of conditions',
                      self.invalid({'a': {'or': 'x'}}))
        self.assertIn('Argument to "not" must be a condition',
                      self.invalid({'a': {'not': None}}))
        self.assertIn('Arguments to "equals" must be of the form: '
                      '[value_1, value_2]',
                      self.invalid({'a': {'equals': [1]}}))

    def test_section_must_be_a_map(self):
        self.assertIn('The "conditions" section must be a map, not list',
                      self.invalid(['a']))

    def test_section_unknown_before_2016_10_14(self):
        self.assertEqual('The template section is invalid: conditions',
                         self.invalid({}, version='2016-04-08',
                                      error=exceptions.InvalidTemplateSection))

    def test_resource_condition_must_exist(self):
        self.assertEqual('resources.r.condition: Invalid condition "nope"',
                         self.invalid({}, {'r': {'type': 'T',
                                                 'condition': 'nope'}}))

    def test_resource_condition_type(self):
        self.assertIn('Resource r condition type must be string_or_boolean',
                      self.invalid({}, {'r': {'type': 'T', 'condition': 5}}))


class ConditionFormsTest(base.TemplateTestCase):

    def test_literal_and_inline_conditions(self):
        defn = conditions_stack({}, {
            'on': {'type': 'T', 'condition': True},
            'off': {'type': 'T', 'condition': False},
            'inline': {'type': 'T',
                       'condition': {'equals': [{'get_param': 'p'}, 'a']}}})
        defn.validate()
        self.assertEqual(['on', 'inline'], defn.resource_names())

    def test_if_with_inline_condition(self):
        self.assertEqual('yes', self.resolve(
            {'if': [{'not': False}, 'yes', 'no']}))

    def test_if_with_unknown_condition(self):
        self.assertFails('resources.r.properties.v.if: Invalid condition '
                         '"nope"', {'if': ['nope', 1, 2]})

    def test_if_arguments(self):
        self.assertFails('Arguments to "if" must be of the form: '
                         '[condition_name, value_if_true, value_if_false]',
                         {'if': [True, 1]}, version='2018-08-31')

    def test_untaken_branch_is_never_parsed(self):
        self.assertEqual('ok', self.resolve(
            {'if': [False, {'get_resource': 'missing'}, 'ok']}))

    def test_omitted_if_leaves_out_list_items_and_keys(self):
        self.assertEqual([1, {'k': 2}], self.resolve(
            [1, {'if': [False, 'x']}, {'k': 2, 'j': {'if': [False, 3]}}]))

    def test_dependencies_follow_the_taken_branch(self):
        defn = conditions_stack({'c': {'equals': [{'get_param': 'p'}, 'b']}}, {
            'a': {'type': 'T'}, 'b': {'type': 'T'},
            'r': {'type': 'T', 'properties': {'v': {'if': [
                'c', {'get_resource': 'a'}, {'get_resource': 'b'}]}}}})
        self.assertEqual({'b'}, defn.dependencies()['r'])

    def test_depends_on_a_disabled_resource_is_dropped(self):
        defn = conditions_stack({}, {
            'off': {'type': 'T', 'condition': False},
            'r': {'type': 'T', 'depends_on': ['off']}})
        defn.validate()
        self.assertEqual({'r': set()}, defn.dependencies())

    def test_get_resource_of_a_disabled_resource_is_an_error(self):
        defn = conditions_stack({}, {
            'off': {'type': 'T', 'condition': False},
            'r': {'type': 'T', 'properties': {'v': {'get_resource': 'off'}}}})
        self.assertRaises(exceptions.InvalidTemplateReference, defn.validate)

    def test_output_condition(self):
        defn = conditions_stack({}, {}, version='2016-10-14')
        defn.template.t['outputs'] = {
            'o': {'value': {'get_attr': ['gone', 'x']}, 'condition': False}}
        defn.validate()
        self.assertEqual(['o'], defn.output_names())
        self.assertIsNone(defn.resolve_output('o', base.FakeResolver()))

    def test_lower_case_deletion_policy_from_2016_10_14(self):
        defn = conditions_stack({}, {'r': {'type': 'T',
                                           'deletion_policy': 'retain'}})
        self.assertEqual('Retain',
                         defn.resource_definition('r').deletion_policy)
