"""The AWS types on a real cloud (CONV_CLOUD_OPENRC), through our REST API
as a project member (decision 31): an AWS::EC2::Instance on a subnet with
a security group and a volume, checked through Nova, Neutron and Cinder as
that member; AWS::CloudFormation::WaitConditions signalled with curl at
their handle's URL, and one timing out.

The cloud needs the image and flavors CONV_CLOUD_IMAGE, CONV_CLOUD_FLAVOR
and CONV_CLOUD_RESIZE_FLAVOR name (as test_nova_stacks.py).
"""

import json
import subprocess
import time

from testtools import content

from functional_tests.cloud import stacks
from functional_tests.cloud.test_nova_stacks import FLAVOR, IMAGE, \
    RESIZE_FLAVOR


def instance_template(flavor: str = FLAVOR, role: str = 'web') -> dict:
    return {'AWSTemplateFormatVersion': '2010-09-09', 'Resources': {
        'net': {'Type': 'OS::Neutron::Net'},
        'sub': {'Type': 'OS::Neutron::Subnet', 'Properties': {
            'network': {'Ref': 'net'}, 'cidr': '10.83.0.0/24'}},
        'sg': {'Type': 'OS::Neutron::SecurityGroup'},
        'vol': {'Type': 'OS::Cinder::Volume', 'Properties': {'size': 1}},
        'web': {'Type': 'AWS::EC2::Instance',
                'Metadata': {'role': role},
                'Properties': {
                    'ImageId': IMAGE, 'InstanceType': flavor,
                    'SubnetId': {'Ref': 'sub'},
                    'SecurityGroupIds': [{'Ref': 'sg'}],
                    'Tags': [{'Key': 'role', 'Value': role}],
                    'UserData': '#!/bin/sh\necho hi\n',
                    'Volumes': [{'VolumeId': {'Ref': 'vol'},
                                 'Device': '/dev/vdb'}]}}},
            'Outputs': {'ip': {'Value': {'Fn::GetAtt': ['web', 'PrivateIp']}}}}


def wait_template(timeout: int = 120) -> dict:
    return {'AWSTemplateFormatVersion': '2010-09-09', 'Resources': {
        'handle': {'Type': 'AWS::CloudFormation::WaitConditionHandle'},
        'wait': {'Type': 'AWS::CloudFormation::WaitCondition',
                 'Properties': {'Handle': {'Ref': 'handle'},
                                'Timeout': timeout}}},
            'Outputs': {'url': {'Value': {'Ref': 'handle'}},
                        'data': {'Value': {'Fn::GetAtt': ['wait', 'Data']}}}}


