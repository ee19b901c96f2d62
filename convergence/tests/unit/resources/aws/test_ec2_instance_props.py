"""AWS::EC2::Instance's properties as OS::Nova::Server's, and Heat's
validation of them (resources/aws/ec2_instance_props.py)."""

import testtools

from convergence.exceptions import StackValidationFailed
from convergence.resources.aws import ec2_instance_props as props_map


def _props(**given) -> dict:
    return dict({'ImageId': 'cirros', 'InstanceType': 'm1.tiny'}, **given)


class CheckTest(testtools.TestCase):

    def refused(self, **given) -> str:
        return str(self.assertRaises(StackValidationFailed, props_map.check,
                                     'web', _props(**given)))

    def test_unimplemented_properties_are_refused_by_name(self):
        for name in ('DisableApiTermination', 'KernelId', 'Monitoring',
                     'PlacementGroupName', 'PrivateIpAddress', 'RamDiskId',
                     'SourceDestCheck', 'Tenancy'):
            self.assertEqual('Property error: resources.web.properties: '
                             'Property %s not implemented yet' % name,
                             self.refused(**{name: 'x'}))

    def test_unimplemented_block_device_keys_are_refused_by_name(self):
        self.assertEqual(
            'Property error: resources.web.properties.BlockDeviceMappings[0]'
            '.Ebs: Property Iops not implemented yet',
            self.refused(BlockDeviceMappings=[{
                'DeviceName': 'vdb', 'Ebs': {'SnapshotId': 's', 'Iops': 3}}]))
        self.assertIn('Property VirtualName not implemented yet',
                      self.refused(BlockDeviceMappings=[{
                          'DeviceName': 'vdb', 'VirtualName': 'ephemeral0',
                          'Ebs': {'SnapshotId': 's'}}]))

    def test_security_groups_conflict_with_network_interfaces(self):
        self.assertEqual('Cannot define the following properties at the '
                         'same time: SecurityGroups/SecurityGroupIds, '
                         'NetworkInterfaces.',
                         self.refused(SecurityGroupIds=['sg'],
                                      NetworkInterfaces=['port-1']))

    def test_a_mapping_needs_ebs_and_its_snapshot(self):
        self.assertEqual('Ebs is missing, this is required when specifying '
                         'BlockDeviceMappings.',
                         self.refused(BlockDeviceMappings=[
                             {'DeviceName': 'vdb'}]))
        self.assertEqual('SnapshotId is missing, this is required when '
                         'specifying BlockDeviceMappings.',
                         self.refused(BlockDeviceMappings=[
                             {'DeviceName': 'vdb', 'Ebs': {
                                 'VolumeSize': '1'}}]))

    def test_a_plain_instance_passes(self):
        props_map.check('web', _props(SecurityGroups=['default'],
                                      SubnetId='sub'))


class ServerPropertiesTest(testtools.TestCase):

    def test_the_names_nova_gets(self):
        self.assertEqual({
            'image': 'cirros', 'flavor': 'm1.tiny', 'key_name': 'k',
            'availability_zone': 'nova',
            'security_groups': ['web', 'sg-id'],
            'networks': [{'subnet': 'sub'}],
            'metadata': {'role': 'db', 'tier': '2'},
            'scheduler_hints': {'group': 'g', 'near': ['a', 'b']},
            'block_device_mapping_v2': [{
                'device_name': 'vdb', 'snapshot_id': 'snap',
                'boot_index': -1, 'volume_size': 2,
                'delete_on_termination': True}],
            'user_data_format': 'RAW', 'user_data': 'MIME'},
            props_map.server_properties(_props(
                KeyName='k', AvailabilityZone='nova',
                SecurityGroups=['web'], SecurityGroupIds=['sg-id'],
                SubnetId='sub',
                Tags=[{'Key': 'role', 'Value': 'db'},
                      {'Key': 'tier', 'Value': '2'}],
                NovaSchedulerHints=[{'Key': 'group', 'Value': 'g'},
                                    {'Key': 'near', 'Value': 'a'},
                                    {'Key': 'near', 'Value': 'b'}],
                BlockDeviceMappings=[{'DeviceName': 'vdb', 'Ebs': {
                    'SnapshotId': 'snap', 'VolumeSize': '2',
                    'DeleteOnTermination': True}}]), 'MIME'))

    def test_interfaces_in_device_index_order_win_over_the_subnet(self):
        self.assertEqual(
            [{'port': 'p0'}, {'port': 'p1'}, {'port': 'p2'}],
            props_map.networks(_props(SubnetId='sub', NetworkInterfaces=[
                {'NetworkInterfaceId': 'p2', 'DeviceIndex': '2'},
                {'NetworkInterfaceId': 'p0', 'DeviceIndex': 0},
                {'NetworkInterfaceId': 'p1', 'DeviceIndex': '1'}])))
        self.assertEqual([{'port': 'a'}, {'port': 'b'}],
                         props_map.networks(_props(
                             NetworkInterfaces=['a', 'b'])))

    def test_no_network_is_novas_auto_and_no_groups_none(self):
        mapped = props_map.server_properties(_props())
        self.assertEqual(([], [], {}, None, None, ''), (
            mapped['networks'], mapped['security_groups'],
            mapped['metadata'], mapped['scheduler_hints'],
            mapped['block_device_mapping_v2'], mapped['user_data']))

    def test_volumes(self):
        self.assertEqual([('v1', '/dev/vdb'), ('v2', '/dev/vdc')],
                         props_map.volumes(_props(Volumes=[
                             {'VolumeId': 'v1', 'Device': '/dev/vdb'},
                             {'VolumeId': 'v2', 'Device': '/dev/vdc'}])))


class FirstAddressTest(testtools.TestCase):

    def test_the_first_address_of_the_last_network_by_name(self):
        self.assertEqual('10.0.0.5', props_map.first_address({
            'alpha': [{'addr': '192.168.0.2'}],
            'beta': [{'addr': '10.0.0.5'}, {'addr': '10.0.0.6'}],
            'gamma': []}))

    def test_none_is_zeros(self):
        self.assertEqual('0.0.0.0', props_map.first_address({}))
        self.assertEqual('0.0.0.0', props_map.first_address(None))
