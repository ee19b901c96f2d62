"""CFN templates through python-heatclient: create, update, delete.

The expected values are those upstream Heat 27.0.1 gives for the same
template and requests (checked against the reference rig).
"""

import json
import uuid

from functional_tests import base

EVERY_TYPE = json.dumps({
    'AWSTemplateFormatVersion': '2010-09-09',
    'Description': 'every built-in type, in CFN',
    'Parameters': {
        'Greeting': {'Type': 'String', 'Default': 'hello',
                     'AllowedValues': ['hello', 'bye']},
        'Size': {'Type': 'Number', 'Default': 12, 'MinValue': 8,
                 'MaxValue': 16},
        'Extra': {'Type': 'String', 'Default': 'no',
                  'AllowedValues': ['yes', 'no']},
    },
    'Mappings': {'Words': {'hello': {'Reply': 'hi'},
                           'bye': {'Reply': 'see you'}}},
    'Conditions': {'WithExtra': {'Fn::Equals': [{'Ref': 'Extra'}, 'yes']}},
    'Resources': {
        'Secret': {'Type': 'OS::Heat::RandomString',
                   'Properties': {'length': {'Ref': 'Size'}}},
        'Message': {'Type': 'OS::Heat::Value', 'Properties': {
            'value': {'Fn::Join': [' ', [
                {'Fn::FindInMap': ['Words', {'Ref': 'Greeting'}, 'Reply']},
                {'Ref': 'AWS::StackName'}]]}}},
        'Slow': {'Type': 'OS::Heat::TestResource', 'DependsOn': 'Secret',
                 'Properties': {'value': {'Fn::GetAtt': ['Message',
                                                         'value']}}},
        'Marker': {'Type': 'OS::Heat::None', 'Condition': 'WithExtra',
                   'Properties': {'ref': {'Ref': 'Secret'}}},
    },
    'Outputs': {
        'message': {'Value': {'Fn::GetAtt': ['Slow', 'output']},
                    'Description': 'the reply'},
        'length': {'Value': {'Fn::Select': [0, {'Fn::Split': [
            ',', {'Fn::Replace': [{'%n%': {'Ref': 'Size'}}, '%n%,x']}]}]}},
        'region': {'Value': {'Ref': 'AWS::Region'}},
        'marker': {'Value': {'Ref': 'Marker'}, 'Condition': 'WithExtra'},
        'extra': {'Value': {'Fn::If': ['WithExtra', 'on', 'off']}},
    },
})

HEAT_FORMAT = """
HeatTemplateFormatVersion: '2012-12-12'
Parameters:
  Value: {Type: String, Default: one}
Resources:
  Test:
    Type: OS::Heat::TestResource
    Properties:
      value: {Ref: Value}
Outputs:
  value: {Value: {'Fn::GetAtt': [Test, output]}}
"""


class CfnStackTest(base.FunctionalTestCase):

    def test_create_update_delete(self):
        stack = self.create_stack(EVERY_TYPE)
        name, stack_id = stack.split('/')
        self.assertEqual({'message': 'hi ' + name, 'length': '12',
                          'region': 'ap-southeast-1', 'marker': None,
                          'extra': 'off'}, self.outputs(stack))
        shown = self.client.stacks.get(stack)
        self.assertEqual('every built-in type, in CFN', shown.description)
        parameters = dict(shown.parameters)
        self.assertRegex(parameters.pop('AWS::StackId'),
                         '^arn:openstack:heat::[^:/]+:stacks/%s/%s$'
                         % (name, stack_id))
        self.assertEqual({'AWS::StackName': name,
                          'AWS::Region': 'ap-southeast-1',
                          'Greeting': 'hello', 'Size': '12', 'Extra': 'no'},
                         parameters)
        self.assertEqual({'Secret': 'CREATE_COMPLETE',
                          'Message': 'CREATE_COMPLETE',
                          'Slow': 'CREATE_COMPLETE'},
                         self.resource_statuses(stack))
        self.assertEqual(12, len(self.client.resources.get(
            stack, 'Secret').attributes['value']))

        self.update_stack(stack, EVERY_TYPE, parameters={
            'Greeting': 'bye', 'Extra': 'yes', 'Size': '10'})
        outputs = self.outputs(stack)
        uuid.UUID(outputs.pop('marker'))
        self.assertEqual({'message': 'see you ' + name, 'length': '10',
                          'region': 'ap-southeast-1', 'extra': 'on'},
                         outputs)
        # A new length replaces the RandomString: its new row is created.
        self.assertEqual({'Secret': 'CREATE_COMPLETE',
                          'Message': 'UPDATE_COMPLETE',
                          'Slow': 'UPDATE_COMPLETE',
                          'Marker': 'CREATE_COMPLETE'},
                         self.resource_statuses(stack))
        self.assertEqual(10, len(self.client.resources.get(
            stack, 'Secret').attributes['value']))

        self.delete_stack(stack)

    def test_heat_format_create_update_delete(self):
        stack = self.create_stack(HEAT_FORMAT)
        self.assertEqual({'value': 'one'}, self.outputs(stack))
        self.update_stack(stack, HEAT_FORMAT, parameters={'Value': 'two'})
        self.assertEqual({'value': 'two'}, self.outputs(stack))
        self.delete_stack(stack)

    def test_invalid_cfn_is_refused_with_its_path(self):
        template = json.dumps({
            'AWSTemplateFormatVersion': '2010-09-09',
            'Resources': {'R': {'Type': 'OS::Heat::None', 'Properties': {
                'p': {'Fn::ResourceFacade': 'Metadata'}}}}})
        response = self.http('POST', '/stacks', json={
            'stack_name': self.stack_name('facade'), 'template': template})
        self.assertHeatError(response, 400, 'StackValidationFailed',
                             'Resources.R.Properties.p.Fn::ResourceFacade',
                             'nested stack')

    def test_template_versions_and_functions(self):
        versions = [v.to_dict() for v in self.client.template_versions.list()]
        self.assertEqual(
            [{'version': 'AWSTemplateFormatVersion.2010-09-09',
              'type': 'cfn', 'aliases': []},
             {'version': 'HeatTemplateFormatVersion.2012-12-12',
              'type': 'cfn', 'aliases': []}], versions[:2])
        functions = [f.functions for f in self.client.template_versions.get(
            'AWSTemplateFormatVersion.2010-09-09', with_condition_func=True)]
        self.assertIn('Fn::FindInMap', functions)
        self.assertIn('Fn::Equals', functions)