class AwsStackTest(stacks.CloudStackTest):

    def in_cloud(self) -> dict:
        project = self.users.project.id
        return {'server': {s.id for s in self.member.compute.servers()},
                'port': {p.id for p in self.member.network.ports(
                    project_id=project)},
                'network': {n.id for n in self.member.network.networks(
                    project_id=project)},
                'volume': {v.id for v in
                           self.member.block_storage.volumes()}}

    def outputs(self, name: str, stack_id: str) -> dict:
        return {o['output_key']: o.get('output_value')
                for o in self.stack(name, stack_id).get('outputs') or ()}

    def test_an_instance_on_a_subnet_with_a_volume_resized_in_place(self):
        stack_id = self.create('aws-inst', instance_template())
        self.wait('aws-inst', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('aws-inst', stack_id)
        server = self.member.compute.get_server(ids['web'])
        self.assertEqual(('ACTIVE', FLAVOR, {'role': 'web'}), (
            server.status, server.flavor.original_name, server.metadata))
        [port] = list(self.member.network.ports(device_id=ids['web']))
        self.assertEqual(([ids['sg']], ids['sub']), (
            port.security_group_ids, port.fixed_ips[0]['subnet_id']))
        self.assertEqual(port.fixed_ips[0]['ip_address'],
                         self.outputs('aws-inst', stack_id)['ip'])
        # Asked at /dev/vdb; Nova may name the device otherwise (the fake
        # driver's is /dev/sdb), as Heat's property says.
        volume = self.member.block_storage.get_volume(ids['vol'])
        self.assertEqual(('in-use', ids['web']), (
            volume.status, volume.attachments[0]['server_id']))

        self.update('aws-inst', stack_id, instance_template(
            RESIZE_FLAVOR, role='db'))
        stack = self.settled('aws-inst', stack_id)
        server = self.member.compute.get_server(ids['web'])
        self.addDetail('resize', content.text_content('%s: %s' % (
            stack['stack_status'], stack['stack_status_reason'])))
        self.assertEqual(ids['web'], self.ids('aws-inst', stack_id)['web'])
        # Tags are set on the same server before the resize is asked.
        self.assertEqual({'role': 'db'}, server.metadata)
        if stack['stack_status'] == 'UPDATE_COMPLETE':
            self.assertEqual(('ACTIVE', RESIZE_FLAVOR, {'role': 'db'}), (
                server.status, server.flavor.original_name,
                server.metadata))
        else:
            # One compute host without allow_resize_to_same_host: Nova
            # gives the resize up; the instance stays, as in Heat.
            self.assertEqual('UPDATE_FAILED', stack['stack_status'])
            self.assertIn("Error: resources.web: Resizing to '%s' failed"
                          % RESIZE_FLAVOR, stack['stack_status_reason'])
            self.assertEqual(('ACTIVE', FLAVOR),
                             (server.status, server.flavor.original_name))

        self.delete('aws-inst', stack_id)
        self.assertEqual({'server': set(), 'port': set(), 'network': set(),
                          'volume': set()}, self.in_cloud())

    def url_of(self, name: str, stack_id: str) -> str:
        deadline = time.monotonic() + stacks.STACK_TIMEOUT
        while time.monotonic() < deadline:
            url = self.outputs(name, stack_id).get('url')
            if url and url.startswith('http'):
                return url
            time.sleep(0.5)
        self.fail('the handle of %s gave no URL' % name)

    def curl(self, url: str, body: dict) -> str:
        """cfn-signal's request, made with curl: a PUT of the JSON body."""
        done = subprocess.run(
            ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X',
             'PUT', '-H', 'Content-Type: application/json', '--data-binary',
             json.dumps(body), url], capture_output=True, text=True,
            timeout=60, check=True)
        return done.stdout

    def test_wait_conditions_signalled_with_curl_at_the_handles_url(self):
        ok = self.create('aws-wc-ok', wait_template())
        ok_url = self.url_of('aws-wc-ok', ok)
        self.assertIn('/agent/v1/signal/', ok_url)
        self.assertEqual('204', self.curl(ok_url, {
            'Status': 'SUCCESS', 'Reason': 'ready', 'UniqueId': 'a',
            'Data': 'up'}))
        self.wait('aws-wc-ok', ok, 'CREATE_COMPLETE')
        self.assertEqual(json.dumps({'a': 'up'}),
                         self.outputs('aws-wc-ok', ok)['data'])

        bad = self.create('aws-wc-bad', wait_template())
        self.assertEqual('204', self.curl(self.url_of('aws-wc-bad', bad), {
            'Status': 'FAILURE', 'Reason': 'it broke', 'UniqueId': 'a',
            'Data': ''}))
        stack = self.settled('aws-wc-bad', bad)
        self.assertEqual('CREATE_FAILED', stack['stack_status'])
        wait = self.resources('aws-wc-bad', bad)['wait']
        self.assertEqual('WaitConditionFailure: resources.wait: it broke',
                         wait['resource_status_reason'])

        self.delete('aws-wc-ok', ok)
        self.delete('aws-wc-bad', bad)
        self.assertEqual('404', self.curl(ok_url, {
            'Status': 'SUCCESS', 'Reason': 'late', 'UniqueId': 'b',
            'Data': ''}))

    def test_a_wait_condition_times_out_with_heats_reason(self):
        stack_id = self.create('aws-wc-late', wait_template(timeout=1))
        stack = self.settled('aws-wc-late', stack_id)
        self.assertEqual('CREATE_FAILED', stack['stack_status'])
        wait = self.resources('aws-wc-late', stack_id)['wait']
        self.assertEqual('WaitConditionTimeout: resources.wait: 0 of 1 '
                         'received', wait['resource_status_reason'])
        self.delete('aws-wc-late', stack_id)
