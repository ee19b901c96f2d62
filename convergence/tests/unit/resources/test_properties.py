"""Property schemas: conversion, defaults, constraints and Heat's messages."""

import testtools

from convergence.exceptions import (InvalidSchemaError, ResourceFailure,
                                    StackValidationFailed)
from convergence.resources.base import Resource
from convergence.resources.clock import FakeClock
from convergence.resources.properties import (ANY, BOOLEAN, INTEGER, LIST,
                                              MAP, NUMBER, STRING, Schema,
                                              format_path,
                                              properties_for_action,
                                              validate_properties)
from convergence.template import constraints as constr
from convergence.template.unresolved import UNRESOLVED


def plugin(**schema):
    """A throwaway plugin class with the given properties schema."""
    return type('Plugin', (Resource,), {'properties_schema': schema})


class PropertiesTestBase(testtools.TestCase):

    def assertInvalid(self, cls, props, message):
        exc = self.assertRaises(StackValidationFailed, validate_properties,
                                cls, 'res', props)
        self.assertEqual(message, str(exc))

    def valid(self, cls, props):
        return validate_properties(cls, 'res', props)


class TestTypes(PropertiesTestBase):

    def test_string_accepts_strings_and_stringifies_ints_and_bools(self):
        cls = plugin(p=Schema(STRING))
        self.assertEqual({'p': 'x'}, self.valid(cls, {'p': 'x'}))
        self.assertEqual({'p': '5'}, self.valid(cls, {'p': 5}))
        self.assertEqual({'p': 'True'}, self.valid(cls, {'p': True}))

    def test_string_rejects_float_and_list(self):
        cls = plugin(p=Schema(STRING))
        self.assertInvalid(cls, {'p': 1.5},
                           'Property error: resources.res.properties.p: '
                           'Value must be a string; got 1.5')
        self.assertInvalid(cls, {'p': ['a']},
                           'Property error: resources.res.properties.p: '
                           "Value must be a string; got ['a']")

    def test_integer_conversions(self):
        cls = plugin(p=Schema(INTEGER))
        self.assertEqual({'p': 7}, self.valid(cls, {'p': '7'}))
        self.assertEqual({'p': 2}, self.valid(cls, {'p': 2.0}))
        self.assertInvalid(cls, {'p': 'x'},
                           'Property error: resources.res.properties.p: '
                           "Value 'x' is not an integer")
        self.assertInvalid(cls, {'p': 2.5},
                           'Property error: resources.res.properties.p: '
                           "Value '2.5' is not an integer")
        self.assertInvalid(cls, {'p': '2.5'},
                           'Property error: resources.res.properties.p: '
                           "Value '2.5' is not an integer")

    def test_number_accepts_numeric_strings(self):
        cls = plugin(p=Schema(NUMBER))
        self.assertEqual({'p': 5}, self.valid(cls, {'p': '5'}))
        self.assertEqual({'p': 2.5}, self.valid(cls, {'p': '2.5'}))
        self.assertEqual({'p': 3.5}, self.valid(cls, {'p': 3.5}))
        self.assertInvalid(cls, {'p': 'abc'},
                           'Property error: resources.res.properties.p: '
                           "could not convert string to float: 'abc'")

    def test_boolean_strings_in_any_case(self):
        cls = plugin(p=Schema(BOOLEAN))
        self.assertEqual({'p': True}, self.valid(cls, {'p': 'TRUE'}))
        self.assertEqual({'p': False}, self.valid(cls, {'p': 'False'}))
        self.assertEqual({'p': True}, self.valid(cls, {'p': True}))
        self.assertInvalid(cls, {'p': 'Yes'},
                           'Property error: resources.res.properties.p: '
                           '"yes" is not a valid boolean')
        self.assertInvalid(cls, {'p': 1},
                           'Property error: resources.res.properties.p: '
                           '"1" is not a valid boolean')

    def test_map_and_list(self):
        cls = plugin(m=Schema(MAP), l=Schema(LIST))
        self.assertEqual({'m': {'a': 1}, 'l': [1, 'b']},
                         self.valid(cls, {'m': {'a': 1}, 'l': [1, 'b']}))
        self.assertInvalid(cls, {'m': 'x'},
                           'Property error: resources.res.properties.m: '
                           '"x" is not a map')
        self.assertInvalid(cls, {'l': 'abc'},
                           'Property error: resources.res.properties.l: '
                           '"\'abc\'" is not a list')

    def test_any_takes_anything(self):
        cls = plugin(p=Schema(ANY))
        for value in ('x', 1, [1], {'a': None}):
            self.assertEqual({'p': value}, self.valid(cls, {'p': value}))

    def test_explicit_null_is_the_default_or_empty_value(self):
        cls = plugin(s=Schema(STRING), n=Schema(NUMBER, default=3),
                     b=Schema(BOOLEAN), m=Schema(MAP), a=Schema(ANY))
        self.assertEqual({'s': '', 'n': 3, 'b': False, 'm': {}, 'a': None},
                         self.valid(cls, dict.fromkeys('snbma')))


