"""A software config's inputs and outputs, checked and stored as Heat
stores them."""

import testtools

from convergence import exceptions
from convergence.software_config import io_schema


class InputsTest(testtools.TestCase):

    def test_defaults_filled_and_replace_on_change_only_when_true(self):
        self.assertEqual(
            [{'name': 'a', 'type': 'String'},
             {'name': 'b', 'type': 'String', 'replace_on_change': True,
              'description': 'd'}],
            io_schema.inputs([{'name': 'a'},
                              {'name': 'b', 'replace_on_change': True,
                               'description': 'd'}]))

    def test_a_default_is_converted_to_the_inputs_type(self):
        self.assertEqual(
            [{'name': 'n', 'type': 'Number', 'default': 5},
             {'name': 'b', 'type': 'Boolean', 'default': True},
             {'name': 'l', 'type': 'CommaDelimitedList', 'default': ['x']}],
            io_schema.inputs([
                {'name': 'n', 'type': 'Number', 'default': '5'},
                {'name': 'b', 'type': 'Boolean', 'default': 'true'},
                {'name': 'l', 'type': 'CommaDelimitedList',
                 'default': ['x']}]))

    def test_an_empty_default_of_a_non_string_is_kept(self):
        self.assertEqual([{'name': 'n', 'type': 'Number', 'default': ''}],
                         io_schema.inputs([{'name': 'n', 'type': 'Number',
                                            'default': ''}]))

    def test_a_value_is_kept_as_given(self):
        self.assertEqual([{'name': 'v', 'type': 'String', 'value': [1]}],
                         io_schema.inputs([{'name': 'v', 'value': [1]}]))

    def test_none_is_no_inputs(self):
        self.assertEqual([], io_schema.inputs(None))

    def test_bad_declarations_are_invalid_naming_the_problem(self):
        for declarations, reason in [
                ({'name': 'a'}, 'Software Config I/O Schema must be in a '
                 'list (inputs)'),
                ('a', 'Software Config I/O Schema must be in a list '
                 '(inputs)'),
                ([1], 'Software Config I/O Schema must be a dict (inputs)'),
                ([{'name': 'a', 'type': 'Integer'}], 'Property error: '
                 'inputs[0].type: "Integer" is not an allowed value '
                 '["String", "Number", "CommaDelimitedList", "Json", '
                 '"Boolean"]'),
                ([{'name': 'a', 'type': 'Number', 'default': 'x'}],
                 'Property error: inputs[0].default: could not convert '
                 'string to float: \'x\'')]:
            error = self.assertRaises(exceptions.Invalid, io_schema.inputs,
                                      declarations)
            self.assertEqual('Data supplied was not valid: ' + reason,
                             error.message)


class OutputsTest(testtools.TestCase):

    def test_error_output_defaults_to_false(self):
        self.assertEqual(
            [{'name': 'o', 'type': 'String', 'error_output': False}],
            io_schema.outputs([{'name': 'o'}]))

    def test_an_unknown_key_is_invalid(self):
        error = self.assertRaises(exceptions.Invalid, io_schema.outputs,
                                  [{'name': 'o', 'default': 1}])
        self.assertEqual('Data supplied was not valid: Property error: '
                         'outputs[0]: Unknown Property default',
                         error.message)
