"""``yaql``: parsed with the template, evaluated with its data, bounded."""

import testtools

from convergence import exceptions
from convergence.template import yaql_function
from convergence.tests.unit.template import base
from convergence.tests.unit.template.test_conditions import conditions_stack

NEWTON = '2016-10-14'


class YaqlTest(base.TemplateTestCase):

    def test_evaluates_on_its_data(self):
        self.assertEqual(6, self.resolve({'yaql': {
            'expression': '$.data.var1.sum()',
            'data': {'var1': [3, 2, 1]}}}, version=NEWTON))

    def test_data_from_a_parameter(self):
        self.assertEqual(['A', 'B'], self.resolve(
            {'yaql': {'expression': '$.data.names.select($.toUpper())',
                      'data': {'names': {'get_param': 'names'}}}},
            parameters={'names': {'type': 'comma_delimited_list'}},
            params={'names': 'a,b'}))

    def test_data_is_optional(self):
        self.assertEqual(3, self.resolve({'yaql': {'expression': '1 + 2'}}))

    def test_computed_expression(self):
        self.assertEqual(2, self.resolve({'yaql': {
            'expression': {'str_replace': {'template': '$.data.x * N',
                                           'params': {'N': 2}}},
            'data': {'x': 1}}}))

    def test_sets_come_out_as_sorted_lists(self):
        self.assertEqual([1, 2, 3], self.resolve({'yaql': {
            'expression': '$.data.l.toSet()', 'data': {'l': [3, 1, 2, 1]}}}))

    def test_data_from_a_resource_waits_for_it(self):
        value = {'yaql': {'expression': '$.data.a.len()',
                          'data': {'a': {'get_attr': ['o', 'list']}}}}
        self.assertEqual(2, self.resolve(
            value, others=['o'],
            resolver=base.FakeResolver({'o': {'list': ['x', 'y']}})))

    def test_not_in_versions_before_2016_10_14(self):
        self.assertFails('yaql', {'yaql': {'expression': '1'}},
                         version='2016-04-08')

    def test_a_literal_syntax_error_is_a_validation_error(self):
        exc = self.assertFails('Bad expression Parse error',
                               {'yaql': {'expression': '$.data.'}},
                               error=exceptions.StackValidationFailed)
        self.assertIn('resources.r.properties.v.yaql', str(exc))

    def test_a_computed_syntax_error_is_reported_on_resolve(self):
        self.assertFails('Bad expression', {'yaql': {
            'expression': {'list_join': ['', ['$.', 'data.']]}}})

    def test_arguments_must_be_a_map_with_an_expression(self):
        self.assertFails('Arguments to "yaql" must be a map.',
                         {'yaql': ['$.data']})
        self.assertFails('"yaql" syntax should be', {'yaql': {'data': {}}})
        self.assertFails('"yaql" syntax should be',
                         {'yaql': {'expression': '1', 'extra': 1}})
        self.assertFails('The "expression" argument to yaql must contain a '
                         'string.', {'yaql': {'expression': 42}})

    def test_collections_are_bounded(self):
        self.assertFails('Collection length exceeds 200 elements',
                         {'yaql': {'expression': 'range(500).toList()'}})

    def test_bounds_follow_the_configuration(self):
        self.addCleanup(yaql_function.configure,
                        yaql_function.DEFAULT_LIMIT_ITERATORS,
                        yaql_function.DEFAULT_MEMORY_QUOTA)
        yaql_function.configure(1000, 1000000)
        self.assertEqual(500, self.resolve(
            {'yaql': {'expression': 'range(500).toList().len()'}}))

    def test_listed_with_its_description(self):
        from convergence.template import template_functions
        described = {f['functions']: f['description'] for f in
                     template_functions('heat_template_version.2016-10-14')}
        self.assertEqual('A function for executing a yaql expression.',
                         described['yaql'])


class YaqlConditionTest(testtools.TestCase):

    def test_a_condition_from_2017_09_01(self):
        defn = conditions_stack(
            {'big': {'yaql': {'expression': '$.data.n > 2',
                              'data': {'n': 3}}}},
            {'r': {'type': 'OS::Heat::None', 'condition': 'big'}},
            version='2017-09-01')
        defn.validate()
        self.assertEqual(['r'], defn.resource_names())

    def test_not_a_condition_function_in_2016_10_14(self):
        defn = conditions_stack({'big': {'yaql': {'expression': 'true'}}})
        self.assertRaises(exceptions.StackValidationFailed, defn.validate)