class TestPresence(PropertiesTestBase):

    def test_defaults_filled_and_unset_is_none(self):
        cls = plugin(a=Schema(STRING, default='d'), b=Schema(INTEGER))
        self.assertEqual({'a': 'd', 'b': None}, self.valid(cls, {}))

    def test_unknown_property(self):
        cls = plugin(a=Schema(STRING))
        self.assertInvalid(cls, {'zz': 1},
                           'Property error: resources.res.properties: '
                           'Unknown Property zz')

    def test_missing_required(self):
        cls = plugin(a=Schema(STRING, required=True))
        self.assertInvalid(cls, {},
                           'Property error: resources.res.properties: '
                           'Property a not assigned')

    def test_none_schema_accepts_anything(self):
        cls = type('Anything', (Resource,), {'properties_schema': None})
        self.assertEqual({'x': [1], 'y': 'z'},
                         self.valid(cls, {'x': [1], 'y': 'z'}))


class TestConstraints(PropertiesTestBase):

    def test_allowed_values(self):
        cls = plugin(p=Schema(STRING, constraints=[
            constr.AllowedValues(['a', 'b'])]))
        self.assertEqual({'p': 'a'}, self.valid(cls, {'p': 'a'}))
        self.assertInvalid(cls, {'p': 'c'},
                           'Property error: resources.res.properties.p: '
                           '"c" is not an allowed value ["a", "b"]')

    def test_allowed_values_compare_in_the_property_type(self):
        cls = plugin(n=Schema(NUMBER, constraints=[
            constr.AllowedValues(['1', 2])]))
        self.assertEqual({'n': 1}, self.valid(cls, {'n': 1}))
        self.assertEqual({'n': 2}, self.valid(cls, {'n': '2'}))

    def test_range(self):
        cls = plugin(p=Schema(INTEGER, constraints=[constr.Range(1, 5)]))
        self.assertEqual({'p': 5}, self.valid(cls, {'p': '5'}))
        self.assertInvalid(cls, {'p': 9},
                           'Property error: resources.res.properties.p: '
                           '9 is out of range (min: 1, max: 5)')
        self.assertInvalid(cls, {'p': 0},
                           'Property error: resources.res.properties.p: '
                           '0 is out of range (min: 1, max: 5)')

    def test_open_range(self):
        cls = plugin(p=Schema(NUMBER, constraints=[constr.Range(min=0)]))
        self.assertEqual({'p': 1e9}, self.valid(cls, {'p': 1e9}))
        self.assertInvalid(cls, {'p': -1},
                           'Property error: resources.res.properties.p: '
                           '-1 is out of range (min: 0, max: None)')

    def test_length(self):
        cls = plugin(p=Schema(STRING, constraints=[constr.Length(2, 3)]))
        self.assertEqual({'p': 'ab'}, self.valid(cls, {'p': 'ab'}))
        self.assertInvalid(cls, {'p': 'abcd'},
                           'Property error: resources.res.properties.p: '
                           'length (4) is out of range (min: 2, max: 3)')

    def test_allowed_pattern_must_match_whole_value(self):
        cls = plugin(p=Schema(STRING, constraints=[
            constr.AllowedPattern('[a-z]+')]))
        self.assertEqual({'p': 'abc'}, self.valid(cls, {'p': 'abc'}))
        self.assertInvalid(cls, {'p': 'abc1'},
                           'Property error: resources.res.properties.p: '
                           '"abc1" does not match pattern "[a-z]+"')

    def test_description_replaces_message(self):
        cls = plugin(p=Schema(INTEGER, constraints=[
            constr.Range(max=1, description='Too big.')]))
        self.assertInvalid(cls, {'p': 2}, 'Property error: '
                           'resources.res.properties.p: Too big.')

    def test_custom_constraint_from_registry(self):
        constr.register_custom_constraint('even', lambda v, clock: v % 2 == 0)
        self.addCleanup(constr._CUSTOM_CHECKS.pop, 'even')
        cls = plugin(p=Schema(INTEGER, constraints=[
            constr.CustomConstraint('even')]))
        self.assertEqual({'p': 4}, self.valid(cls, {'p': 4}))
        self.assertInvalid(cls, {'p': 3},
                           'Property error: resources.res.properties.p: '
                           '"3" does not validate even')

    def test_unknown_custom_constraint(self):
        cls = plugin(p=Schema(STRING, constraints=[
            constr.CustomConstraint('nope')]))
        self.assertInvalid(cls, {'p': 'x'},
                           'Property error: resources.res.properties.p: '
                           '"x" does not validate nope (constraint not found)')

    def test_test_constr_waits_on_the_clock(self):
        clock = FakeClock()
        cls = plugin(p=Schema(NUMBER, default=0, constraints=[
            constr.CustomConstraint('test_constr')]))
        validate_properties(cls, 'res', {'p': 3}, clock=clock)
        self.assertEqual(3, clock.now())
        validate_properties(cls, 'res', {}, clock=clock)
        self.assertEqual([3], clock.waits)

    def test_defaults_are_checked_too(self):
        cls = plugin(p=Schema(INTEGER, default=7, constraints=[
            constr.Range(max=5)]))
        self.assertInvalid(cls, {}, 'Property error: resources.res.'
                           'properties.p: 7 is out of range (min: None, '
                           'max: 5)')


