"""Parameters: types, coercion of CLI strings, constraints, errors."""

import testtools

from convergence import exceptions
from convergence.tests.unit.template import base


def stack(parameters, params=None, env=None, version='2018-08-31'):
    return base.definition({'heat_template_version': version,
                            'parameters': parameters}, params, env)


def value(param_type, given, **schema):
    defn = stack({'p': dict(type=param_type, **schema)}, {'p': given})
    defn.validate()
    return defn.parameters.value('p')


def invalid(test, param_type, given, error=exceptions.StackValidationFailed,
            **schema):
    defn = stack({'p': dict(type=param_type, **schema)}, {'p': given})
    exc = test.assertRaises(error, defn.validate)
    return str(exc)


class CoercionTest(testtools.TestCase):

    def test_string(self):
        self.assertEqual('one', value('string', 'one'))
        self.assertEqual('5', value('string', 5))

    def test_string_default_of_another_type(self):
        defn = stack({'p': {'type': 'string', 'default': 40}})
        self.assertEqual('40', defn.parameters.value('p'))

    def test_number(self):
        self.assertEqual(5, value('number', '5'))
        self.assertEqual(2.5, value('number', '2.5'))
        self.assertEqual(7, value('number', 7))

    def test_bad_number(self):
        self.assertEqual("Parameter 'p' is invalid: could not convert string "
                         "to float: 'abc'", invalid(self, 'number', 'abc'))

    def test_boolean(self):
        for given, expected in (('true', True), ('No', False), ('1', True),
                                (False, False), ('on', True), ('f', False)):
            self.assertIs(expected, value('boolean', given))

    def test_bad_boolean(self):
        self.assertIn("Unrecognized value 'maybe', acceptable values are: "
                      "'0', '1', 'f', 'false'", invalid(self, 'boolean',
                                                        'maybe'))

    def test_comma_delimited_list(self):
        self.assertEqual(['a', ' b'], value('comma_delimited_list', 'a, b'))
        self.assertEqual(['1', '2'], value('comma_delimited_list', [1, 2]))
        self.assertEqual([], value('comma_delimited_list', ''))

    def test_bad_list(self):
        self.assertIn('Value must be a comma-delimited list string',
                      invalid(self, 'comma_delimited_list', 5))

    def test_json(self):
        self.assertEqual({'a': [1]}, value('json', '{"a": [1]}'))
        self.assertEqual({'a': 1}, value('json', {'a': 1}))
        self.assertEqual([1], value('json', [1]))

    def test_bad_json(self):
        self.assertIn("Parameter 'p' is invalid: Value must be valid JSON: "
                      "Expecting", invalid(self, "json", "{nope"))

    def test_values_are_computed_once(self):
        defn = stack({'p': {'type': 'json'}}, {'p': '{"a": 1}'})
        self.assertIs(defn.parameters.value('p'), defn.parameters.value('p'))


class SourcesTest(testtools.TestCase):

    def test_user_value_over_defaults(self):
        defn = stack({'p': {'type': 'string', 'default': 'd'}}, {'p': 'u'},
                     env={'parameter_defaults': {'p': 'e'}})
        self.assertEqual('u', defn.parameters.value('p'))

    def test_parameter_defaults_over_template_default(self):
        defn = stack({'p': {'type': 'string', 'default': 'd'}},
                     env={'parameter_defaults': {'p': 'e', 'other': 'x'}})
        self.assertEqual('e', defn.parameters.value('p'))
        defn.validate()

    def test_environment_parameters_are_user_values(self):
        defn = stack({'p': {'type': 'string'}},
                     env={'parameters': {'p': 'env'}})
        self.assertEqual('env', defn.parameters.value('p'))

    def test_missing_required(self):
        exc = self.assertRaises(exceptions.UserParameterMissing,
                                stack({'p': {'type': 'string'}}).validate)
        self.assertEqual('The Parameter (p) was not provided.', str(exc))

    def test_unknown_user_parameter(self):
        exc = self.assertRaises(exceptions.UnknownUserParameter,
                                stack({}, {'nope': 1}).validate)
        self.assertEqual('The Parameter (nope) was not defined in template.',
                         str(exc))

    def test_pseudo_parameters_cannot_be_set(self):
        self.assertRaises(exceptions.UnknownUserParameter,
                          stack({}, {'OS::stack_id': 'x'}).validate)

    def test_non_strict_validation_skips_values(self):
        stack({'p': {'type': 'number'}}).validate(strict=False)
        stack({'p': {'type': 'number'}}, {'p': 'x'}).validate(strict=False)

    def test_display(self):
        defn = stack({'s': {'type': 'string', 'default': 'a'},
                      'h': {'type': 'string', 'default': 'x', 'hidden': True},
                      'n': {'type': 'number', 'default': '2.5'},
                      'b': {'type': 'boolean', 'default': 'yes'},
                      'l': {'type': 'comma_delimited_list', 'default': 'a,b'},
                      'j': {'type': 'json', 'default': {'k': [1]}}})
        self.assertEqual({'OS::stack_id': 'stack-uuid',
                          'OS::stack_name': 'mystack',
                          'OS::project_id': 'tenant-1', 's': 'a',
                          'h': '******', 'n': '2.5', 'b': 'True',
                          'l': 'a,b', 'j': '{"k": [1]}'},
                         defn.parameters_for_display())

    def test_display_without_identity(self):
        defn = base.definition({'heat_template_version': '2015-10-15'},
                               identity=None)
        self.assertEqual({'OS::stack_id': '', 'OS::stack_name': '',
                          'OS::project_id': ''},
                         defn.parameters_for_display())


