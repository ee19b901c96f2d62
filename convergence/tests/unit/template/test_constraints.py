"""One constraint module for parameters and properties."""

import testtools

from convergence import exceptions
from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as plugin_constraints
from convergence.resources.base import Resource
from convergence.resources.clock import FakeClock
from convergence.resources.properties import Schema, validate_properties
from convergence.template import constraints as constr
from convergence.tests.unit.template import base


def plugin(**schema):
    """A throwaway plugin class with the given properties schema."""
    return type('Plugin', (Resource,), {'properties_schema': schema})


class TestOneModule(testtools.TestCase):

    def test_given_a_plugin_import_then_it_is_the_same_constraint(self):
        self.assertIs(constr.Range, plugin_constraints.Range)
        self.assertIs(constr.CustomConstraint,
                      plugin_constraints.CustomConstraint)

    def test_given_a_length_then_it_fits_lists_of_both_worlds(self):
        length = constr.Length(max=1)
        for data_type in (constr.COMMA_DELIMITED_LIST, constr.LIST,
                          constr.MAP, constr.JSON, constr.STRING):
            self.assertIn(data_type, length.valid_types)
        self.assertRaises(constr.ConstraintError, length.validate,
                          ['a', 'b'], constr.COMMA_DELIMITED_LIST)
        self.assertRaises(constr.ConstraintError, length.validate,
                          {'a': 1, 'b': 2}, constr.MAP)

    def test_given_a_constraint_then_heat_names_it_by_its_class(self):
        self.assertEqual('AllowedPattern',
                         constr.AllowedPattern('x').heat_name)

    def test_given_the_same_bad_value_then_both_worlds_say_the_same(self):
        param = base.definition({
            'heat_template_version': '2018-08-31',
            'parameters': {'p': {'type': 'number',
                                 'constraints': [{'range': {'max': 5}}]}}},
            {'p': 9})
        exc = self.assertRaises(StackValidationFailed, param.validate)
        self.assertEqual("Parameter 'p' is invalid: 9 is out of range "
                         "(min: None, max: 5)", str(exc))
        cls = plugin(p=Schema(constr.INTEGER,
                              constraints=[constr.Range(max=5)]))
        exc = self.assertRaises(StackValidationFailed, validate_properties,
                                cls, 'r', {'p': 9})
        self.assertEqual('Property error: resources.r.properties.p: 9 is '
                         'out of range (min: None, max: 5)', str(exc))


class TestPropertiesGainTheSchemaChecks(testtools.TestCase):

    def test_given_a_non_numeric_bound_then_the_schema_is_refused(self):
        exc = self.assertRaises(exceptions.InvalidSchemaError,
                                constr.Range, '1', 5)
        self.assertEqual('min/max must be numeric', str(exc))

    def test_given_a_pattern_then_the_first_match_must_reach_the_end(self):
        cls = plugin(p=Schema(constr.STRING, constraints=[
            constr.AllowedPattern('a|ab')]))
        self.assertEqual({'p': 'a'}, validate_properties(cls, 'r', {'p': 'a'}))
        self.assertRaises(StackValidationFailed, validate_properties,
                          cls, 'r', {'p': 'ab'})


class TestCustomConstraints(testtools.TestCase):

    def test_given_a_property_then_the_custom_check_waits_on_its_clock(self):
        clock = FakeClock()
        constr.CustomConstraint('test_constr').validate(2, constr.NUMBER,
                                                        clock)
        self.assertEqual([2], clock.waits)

    def test_given_a_parameter_then_a_registered_check_is_not_run(self):
        defn = base.definition({
            'heat_template_version': '2018-08-31',
            'parameters': {'p': {'type': 'number', 'constraints': [
                {'custom_constraint': 'test_constr'}]}}}, {'p': 3600})
        defn.validate()
        self.assertEqual(3600, defn.parameters.value('p'))
