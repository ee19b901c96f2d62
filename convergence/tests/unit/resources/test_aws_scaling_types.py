"""The AWS scaling types' own logic: validation with Heat's messages, a
member's definition from the launch configuration, InstanceList, the
update decisions and the batch plans."""

import testtools

from convergence import exceptions
from convergence.resources import base
from convergence.resources import group_batches
from convergence.resources import instance_group as ig
from convergence.tests.unit.resources.utils import SHORT_ID, make_resource
from convergence.tests.unit.resources.utils import validated

LC = 'AWS::AutoScaling::LaunchConfiguration'
IG = 'OS::Heat::InstanceGroup'
ASG = 'AWS::AutoScaling::AutoScalingGroup'
POLICY = 'AWS::AutoScaling::ScalingPolicy'
LC_PROPS = {'ImageId': 'cirros', 'InstanceType': 'm1.tiny'}
CONF = {'name': 'conf', 'type': LC, 'metadata': {'foo': 'bar'},
        'properties': dict(validated(LC, dict(LC_PROPS, UserData='u')))}


def lookup(ref):
    return CONF if ref == 'conf-ref' else None


def group(type_name=IG, members=None, outputs=None, referenced=(),
          **props):
    base_props = ({'Size': 2} if type_name == IG else
                  {'MinSize': 1, 'MaxSize': 5})
    props = dict(base_props, AvailabilityZones=['nova'],
                 LaunchConfigurationName='conf-ref') | props
    data = {} if members is None else {'members': list(members)}
    return make_resource(type_name, props, name='grp', data=data,
                         resource_by_refid=lookup, nested_outputs=outputs,
                         referenced_attributes=frozenset(referenced),
                         resource_id=None if members is None else 'child')


def refused(type_name, props, exc_class=exceptions.StackValidationFailed):
    return str(testtools.TestCase.assertRaises(
        testtools.TestCase('run'), exc_class, validated, type_name, props))


class LaunchConfigurationTest(testtools.TestCase):

    def test_image_and_flavor_without_instance_id(self):
        self.assertIn('If without InstanceId, ImageId and InstanceType are '
                      'required.', refused(LC, {'ImageId': 'cirros'}))
        validated(LC, {'InstanceId': 'server'})

    def test_block_device_mappings_need_a_snapshot(self):
        bdm = {'DeviceName': 'vdb'}
        self.assertIn('Ebs is missing, this is required when specifying '
                      'BlockDeviceMappings.', refused(
                          LC, dict(LC_PROPS, BlockDeviceMappings=[bdm])))
        bdm['Ebs'] = {'VolumeSize': '1'}
        self.assertIn('SnapshotId is missing', refused(
            LC, dict(LC_PROPS, BlockDeviceMappings=[bdm])))

    def test_what_heat_does_not_implement_is_refused_by_name(self):
        self.assertIn('Property error: resources.r.properties: Property '
                      'KernelId not implemented yet',
                      refused(LC, dict(LC_PROPS, KernelId='k')))
        bdm = {'DeviceName': 'vdb', 'Ebs': {'SnapshotId': 's', 'Iops': 3}}
        self.assertIn('BlockDeviceMappings[0].Ebs: Property Iops not '
                      'implemented yet',
                      refused(LC, dict(LC_PROPS, BlockDeviceMappings=[bdm])))

    def test_its_reference_is_its_physical_name_and_any_change_replaces(self):
        conf = make_resource(LC, LC_PROPS, name='conf')
        self.assertEqual('st-conf-%s' % SHORT_ID, conf.get_reference_id())
        conf.handle_create()
        self.assertEqual('st-conf-%s' % SHORT_ID, conf.resource_id)
        plan = conf.plan_update(validated(LC, dict(LC_PROPS, UserData='x')))
        self.assertEqual(base.REPLACE, plan.decision)


