"""AWS::EC2::Instance through the engine, on the in-memory cloud
(resources/aws/ec2_instance.py, decision 31).

An instance on a subnet of the stack, with a security group, Tags, a
template Metadata and a volume: Nova gets the server the AWS properties
name (a port made on the subnet with the group, the Tags as metadata, the
cfn-tools multipart with the Metadata as cfn-init-data), the volume is
attached at its Device; InstanceType resizes the same server, Tags change
its metadata in place, ImageId replaces it; a check compares Nova's
flavor with InstanceType; the delete leaves nothing, even of a server
already gone.
"""

import base64
import email
import json

from convergence.tests.scenarios import framework
from convergence.tests.scenarios.test_nova_scenarios import \
    NovaCloudScenario

NAME = framework.STACK_NAME


def template(flavor='m1.tiny', image='tiny', tags=None,
             volume=True) -> dict:
    tmpl = {'AWSTemplateFormatVersion': '2010-09-09', 'Resources': {
        'net': {'Type': 'OS::Neutron::Net'},
        'sub': {'Type': 'OS::Neutron::Subnet',
                'Properties': {'network': {'Ref': 'net'},
                               'cidr': '10.0.0.0/24'}},
        'sg': {'Type': 'OS::Neutron::SecurityGroup'},
        'vol': {'Type': 'OS::Cinder::Volume', 'Properties': {'size': 1}},
        'web': {'Type': 'AWS::EC2::Instance',
                'Metadata': {'AWS::CloudFormation::Init': {
                    'config': {'files': {'/tmp/x': {'content': {
                        'Ref': 'sub'}}}}}},
                'Properties': {
                    'ImageId': image, 'InstanceType': flavor,
                    'SubnetId': {'Ref': 'sub'},
                    'SecurityGroupIds': [{'Ref': 'sg'}],
                    'Tags': tags if tags is not None else [
                        {'Key': 'role', 'Value': 'web'}],
                    'UserData': '#!/bin/sh\necho hi\n',
                    'Volumes': [{'VolumeId': {'Ref': 'vol'},
                                 'Device': '/dev/vdb'}]}}},
            'Outputs': {'ip': {'Value': {'Fn::GetAtt': ['web', 'PrivateIp']}},
                        'az': {'Value': {'Fn::GetAtt': ['web',
                                                        'AvailabilityZone']}}}}
    if not volume:
        # A volume attached to the instance cannot go to its replacement
        # before the old one is deleted (in Heat neither).
        del tmpl['Resources']['vol']
        del tmpl['Resources']['web']['Properties']['Volumes']
    return tmpl


