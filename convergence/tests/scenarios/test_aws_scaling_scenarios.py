"""The AWS scaling group family without a cloud: launch configurations,
InstanceGroup, AWS::AutoScaling::AutoScalingGroup and its policies.

Given an engine on the stepped queue (the scenario framework's) and an
environment that maps AWS::EC2::Instance to a provider template, as
Heat's functional tests map it: its ``PublicIp`` output shows the member's
``UserData``, and its other outputs are the instance's other attributes
(Heat asks a provider of the instance's facade for all of them).
"""

import copy
import re

import testtools

from convergence import exceptions
from convergence.tests.scenarios import framework

NAME = 'aws'
INSTANCE = '''
heat_template_version: 2013-05-23
parameters:
  ImageId: {type: string}
  InstanceType: {type: string}
  SecurityGroups: {type: comma_delimited_list}
  UserData: {type: string}
  Tags: {type: comma_delimited_list}
resources:
  nothing: {type: OS::Heat::None}
outputs:
  PublicIp: {value: {get_param: UserData}}
  AvailabilityZone: {value: nova}
  PrivateDnsName: {value: not-used}
  PublicDnsName: {value: not-used}
  PrivateIp: {value: not-used}
'''
FILES = {'provider.yaml': INSTANCE}
ENV = {'resource_registry': {'AWS::EC2::Instance': 'provider.yaml'}}
CONFIG = {'Type': 'AWS::AutoScaling::LaunchConfiguration',
          'Metadata': {'foo': 'bar'},
          'Properties': {'ImageId': 'cirros', 'InstanceType': 'm1.tiny',
                         'SecurityGroups': ['sg-1'], 'UserData': 'one'}}


def instance_group(size=5, rolling=None, zone='nova', user_data='one'):
    group = {'Type': 'OS::Heat::InstanceGroup', 'Properties': {
        'LaunchConfigurationName': {'Ref': 'JobServerConfig'},
        'Size': size, 'AvailabilityZones': [zone]}}
    if rolling is not None:
        group['UpdatePolicy'] = {'RollingUpdate': rolling}
    config = copy.deepcopy(CONFIG)
    config['Properties']['UserData'] = user_data
    return {'AWSTemplateFormatVersion': '2010-09-09', 'Resources': {
        'JobServerGroup': group, 'JobServerConfig': config}, 'Outputs': {
        'InstanceList': {'Value': {'Fn::GetAtt': ['JobServerGroup',
                                                  'InstanceList']}},
        'ConfigRef': {'Value': {'Ref': 'JobServerConfig'}}}}


def scaling_group(desired=2, down=-2):
    def policy(adjustment):
        return {'Type': 'AWS::AutoScaling::ScalingPolicy', 'Properties': {
            'AdjustmentType': 'ChangeInCapacity', 'Cooldown': '0',
            'AutoScalingGroupName': {'Ref': 'JobServerGroup'},
            'ScalingAdjustment': adjustment}}
    return {'AWSTemplateFormatVersion': '2010-09-09', 'Resources': {
        'JobServerGroup': {
            'Type': 'AWS::AutoScaling::AutoScalingGroup', 'Properties': {
                'AvailabilityZones': ['nova'], 'MinSize': '0',
                'MaxSize': '20', 'DesiredCapacity': desired,
                'LaunchConfigurationName': {'Ref': 'JobServerConfig'}}},
        'JobServerConfig': copy.deepcopy(CONFIG),
        'ScaleUpPolicy': policy('1'), 'ScaleDownPolicy': policy(down)},
        'Outputs': {'InstanceList': {'Value': {
            'Fn::GetAtt': ['JobServerGroup', 'InstanceList']}}}}


class AWSScalingCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.service = self.scenario.engine_service
        self.ctxt = self.scenario.context

    def create(self, tmpl) -> dict:
        self.identity = self.service.create_stack(
            self.ctxt, NAME, tmpl, copy.deepcopy(ENV), FILES, {})
        self.scenario.run()
        return self.identity

    def update(self, tmpl) -> None:
        self.service.update_stack(self.ctxt, self.identity, tmpl,
                                  copy.deepcopy(ENV), FILES, {})
        self.scenario.run()

    def stack(self) -> dict:
        return self.scenario.db.stack_get(self.identity['stack_id'])

    def state(self) -> tuple:
        stack = self.stack()
        return stack['action'], stack['status'], stack['status_reason']

    def row(self, name: str) -> dict:
        rows = [r for r in self.scenario.db.resources_of_stack(
            self.identity['stack_id']) if r['name'] == name
            and r['action'] != 'DELETE']
        return max(rows, key=lambda r: r['id'])

    def members(self) -> dict:
        """Member name -> its row, in the group's child."""
        child = self.row('JobServerGroup')['physical_resource_id']
        return {r['name']: r for r in
                self.scenario.db.resources_of_stack(child)
                if r['action'] != 'DELETE'}

    def output(self, key: str):
        shown = self.service.show_stack(self.ctxt, self.identity)[0]
        return {o['output_key']: o['output_value']
                for o in shown['outputs']}[key]