class InstanceGroupTest(testtools.TestCase):

    def test_a_member_is_an_instance_of_the_configuration(self):
        snippet = group(Tags=[{'Key': 'k', 'Value': 'v'}]).member_definition()
        self.assertEqual('OS::Heat::ScaledResource', snippet['type'])
        self.assertEqual({'foo': 'bar'}, snippet['metadata'])
        self.assertEqual(
            {'ImageId': 'cirros', 'InstanceType': 'm1.tiny', 'UserData': 'u',
             'Tags': [{'Key': 'k', 'Value': 'v'},
                      {'Key': 'metering.groupname', 'Value': 'grp'}]},
            snippet['properties'])

    def test_an_autoscaling_group_tags_its_members_with_its_name(self):
        tags = group(ASG).member_definition()['properties']['Tags']
        self.assertEqual(['metering.groupname',
                          'metering.AutoScalingGroupName'],
                         [t['Key'] for t in tags])
        subnet = group(ASG, VPCZoneIdentifier=['subnet-1'])
        self.assertEqual('subnet-1',
                         subnet.member_definition()['properties']['SubnetId'])

    def test_a_reference_to_no_configuration_fails_with_heats_words(self):
        res = group(LaunchConfigurationName='JobServerConfig')
        exc = self.assertRaises(exceptions.ResourceFailure,
                                res.member_definition)
        self.assertEqual('ValueError: resources.grp: LaunchConfigurationName '
                         '(JobServerConfig) reference can not be found.',
                         str(exc))

    def test_the_child_maps_members_to_instances(self):
        env = group().child_environment()
        self.assertEqual('AWS::EC2::Instance', env['resource_registry'][
            'OS::Heat::ScaledResource'])

    def test_instance_list_is_the_members_addresses_oldest_first(self):
        outputs = {'InstanceList': {'b': '10.0.0.2', 'a': '10.0.0.1',
                                    'c': None}}
        res = group(members=['b', 'a', 'c'], outputs=outputs)
        self.assertEqual('10.0.0.2,10.0.0.1,0.0.0.0',
                         res.get_attribute('InstanceList'))
        self.assertIsNone(group(members=[], outputs={}).get_attribute(
            'InstanceList'))

    def test_the_child_outputs_what_the_parent_reads(self):
        res = group(referenced=['InstanceList'])
        template = res.child_template()
        names = sorted(template['resources'])
        self.assertEqual(2, len(names))
        self.assertEqual({n: {'get_attr': [n, 'PublicIp']} for n in names},
                         template['outputs']['InstanceList']['value'])
        self.assertNotIn('InstanceList',
                         group().child_template().get('outputs', {}))

    def test_a_new_zone_replaces_a_new_size_does_not(self):
        res = group(members=['a', 'b'])
        new = dict(res.properties, AvailabilityZones=['other'])
        self.assertEqual(base.REPLACE, res.plan_update(new).decision)
        new = dict(res.properties, Size=3)
        self.assertEqual(base.IN_PLACE, res.plan_update(new).decision)

    def test_an_update_rolls_only_for_a_new_configuration(self):
        res = group(members=['a', 'b'])
        policy = {'RollingUpdate': {'MinInstancesInService': 1,
                                    'MaxBatchSize': 2, 'PauseTime': 'PT5S'}}
        same = dict(res.properties)
        self.assertTrue(res.batch_policy('UPDATE', policy, same).resize_only)
        rolling = res.batch_policy(
            'UPDATE', policy, dict(same, LaunchConfigurationName='old'))
        self.assertEqual(group_batches.Policy(2, 1, 5), rolling)
        self.assertTrue(res.batch_policy(
            'UPDATE', {}, dict(same, LaunchConfigurationName='old')
        ).resize_only)
        self.assertIsNone(res.batch_policy('CREATE', policy, {}))
        members = [group_batches.Member(n, {}, False) for n in 'ab']
        self.assertEqual([(2, 0)], res.batches(
            res.batch_policy('UPDATE', policy, same), members))
        # One spare member keeps one in service.
        self.assertEqual([(3, 2), (2, 0)], res.batches(rolling, members))

    def test_update_policy_checks(self):
        check = ig.InstanceGroup.check_update_policy
        check({'RollingUpdate': {'PauseTime': 'PT1H'}})
        exc = self.assertRaises(exceptions.StackValidationFailed, check,
                                {'RollingUpdate': {'PauseTime': 'PT61M'}})
        self.assertEqual('Maximum PauseTime is 1 hour.', exc.message)
        self.assertRaises(exceptions.StackValidationFailed, check,
                          {'RollingUpdate': {'PauseTime': '5'}})

    def test_load_balancers_are_refused_by_name(self):
        self.assertIn('Property LoadBalancerNames of OS::Heat::InstanceGroup '
                      'is not implemented here.', refused(IG, {
                          'AvailabilityZones': [], 'Size': 1,
                          'LaunchConfigurationName': 'c',
                          'LoadBalancerNames': ['lb']}))