class Ec2InstanceTest(NovaCloudScenario):

    def setUp(self):
        super().setUp()
        self.clouds.cloud.image.add('other')

    def call(self, method, *args) -> None:
        self.scenario.call(method, self.user, *args)
        self.scenario.run()

    def assert_state(self, expected: str) -> None:
        self.assertTrue(self.state().startswith(expected), self.state())

    def outputs(self) -> dict:
        [shown] = self.scenario.engine_service.show_stack(
            self.user, self.scenario._identity(NAME))
        return {o['output_key']: o['output_value'] for o in shown['outputs']}

    def test_create_update_and_delete(self):
        self.create(template())
        self.assert_state('CREATE_COMPLETE')
        [(server_id, server)] = self.servers().items()
        [port] = [p for p in self.network.resources['port'].values()
                  if p['device_id'] == server_id]
        [group] = list(self.network.resources['security_group'])
        [subnet] = list(self.network.resources['subnet'])
        self.assertEqual(([group], subnet),
                         (port['security_groups'],
                          port['fixed_ips'][0]['subnet_id']))
        self.assertEqual({'role': 'web'}, server['metadata'])
        self.assertEqual([{'name': group}], server['security_groups'])
        parts = {p.get_filename(): p.get_payload() for p in
                 email.message_from_string(base64.b64decode(
                     server['user_data']).decode()).get_payload()}
        self.assertEqual('#!/bin/sh\necho hi\n', parts['cfn-userdata'])
        self.assertEqual({'AWS::CloudFormation::Init': {'config': {
            'files': {'/tmp/x': {'content': subnet}}}}},
            json.loads(parts['cfn-init-data']))
        [volume] = self.volumes.resources['volume'].values()
        self.assertEqual('in-use', volume['status'])
        self.assertIn(('attach_volume', 'server', server_id, volume['id'],
                       '/dev/vdb'), self.compute.calls)
        self.assertEqual({'ip': port['fixed_ips'][0]['ip_address'],
                          'az': None}, self.outputs())

        self.update(template(flavor='m1.small',
                             tags=[{'Key': 'role', 'Value': 'db'}]))
        self.assert_state('UPDATE_COMPLETE')
        self.assertEqual([server_id], list(self.servers()))
        self.assertEqual(({'id': '2'}, {'role': 'db'}),
                         (server['flavor'], server['metadata']))

        self.call(self.scenario.engine_service.delete_stack,
                  self.scenario._identity(NAME))
        self.assertEqual(({}, {}, {}), (
            self.servers(), self.volumes.resources['volume'],
            self.network.resources['port']))

    def test_an_image_change_replaces_the_instance(self):
        self.create(template(volume=False))
        [server_id] = list(self.servers())
        self.update(template(image='other', volume=False))
        self.assert_state('UPDATE_COMPLETE')
        [replacement] = list(self.servers())
        self.assertNotEqual(server_id, replacement)
        [port] = self.network.resources['port'].values()
        self.assertEqual(replacement, port['device_id'])

    def test_a_check_compares_the_flavor_and_a_gone_server_deletes(self):
        self.create(template())
        [(server_id, server)] = self.servers().items()
        server['flavor'] = {'id': '2'}
        self.call(self.scenario.engine_service.stack_check,
                  self.scenario._identity(NAME))
        self.assertIn('CHECK_FAILED', self.state())
        rows = {r['name']: r for r in self.scenario.db.resources_of_stack(
            self.scenario.db.stack_get_by_name('test', NAME)['id'])}
        self.assertEqual("Error: resources.web: 'InstanceType': expected "
                         "'m1.tiny', got 'm1.small'",
                         rows['web']['status_reason'])
        self.compute.delete('server', server_id)
        while self.compute.show('server', server_id) is not None:
            pass  # Nova deletes it behind the stack's back
        self.call(self.scenario.engine_service.delete_stack,
                  self.scenario._identity(NAME))
        self.assertIsNone(self.scenario.db.stack_get_by_name('test', NAME))
        self.assertEqual({}, self.network.resources['port'])

    def test_unimplemented_properties_are_refused_by_name(self):
        tmpl = template()
        tmpl['Resources']['web']['Properties']['KernelId'] = 'aki-1'
        error = self.assertRaises(
            Exception, self.scenario.engine_service.create_stack, self.user,
            NAME, tmpl, {'parameters': {}}, {}, {})
        self.assertIn('Property error: resources.web.properties: Property '
                      'KernelId not implemented yet', str(error))

    def test_suspend_resume_and_a_check_of_a_stopped_instance(self):
        self.create(template(volume=False))
        [server] = self.servers().values()
        identity = self.scenario._identity(NAME)
        self.call(self.scenario.engine_service.stack_suspend, identity)
        self.assert_state('SUSPEND_COMPLETE')
        self.assertEqual('SUSPENDED', server['status'])
        self.call(self.scenario.engine_service.stack_resume, identity)
        self.assert_state('RESUME_COMPLETE')
        self.assertEqual('ACTIVE', server['status'])
        server['status'] = 'SHUTOFF'
        self.call(self.scenario.engine_service.stack_check, identity)
        self.assertIn('CHECK_FAILED', self.state())
        rows = {r['name']: r for r in self.scenario.db.resources_of_stack(
            self.scenario.db.stack_get_by_name('test', NAME)['id'])}
        self.assertEqual('Error: resources.web: Instance is not ACTIVE '
                         '(was: SHUTOFF)', rows['web']['status_reason'])
