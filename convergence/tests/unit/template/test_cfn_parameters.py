"""CFN parameters: types, constraints, Heat's messages, pseudo parameters."""

import testscenarios

from convergence import exceptions
from convergence.template import StackIdentity
from convergence.tests.unit.template import base, cfn

load_tests = testscenarios.load_tests_apply_scenarios


def stack(parameters, params=None, header=None, identity=base.IDENTITY):
    return base.definition(cfn.template(header, Parameters=parameters),
                           params, identity=identity)


class TypesTest(cfn.CfnTestCase):
    """Given a value of each CFN type, then Ref gives it typed."""

    scenarios = [
        ('string', {'type': 'String', 'given': 'x', 'typed': 'x'}),
        ('number', {'type': 'Number', 'given': '2.5', 'typed': 2.5}),
        ('list', {'type': 'CommaDelimitedList', 'given': 'a,b',
                  'typed': ['a', 'b']}),
        ('json', {'type': 'Json', 'given': '{"a": 1}', 'typed': {'a': 1}}),
        ('boolean', {'type': 'Boolean', 'given': 'yes', 'typed': True}),
    ]

    def test_ref_gives_the_typed_value(self):
        for header in (cfn.AWS, cfn.HEAT):
            self.assertEqual(self.typed, self.resolve(
                {'Ref': 'p'}, header, params={'p': self.given},
                Parameters={'p': {'Type': self.type}}))

    def test_default_is_used_without_a_value(self):
        self.assertEqual(self.typed, self.resolve(
            {'Ref': 'p'}, Parameters={'p': {'Type': self.type,
                                            'Default': self.given}}))


class SchemaTest(cfn.CfnTestCase):
    """Given a malformed parameter, then Heat's schema error is raised."""

    def schema_error(self, parameters) -> str:
        return self.invalid(cfn.template(Parameters=parameters),
                            exceptions.InvalidSchemaError)

    def test_hot_type_name_is_invalid(self):
        self.assertEqual('Invalid type (string)',
                         self.schema_error({'p': {'Type': 'string'}}))

    def test_hot_key_is_invalid(self):
        self.assertEqual("Invalid key 'constraints' for parameter (p)",
                         self.schema_error({'p': {'Type': 'String',
                                                  'constraints': []}}))

    def test_missing_type(self):
        self.assertEqual('Missing parameter type for parameter: p',
                         self.schema_error({'p': {'Default': 'x'}}))

    def test_non_numeric_bound(self):
        self.assertEqual('MinValue must be numeric', self.schema_error(
            {'p': {'Type': 'Number', 'MinValue': 'low'}}))

    def test_constraint_that_does_not_fit_the_type(self):
        self.assertEqual("Parameter 'p' is invalid: AllowedPattern "
                         "constraint invalid for number",
                         self.schema_error({'p': {'Type': 'Number',
                                                  'AllowedPattern': 'x'}}))

    def test_default_breaking_a_constraint(self):
        self.assertIn('Invalid default 9 (9 is out of range (min: None, '
                      'max: 5))', self.schema_error(
                          {'p': {'Type': 'Number', 'MaxValue': 5,
                                 'Default': 9}}))