class AWSAutoScalingGroupTest(testtools.TestCase):

    def props(self, **more):
        return dict({'AvailabilityZones': ['nova'], 'MinSize': 1,
                     'MaxSize': 3, 'LaunchConfigurationName': 'c'}, **more)

    def test_heats_size_checks(self):
        self.assertIn('MinSize can not be greater than MaxSize',
                      refused(ASG, self.props(MinSize=4)))
        self.assertIn('The size of AutoScalingGroup can not be less than '
                      'zero', refused(ASG, self.props(MinSize=-1)))
        self.assertIn('DesiredCapacity must be between MinSize and MaxSize',
                      refused(ASG, self.props(DesiredCapacity=9)))

    def test_one_source_of_members_and_one_subnet(self):
        msg = ("Either 'InstanceId' or 'LaunchConfigurationName' must be "
               "provided.")
        self.assertIn(msg, refused(ASG, self.props(InstanceId='s')))
        props = self.props()
        del props['LaunchConfigurationName']
        self.assertIn(msg, refused(ASG, props))
        self.assertIn('Anything other than one VPCZoneIdentifier', refused(
            ASG, self.props(VPCZoneIdentifier=['a', 'b']),
            exceptions.NotSupported))
        self.assertIn('HealthCheckType not implemented yet',
                      refused(ASG, self.props(HealthCheckType='EC2')))

    def test_sizes(self):
        res = group(ASG, DesiredCapacity=3)
        self.assertEqual(3, res.initial_size())
        self.assertEqual(1, group(ASG).initial_size())
        res = group(ASG, members=['a', 'b'])
        self.assertEqual(2, res.target_size(2))
        self.assertEqual(5, res.adjusted_size(9, 'ChangeInCapacity', None))
        self.assertEqual(1, res.adjusted_size(-2, 'ChangeInCapacity', None))
        self.assertEqual(3, res.adjusted_size(50, 'PercentChangeInCapacity',
                                              None))

    def test_the_rolling_update_targets_desired_capacity_then_resizes(self):
        res = group(ASG, members=list('abcd'), DesiredCapacity=2,
                    MaxSize=4)
        policy = res.batch_policy('UPDATE', {'AutoScalingRollingUpdate': {
            'MinInstancesInService': 0, 'MaxBatchSize': 4,
            'PauseTime': 'PT0S'}}, dict(res.properties,
                                        LaunchConfigurationName='old'))
        members = [group_batches.Member(n, {}, False) for n in 'abcd']
        self.assertEqual([(2, 2)], res.batches(policy, members))


class AWSScalingPolicyTest(testtools.TestCase):

    def props(self, **more):
        return dict({'AdjustmentType': 'ChangeInCapacity',
                     'AutoScalingGroupName': 'g',
                     'ScalingAdjustment': '1'}, **more)

    def test_adjustment_types_and_their_step(self):
        validated(POLICY, self.props(AdjustmentType='ExactCapacity'))
        validated(POLICY, self.props(AdjustmentType='PercentChangeInCapacity',
                                     MinAdjustmentStep=2))
        self.assertIn('MinAdjustmentStep property should only be specified '
                      'for AdjustmentType with value PercentChangeInCapacity.',
                      refused(POLICY, self.props(MinAdjustmentStep=2)))
        self.assertIn('"change_in_capacity" is not an allowed value', refused(
            POLICY, self.props(AdjustmentType='change_in_capacity')))

    def test_alarm_url_is_refused_with_the_reason(self):
        cls = make_resource(POLICY, self.props()).__class__
        exc = self.assertRaises(exceptions.NotSupported, cls.has_attribute,
                                'AlarmUrl')
        self.assertIn('AlarmUrl attribute of AWS::AutoScaling::ScalingPolicy'
                      ' (it needs heat-api-cfn)', str(exc))

    def test_a_signal_asks_the_group_with_the_aws_names(self):
        asked = []

        class Scaler:
            def adjust(self, *args):
                asked.append(args)
        res = make_resource(POLICY, self.props(Cooldown='30'), name='up',
                            group_scaler=Scaler())
        res.handle_signal(None)
        self.assertEqual([('up', 'g', 1, 'ChangeInCapacity', None, 30)],
                         asked)
        self.assertRaises(exceptions.NoActionRequired, res.handle_signal,
                          None)   # its own cooldown now runs