class ConstraintTest(testtools.TestCase):

    def test_range(self):
        rng = [{'range': {'min': 1, 'max': 10}}]
        self.assertEqual(10, value('number', '10', constraints=rng))
        self.assertEqual("Parameter 'p' is invalid: 12 is out of range "
                         "(min: 1, max: 10)",
                         invalid(self, 'number', '12', constraints=rng))

    def test_range_min_only(self):
        self.assertIn('0 is out of range (min: 1, max: None)', invalid(
            self, 'number', 0, constraints=[{'range': {'min': 1}}]))

    def test_length(self):
        length = [{'length': {'min': 2, 'max': 3}}]
        self.assertEqual('abc', value('string', 'abc', constraints=length))
        self.assertIn('length (4) is out of range (min: 2, max: 3)',
                      invalid(self, 'string', 'abcd', constraints=length))
        self.assertIn('length (1) is out of range', invalid(
            self, 'comma_delimited_list', 'a', constraints=length))
        self.assertIn('length (1) is out of range', invalid(
            self, 'json', {'a': 1}, constraints=length))

    def test_modulo(self):
        mod = [{'modulo': {'step': 2, 'offset': 1}}]
        self.assertEqual(3, value('number', '3', constraints=mod))
        self.assertIn('4 is not a multiple of 2 with an offset of 1',
                      invalid(self, 'number', '4', constraints=mod))

    def test_modulo_needs_2017_02_24(self):
        defn = stack({'p': {'type': 'number', 'constraints': [
            {'modulo': {'step': 2, 'offset': 1}}]}}, {'p': 3},
            version='2016-10-14')
        exc = self.assertRaises(exceptions.InvalidSchemaError, defn.validate)
        self.assertEqual('No constraint expressed', str(exc))

    def test_allowed_values(self):
        allowed = [{'allowed_values': ['a', 'b']}]
        self.assertEqual('a', value('string', 'a', constraints=allowed))
        self.assertEqual("Parameter 'p' is invalid: \"c\" is not an allowed "
                         "value [\"a\", \"b\"]",
                         invalid(self, 'string', 'c', constraints=allowed))

    def test_allowed_values_of_numbers_and_lists(self):
        self.assertEqual(2, value('number', '2', constraints=[
            {'allowed_values': [1, 2]}]))
        self.assertEqual(['a', 'b'], value(
            'comma_delimited_list', 'a,b',
            constraints=[{'allowed_values': ['a', 'b', 'c']}]))
        self.assertIn('is not an allowed value', invalid(
            self, 'comma_delimited_list', 'a,d',
            constraints=[{'allowed_values': ['a', 'b']}]))

    def test_allowed_pattern_must_match_whole_value(self):
        pattern = [{'allowed_pattern': '[a-z]+'}]
        self.assertEqual('abc', value('string', 'abc', constraints=pattern))
        self.assertIn('"abc1" does not match pattern "[a-z]+"',
                      invalid(self, 'string', 'abc1', constraints=pattern))

    def test_description_replaces_the_message(self):
        self.assertEqual("Parameter 'p' is invalid: Lower case only", invalid(
            self, 'string', 'A', constraints=[
                {'allowed_pattern': '[a-z]+',
                 'description': 'Lower case only'}]))

    def test_custom_constraints_are_accepted_and_ignored(self):
        self.assertEqual('m1.tiny', value('string', 'm1.tiny', constraints=[
            {'custom_constraint': 'nova.flavor'},
            {'custom_constraint': 'no.such.constraint'}]))

    def test_constraint_that_does_not_fit_the_type(self):
        self.assertEqual("Parameter 'p' is invalid: Range constraint invalid "
                         "for string", invalid(
                             self, 'string', 'a',
                             exceptions.InvalidSchemaError,
                             constraints=[{'range': {'min': 1}}]))
        self.assertIn('AllowedPattern constraint invalid for number', invalid(
            self, 'number', 1, exceptions.InvalidSchemaError,
            constraints=[{'allowed_pattern': 'x'}]))

    def test_invalid_default(self):
        self.assertEqual("Parameter 'p' is invalid: Invalid default 20 (20 is "
                         "out of range (min: 1, max: 10))", invalid(
                             self, 'number', 5,
                             exceptions.InvalidSchemaError, default=20,
                             constraints=[{'range': {'min': 1, 'max': 10}}]))

    def test_invalid_list_default(self):
        self.assertIn('Invalid default a,z', invalid(
            self, 'comma_delimited_list', 'a', exceptions.InvalidSchemaError,
            default='a,z', constraints=[{'allowed_values': ['a', 'b']}]))


