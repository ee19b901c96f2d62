"""validation_summary, environment_for_display, immutable parameters."""

import testtools

from convergence.tests.unit.template import base

TEMPLATE = '''
heat_template_version: 2018-08-31
description: summary test
parameter_groups:
- label: main
  parameters: [name]
parameters:
  name:
    type: string
    label: Name
    description: what to call it
    default: web
    constraints:
    - length: {min: 1, max: 8}
      description: short
    - allowed_pattern: "[a-z]+"
      description: lower case
  count:
    type: number
    constraints:
    - range: {min: 1, max: 3}
    - modulo: {step: 2, offset: 1}
  secret:
    type: string
    hidden: true
    default: s3
    immutable: true
  flags:
    type: comma_delimited_list
    default: [a]
    tags: [advanced]
    constraints:
    - allowed_values: [a, b]
    - custom_constraint: nova.flavor
  data:
    type: json
    default: {}
  enabled:
    type: boolean
    default: false
resources: {}
'''


class ValidationSummaryTest(testtools.TestCase):

    def test_shape(self):
        stack = base.definition(TEMPLATE, {'count': '3'},
                                env={'parameter_defaults': {'data': {'a': 1}}})
        stack.validate(strict=False)
        self.assertEqual({
            'Description': 'summary test',
            'Parameters': {
                'name': {'Type': 'String', 'Description': 'what to call it',
                         'NoEcho': 'false', 'Label': 'Name', 'Default': 'web',
                         'MinLength': 1, 'MaxLength': 8,
                         'AllowedPattern': '[a-z]+',
                         'ConstraintDescription': 'short lower case'},
                'count': {'Type': 'Number', 'Description': '',
                          'NoEcho': 'false', 'Label': 'count', 'Value': '3',
                          'MinValue': 1, 'MaxValue': 3, 'Step': 2,
                          'Offset': 1},
                'secret': {'Type': 'String', 'Description': '',
                           'NoEcho': 'true', 'Label': 'secret',
                           'Default': 's3'},
                'flags': {'Type': 'CommaDelimitedList', 'Description': '',
                          'NoEcho': 'false', 'Label': 'flags',
                          'Default': ['a'], 'Tags': ['advanced'],
                          'AllowedValues': ['a', 'b'],
                          'CustomConstraint': 'nova.flavor'},
                'data': {'Type': 'Json', 'Description': '', 'NoEcho': 'false',
                         'Label': 'data', 'Default': {'a': 1}},
                'enabled': {'Type': 'Boolean', 'Description': '',
                            'NoEcho': 'false', 'Label': 'enabled',
                            'Default': False},
            },
            'ParameterGroups': [{'label': 'main', 'parameters': ['name']}],
            'Environment': {'parameters': {'count': '3'},
                            'parameter_defaults': {'data': {'a': 1}},
                            'resource_registry': {'resources': {}},
                            'event_sinks': []},
        }, stack.validation_summary())

    def test_minimal(self):
        stack = base.definition({'heat_template_version': '2015-10-15'})
        self.assertEqual({'Description': 'No description', 'Parameters': {},
                          'Environment': {'parameters': {},
                                          'parameter_defaults': {},
                                          'resource_registry': {
                                              'resources': {}},
                                          'event_sinks': []}},
                         stack.validation_summary())


class DisplayTest(testtools.TestCase):

    def test_hidden_values_are_masked_in_the_environment(self):
        stack = base.definition(TEMPLATE, env={
            'parameters': {'secret': 'pw', 'count': 1},
            'parameter_defaults': {'secret': 'd', 'other': 'x'}})
        env = stack.environment_for_display()
        self.assertEqual({'secret': '******', 'count': 1}, env['parameters'])
        self.assertEqual({'secret': '******', 'other': 'x'},
                         env['parameter_defaults'])
        self.assertEqual('pw', stack.environment.parameters['secret'])


class ImmutableTest(testtools.TestCase):

    def test_changed(self):
        old = base.definition(TEMPLATE, {'count': 1, 'secret': 'a'})
        new = base.definition(TEMPLATE, {'count': 3, 'secret': 'b'})
        self.assertEqual(['secret'], old.changed_immutable_parameters(new))

    def test_same_value_in_another_form(self):
        text = TEMPLATE.replace('type: number\n', 'type: number\n'
                                '    immutable: true\n')
        old = base.definition(text, {'count': 3})
        new = base.definition(text, {'count': '3'})
        self.assertEqual([], old.changed_immutable_parameters(new))

    def test_only_the_new_template_decides(self):
        old = base.definition(TEMPLATE.replace('immutable: true', ''),
                              {'count': 1, 'secret': 'a'})
        new = base.definition(TEMPLATE, {'count': 1, 'secret': 'b'})
        self.assertEqual(['secret'], old.changed_immutable_parameters(new))
        self.assertEqual([], new.changed_immutable_parameters(old))