class ConstraintsTest(cfn.CfnTestCase):
    """Given a value that breaks a constraint, then validation says so in
    Heat's words, or in the ConstraintDescription."""

    def error(self, schema, value) -> str:
        return self.invalid(cfn.template(Parameters={'p': schema}),
                            exceptions.StackValidationFailed,
                            params={'p': value})

    def test_range(self):
        self.assertEqual("Parameter 'p' is invalid: 9 is out of range "
                         "(min: None, max: 5)", self.error(
                             {'Type': 'Number', 'MaxValue': 5}, '9'))
        self.assertIn('0 is out of range (min: 1, max: None)', self.error(
            {'Type': 'Number', 'MinValue': 1}, '0'))

    def test_length(self):
        self.assertIn('length (3) is out of range (min: None, max: 2)',
                      self.error({'Type': 'String', 'MaxLength': 2}, 'abc'))
        self.assertIn('length (1) is out of range (min: 2, max: None)',
                      self.error({'Type': 'String', 'MinLength': '2'}, 'a'))

    def test_allowed_values_of_a_list(self):
        self.assertEqual('Parameter \'p\' is invalid: ["a", "c"] is not an '
                         'allowed value ["a", "b"]', self.error(
                             {'Type': 'CommaDelimitedList',
                              'AllowedValues': ['a', 'b']}, 'a,c'))

    def test_allowed_pattern(self):
        self.assertIn('"ABC" does not match pattern "[a-z]+"', self.error(
            {'Type': 'String', 'AllowedPattern': '[a-z]+'}, 'ABC'))

    def test_constraint_description_replaces_the_message(self):
        self.assertEqual("Parameter 'p' is invalid: lower case only",
                         self.error({'Type': 'String',
                                     'AllowedPattern': '[a-z]+',
                                     'ConstraintDescription':
                                         'lower case only'}, 'ABC'))

    def test_a_value_within_every_constraint(self):
        stack({'p': {'Type': 'String', 'MinLength': 1, 'MaxLength': 3,
                     'AllowedValues': ['ab'], 'AllowedPattern': 'a.'}},
              {'p': 'ab'}).validate()

    def test_number_that_is_not_one(self):
        self.assertIn("Parameter 'p' is invalid:", self.error(
            {'Type': 'Number'}, 'many'))


class SummaryTest(cfn.CfnTestCase):
    """Given CFN parameters, then the validate API shows them as Heat."""

    def test_keys_of_the_summary(self):
        summary = stack({'p': {'Type': 'String', 'Default': 'a',
                               'NoEcho': 'true', 'Description': 'd',
                               'Label': 'L', 'AllowedValues': ['a'],
                               'MinLength': 1,
                               'ConstraintDescription': 'cd'}}
                        ).validation_summary()['Parameters']['p']
        self.assertEqual({'Type': 'String', 'Description': 'd',
                          'NoEcho': 'true', 'Label': 'L', 'Default': 'a',
                          'MinLength': 1, 'AllowedValues': ['a'],
                          'ConstraintDescription': 'cd cd'}, summary)

    def test_no_echo_masks_the_displayed_value(self):
        shown = stack({'p': {'Type': 'String', 'NoEcho': True,
                             'Default': 'secret'}}).parameters_for_display()
        self.assertEqual('******', shown['p'])


class PseudoParametersTest(cfn.CfnTestCase):
    """Given the AWS:: pseudo parameters, then Ref gives Heat's values."""

    def test_stack_id_is_heats_arn(self):
        self.assertEqual('arn:openstack:heat::tenant-1:stacks/mystack/'
                         'stack-uuid', self.resolve({'Ref': 'AWS::StackId'}))

    def test_arn_parts_are_quoted(self):
        shown = stack({}, identity=StackIdentity('id', 'a/b', 'p q')
                      ).parameters_for_display()
        self.assertEqual('arn:openstack:heat::p%20q:stacks/a%2Fb/id',
                         shown['AWS::StackId'])

    def test_stack_name_and_heats_fixed_region(self):
        self.assertEqual(['mystack', 'ap-southeast-1'], self.resolve(
            [{'Ref': 'AWS::StackName'}, {'Ref': 'AWS::Region'}], cfn.HEAT))

    def test_hot_pseudo_parameters_are_unknown(self):
        self.assertFails('The specified reference "OS::stack_id" (in '
                         'unknown) is incorrect.', {'Ref': 'OS::stack_id'},
                         error=exceptions.InvalidTemplateReference)

    def test_without_identity_the_ids_are_empty(self):
        shown = stack({}, identity=None).parameters_for_display()
        self.assertEqual({'AWS::StackId': '', 'AWS::StackName': '',
                          'AWS::Region': 'ap-southeast-1'}, shown)