class TestNested(PropertiesTestBase):

    def setUp(self):
        super().setUp()
        item = Schema(MAP, schema={
            'x': Schema(INTEGER, required=True),
            'y': Schema(STRING, default='why')})
        self.cls = plugin(l=Schema(LIST, schema=item),
                          m=Schema(MAP, schema={'k': Schema(BOOLEAN)}))

    def test_nested_defaults_and_conversion(self):
        self.assertEqual(
            {'l': [{'x': 1, 'y': 'why'}], 'm': {'k': True}},
            self.valid(self.cls, {'l': [{'x': '1'}], 'm': {'k': 'true'}}))

    def test_nested_errors_carry_the_path(self):
        self.assertInvalid(self.cls, {'l': [{'x': 1}, {'x': 'q'}]},
                           'Property error: resources.res.properties.l[1].x:'
                           " Value 'q' is not an integer")
        self.assertInvalid(self.cls, {'l': [{'z': 1}]},
                           'Property error: resources.res.properties.l[0]: '
                           'Unknown Property z')
        self.assertInvalid(self.cls, {'l': [{}]},
                           'Property error: resources.res.properties.l[0]: '
                           'Property x not assigned')
        self.assertInvalid(self.cls, {'m': {'k': 'no'}},
                           'Property error: resources.res.properties.m.k: '
                           '"no" is not a valid boolean')

    def test_format_path(self):
        self.assertEqual('a.b[0].c', format_path(['a', 'b', 0, 'c']))


class TestUnresolved(PropertiesTestBase):

    def test_unresolved_values_are_accepted_as_is(self):
        cls = plugin(n=Schema(INTEGER, constraints=[constr.Range(1, 2)],
                              required=True),
                     s=Schema(STRING, constraints=[constr.Length(max=1)]),
                     l=Schema(LIST, constraints=[constr.Length(max=1)]))
        values = self.valid(cls, {'n': UNRESOLVED, 's': UNRESOLVED,
                                  'l': [UNRESOLVED, 'x']})
        self.assertIs(UNRESOLVED, values['n'])
        self.assertIs(UNRESOLVED, values['s'])
        self.assertEqual([UNRESOLVED, 'x'], values['l'])

    def test_known_parts_of_nested_values_are_still_checked(self):
        cls = plugin(m=Schema(MAP, schema={'a': Schema(INTEGER),
                                           'b': Schema(INTEGER)}))
        self.assertEqual({'m': {'a': UNRESOLVED, 'b': 2}},
                         self.valid(cls, {'m': {'a': UNRESOLVED, 'b': '2'}}))
        self.assertInvalid(cls, {'m': {'a': UNRESOLVED, 'b': 'x'}},
                           'Property error: resources.res.properties.m.b: '
                           "Value 'x' is not an integer")


class TestForAction(testtools.TestCase):

    def test_bad_value_fails_the_resource_in_heat_words(self):
        cls = plugin(p=Schema(NUMBER))
        exc = self.assertRaises(ResourceFailure, properties_for_action,
                                cls, 'v', {'p': 'abc'})
        self.assertEqual('StackValidationFailed: resources.v: Property '
                         'error: v.properties.p: could not convert string '
                         "to float: 'abc'", str(exc))
        self.assertEqual('StackValidationFailed', exc.kwargs['error_type'])

    def test_good_values_are_normalized(self):
        cls = plugin(p=Schema(NUMBER))
        self.assertEqual({'p': 4}, properties_for_action(cls, 'v', {'p': '4'}))


class TestSchemaDeclaration(testtools.TestCase):

    def test_bad_declarations_are_refused(self):
        self.assertRaises(InvalidSchemaError, Schema, 'text')
        self.assertRaises(InvalidSchemaError, Schema, STRING,
                          update_allowed=True, immutable=True)
        self.assertRaises(InvalidSchemaError, Schema, STRING,
                          constraints=[constr.Range(1, 2)])
        self.assertRaises(InvalidSchemaError, Schema, STRING,
                          schema=Schema(STRING))
        self.assertRaises(InvalidSchemaError, constr.Range)
        self.assertRaises(InvalidSchemaError, constr.AllowedValues, 'ab')