class SchemaErrorTest(testtools.TestCase):

    def bad(self, definition, version='2018-08-31'):
        exc = self.assertRaises(exceptions.InvalidSchemaError,
                                stack({'p': definition}, version=version)
                                .validate)
        return str(exc)

    def test_schema_errors(self):
        cases = [
            ({'default': 1}, 'Missing parameter type for parameter: p'),
            ({'type': 'strin'}, 'Invalid type (strin)'),
            ({'type': 'string', 'nope': 1},
             "Invalid key 'nope' for parameter (p)"),
            ('string', 'Invalid parameter (p), expected a mapping'),
            ({'type': 'string', 'constraints': {'length': {}}},
             'Invalid parameter constraints for parameter p, expected a '
             'list'),
            ({'type': 'string', 'constraints': [{'lenght': {'min': 1}}]},
             "Invalid key 'lenght' for parameter constraints"),
            ({'type': 'string', 'constraints': [{'description': 'x'}]},
             'No constraint expressed'),
            ({'type': 'string', 'constraints': [{'length': {}}]},
             'A length constraint must have a min value and/or a max value '
             'specified.'),
            ({'type': 'string', 'constraints': [{'length': {'min': 1.5}}]},
             'min/max length must be integral'),
            ({'type': 'number', 'constraints': [{'range': {'mn': 1}}]},
             "Invalid key 'mn' for range constraint"),
            ({'type': 'number', 'constraints': [
                {'modulo': {'step': 2, 'offset': 3}}]},
             'offset must be smaller (by absolute value) than step.'),
            ({'type': 'number', 'constraints': [
                {'modulo': {'step': 0, 'offset': 0}}]}, 'step cannot be 0.'),
            ({'type': 'string', 'constraints': [{'allowed_values': 'a'}]},
             'AllowedValues must be a list'),
            ({'type': 'string', 'constraints': [{'allowed_pattern': '('}]},
             'Invalid allowed_pattern "(": missing ), unterminated '
             'subpattern at position 0'),
            ({'type': 'string', 'tags': 'a'},
             'Tags property should be a list for parameter: p'),
        ]
        for definition, message in cases:
            self.assertEqual(message, self.bad(definition))

    def test_tags_need_2018_03_02(self):
        self.assertEqual("Invalid key 'tags' for parameter (p)", self.bad(
            {'type': 'string', 'default': 'a', 'tags': ['t']},
            version='2017-09-01'))

    def test_parameters_section_must_be_a_map(self):
        exc = self.assertRaises(
            exceptions.StackValidationFailed,
            base.definition({'heat_template_version': '2015-10-15',
                             'parameters': ['a']}).validate)
        self.assertIn('"parameters" section must be a map', str(exc))