class InstanceGroupScenarioTest(AWSScalingCase):

    def test_members_are_instances_of_the_launch_configuration(self):
        self.create(instance_group(size=3))
        self.assertEqual(('CREATE', 'COMPLETE'), self.state()[:2])
        self.assertEqual('one,one,one', self.output('InstanceList'))
        self.assertTrue(re.match('%s-JobServerConfig-[a-z0-9]+$' % NAME,
                                 self.output('ConfigRef')))
        self.assertEqual(3, len(self.members()))

    def test_a_size_update_keeps_the_members(self):
        self.create(instance_group(size=2))
        before = set(self.members())
        self.update(instance_group(size=4))
        self.assertEqual(('UPDATE', 'COMPLETE'), self.state()[:2])
        self.assertEqual(4, len(self.members()))
        self.assertLessEqual(before, set(self.members()))

    def test_a_new_configuration_rolls_with_heats_capacity_adjustment(self):
        rolling = {'MinInstancesInService': '4', 'MaxBatchSize': '4',
                   'PauseTime': 'PT0S'}
        self.create(instance_group(rolling=rolling))
        before_ref = self.output('ConfigRef')
        before = set(self.members())
        self.update(instance_group(rolling=rolling, user_data='two'))
        self.assertEqual(('UPDATE', 'COMPLETE'), self.state()[:2])
        self.assertNotEqual(before_ref, self.output('ConfigRef'))
        after = set(self.members())
        # Heat's counts (heat_integrationtests test_instance_group).
        self.assertEqual((5, 2, 3, 3), (len(after), len(after & before),
                                        len(after - before),
                                        len(before - after)))

    def test_a_new_configuration_without_rolling_update_only_resizes(self):
        self.create(instance_group(size=2))
        self.update(instance_group(size=3, user_data='two'))
        self.assertEqual(['one', 'one', 'two'],
                         sorted(self.output('InstanceList').split(',')))

    def test_a_new_zone_replaces_the_group(self):
        self.create(instance_group(size=1))
        before = self.row('JobServerGroup')['physical_resource_id']
        self.update(instance_group(size=2, zone='wibble', user_data='two'))
        self.assertEqual(('UPDATE', 'COMPLETE'), self.state()[:2])
        self.assertNotEqual(before,
                            self.row('JobServerGroup')['physical_resource_id'])
        self.assertEqual('two,two', self.output('InstanceList'))

    def test_suspend_and_resume_reach_the_members(self):
        self.create(instance_group(size=2))
        self.service.stack_suspend(self.ctxt, self.identity)
        self.scenario.run()
        self.assertEqual({('SUSPEND', 'COMPLETE')}, {
            (r['action'], r['status']) for r in self.members().values()})
        self.service.stack_resume(self.ctxt, self.identity)
        self.scenario.run()
        self.assertEqual({('RESUME', 'COMPLETE')}, {
            (r['action'], r['status']) for r in self.members().values()})

    def test_a_pause_over_an_hour_is_refused(self):
        tmpl = instance_group(rolling={'PauseTime': 'PT2H'})
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                self.service.create_stack, self.ctxt, NAME,
                                tmpl, copy.deepcopy(ENV), FILES, {})
        self.assertIn('Maximum PauseTime is 1 hour.', str(exc))


class AWSAutoScalingScenarioTest(AWSScalingCase):

    def signal(self, policy: str):
        return self.service.resource_signal(self.ctxt, self.identity, policy,
                                            None, sync_call=True)

    def test_policies_resize_the_group(self):
        self.create(scaling_group())
        self.assertEqual(('CREATE', 'COMPLETE'), self.state()[:2])
        self.assertEqual(2, len(self.output('InstanceList').split(',')))
        self.signal('ScaleUpPolicy')
        self.scenario.run()
        self.assertEqual(3, len(self.members()))
        self.assertEqual(3, len(self.output('InstanceList').split(',')))
        self.signal('ScaleDownPolicy')
        self.scenario.run()
        self.assertEqual(1, len(self.output('InstanceList').split(',')))

    def test_no_signal_during_suspend(self):
        self.create(scaling_group())
        self.service.stack_suspend(self.ctxt, self.identity)
        self.scenario.run()
        exc = self.assertRaises(exceptions.NotSupported, self.signal,
                                'ScaleUpPolicy')
        self.assertIn('Signal resource during SUSPEND is not supported',
                      str(exc))
        self.assertEqual(2, len(self.members()))

    def test_a_rolling_update_of_an_autoscaling_group(self):
        tmpl = scaling_group(desired=10)
        tmpl['Resources']['JobServerGroup']['UpdatePolicy'] = {
            'AutoScalingRollingUpdate': {'MinInstancesInService': '8',
                                         'MaxBatchSize': '4',
                                         'PauseTime': 'PT0S'}}
        self.create(tmpl)
        before = set(self.members())
        tmpl = copy.deepcopy(tmpl)
        tmpl['Resources']['JobServerConfig']['Properties'][
            'UserData'] = 'two'
        self.update(tmpl)
        self.assertEqual(('UPDATE', 'COMPLETE'), self.state()[:2])
        after = set(self.members())
        self.assertEqual((10, 8, 2, 2), (len(after), len(after & before),
                                         len(after - before),
                                         len(before - after)))

    def test_either_instance_id_or_launch_configuration(self):
        tmpl = scaling_group()
        del tmpl['Resources']['JobServerGroup']['Properties'][
            'LaunchConfigurationName']
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                self.service.create_stack, self.ctxt, NAME,
                                tmpl, copy.deepcopy(ENV), FILES, {})
        self.assertIn("Either 'InstanceId' or 'LaunchConfigurationName' "
                      "must be provided.", str(exc))


class AWSScalingPreviewTest(AWSScalingCase):

    def test_a_preview_shows_the_members(self):
        shown = self.service.preview_stack(
            self.ctxt, 'p', instance_group(size=2), copy.deepcopy(ENV),
            FILES, {})
        nested = [r for r in shown['resources'] if isinstance(r, list)]
        self.assertEqual(1, len(nested))
        self.assertEqual(2, len(nested[0]))

    def test_an_update_preview_reads_the_stored_configuration(self):
        self.create(instance_group(size=2))
        shown = self.service.preview_update_stack(
            self.ctxt, self.identity, instance_group(size=3),
            copy.deepcopy(ENV), FILES, {})
        self.assertIn('JobServerGroup',
                      [r['resource_name'] for r in shown['updated']])
