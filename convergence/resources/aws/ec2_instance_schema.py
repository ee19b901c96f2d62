"""AWS::EC2::Instance's property and attribute schemas (Heat 27's names,
defaults, constraints, update_allowed).

Heat declares some properties ``implemented=False``: they are in the schema
(a template may name them) and refused when set (``NOT_IMPLEMENTED``, and
inside BlockDeviceMappings ``MAPPING_NOT_IMPLEMENTED`` and
``EBS_NOT_IMPLEMENTED``), with Heat's "Property <name> not implemented yet".
"""

from convergence.resources import constraints as constr
from convergence.resources.properties import BOOLEAN, LIST, MAP, NUMBER, \
    STRING, Schema

(IMAGE_ID, INSTANCE_TYPE, KEY_NAME, AVAILABILITY_ZONE,
 DISABLE_API_TERMINATION, KERNEL_ID, MONITORING, PLACEMENT_GROUP_NAME,
 PRIVATE_IP_ADDRESS, RAM_DISK_ID, SECURITY_GROUPS, SECURITY_GROUP_IDS,
 NETWORK_INTERFACES, SOURCE_DEST_CHECK, SUBNET_ID, TAGS,
 NOVA_SCHEDULER_HINTS, TENANCY, USER_DATA, VOLUMES,
 BLOCK_DEVICE_MAPPINGS) = (
    'ImageId', 'InstanceType', 'KeyName', 'AvailabilityZone',
    'DisableApiTermination', 'KernelId', 'Monitoring', 'PlacementGroupName',
    'PrivateIpAddress', 'RamDiskId', 'SecurityGroups', 'SecurityGroupIds',
    'NetworkInterfaces', 'SourceDestCheck', 'SubnetId', 'Tags',
    'NovaSchedulerHints', 'Tenancy', 'UserData', 'Volumes',
    'BlockDeviceMappings')
KEY, VALUE = 'Key', 'Value'
DEVICE, VOLUME_ID = 'Device', 'VolumeId'
DEVICE_NAME, EBS, NO_DEVICE, VIRTUAL_NAME = (
    'DeviceName', 'Ebs', 'NoDevice', 'VirtualName')
DELETE_ON_TERMINATION, IOPS, SNAPSHOT_ID, VOLUME_SIZE, VOLUME_TYPE = (
    'DeleteOnTermination', 'Iops', 'SnapshotId', 'VolumeSize', 'VolumeType')

NOT_IMPLEMENTED = (DISABLE_API_TERMINATION, KERNEL_ID, MONITORING,
                   PLACEMENT_GROUP_NAME, PRIVATE_IP_ADDRESS, RAM_DISK_ID,
                   SOURCE_DEST_CHECK, TENANCY)
MAPPING_NOT_IMPLEMENTED = (NO_DEVICE, VIRTUAL_NAME)
EBS_NOT_IMPLEMENTED = (IOPS, VOLUME_TYPE)

_NOT_IMPLEMENTED = 'Not Implemented.'


def _pairs(what: str) -> Schema:
    return Schema(LIST, what, schema=Schema(MAP, schema={
        KEY: Schema(STRING, required=True),
        VALUE: Schema(STRING, required=True)}))


_EBS = Schema(MAP, 'The ebs volume to attach to the instance.', schema={
    DELETE_ON_TERMINATION: Schema(BOOLEAN, 'Indicate whether the volume '
                                  'should be deleted when the instance is '
                                  'terminated.', default=True),
    IOPS: Schema(NUMBER, 'The number of I/O operations per second that the '
                 'volume supports.'),
    SNAPSHOT_ID: Schema(STRING, 'The ID of the snapshot to create a volume '
                        'from.', constraints=[
                            constr.CustomConstraint('cinder.snapshot')]),
    VOLUME_SIZE: Schema(STRING, 'The size of the volume, in GB. Must be '
                        'equal or greater than the size of the snapshot. It '
                        'is safe to leave this blank and have the Compute '
                        'service infer the size.'),
    VOLUME_TYPE: Schema(STRING, 'The volume type.'),
})

PROPERTIES = {
    IMAGE_ID: Schema(STRING, 'Glance image ID or name.', required=True,
                     constraints=[constr.CustomConstraint('glance.image')]),
    # AWS does not require it; Nova's create does (a flavor).
    INSTANCE_TYPE: Schema(STRING, 'Nova instance type (flavor).',
                          required=True, update_allowed=True,
                          constraints=[constr.CustomConstraint(
                              'nova.flavor')]),
    KEY_NAME: Schema(STRING, 'Optional Nova keypair name.',
                     constraints=[constr.CustomConstraint('nova.keypair')]),
    AVAILABILITY_ZONE: Schema(STRING, 'Availability zone to launch the '
                              'instance in.'),
    DISABLE_API_TERMINATION: Schema(STRING, _NOT_IMPLEMENTED),
    KERNEL_ID: Schema(STRING, _NOT_IMPLEMENTED),
    MONITORING: Schema(BOOLEAN, _NOT_IMPLEMENTED),
    PLACEMENT_GROUP_NAME: Schema(STRING, _NOT_IMPLEMENTED),
    PRIVATE_IP_ADDRESS: Schema(STRING, _NOT_IMPLEMENTED),
    RAM_DISK_ID: Schema(STRING, _NOT_IMPLEMENTED),
    SECURITY_GROUPS: Schema(LIST, 'Security group names to assign.'),
    SECURITY_GROUP_IDS: Schema(LIST, 'Security group IDs to assign.'),
    NETWORK_INTERFACES: Schema(LIST, 'Network interfaces to associate with '
                               'instance.', update_allowed=True),
    SOURCE_DEST_CHECK: Schema(BOOLEAN, _NOT_IMPLEMENTED),
    SUBNET_ID: Schema(STRING, 'Subnet ID to launch instance in.',
                      update_allowed=True),
    TAGS: Schema(LIST, 'Tags to attach to instance.', update_allowed=True,
                 schema=_pairs('').schema),
    NOVA_SCHEDULER_HINTS: _pairs('Scheduler hints to pass to Nova (Heat '
                                 'extension).'),
    TENANCY: Schema(STRING, _NOT_IMPLEMENTED, constraints=[
        constr.AllowedValues(['dedicated', 'default'])]),
    USER_DATA: Schema(STRING, 'User data to pass to instance.'),
    VOLUMES: Schema(LIST, 'Volumes to attach to instance.', default=[],
                    schema=Schema(MAP, schema={
                        DEVICE: Schema(STRING, 'The device where the volume '
                                       'is exposed on the instance. This '
                                       'assignment may not be honored and '
                                       'it is advised that the path '
                                       '/dev/disk/by-id/virtio-<VolumeId> '
                                       'be used instead.', required=True),
                        VOLUME_ID: Schema(STRING, 'The ID of the volume to '
                                          'be attached.', required=True,
                                          constraints=[
                                              constr.CustomConstraint(
                                                  'cinder.volume')]),
                    })),
    BLOCK_DEVICE_MAPPINGS: Schema(
        LIST, 'Block device mappings to attach to instance.',
        schema=Schema(MAP, schema={
            DEVICE_NAME: Schema(STRING, 'A device name where the volume '
                                'will be attached in the system at '
                                '/dev/device_name.e.g. vdb', required=True),
            EBS: _EBS,
            NO_DEVICE: Schema(MAP, 'The can be used to unmap a defined '
                              'device.'),
            VIRTUAL_NAME: Schema(STRING, 'The name of the virtual device. '
                                 'The name must be in the form ephemeralX '
                                 'where X is a number starting from zero '
                                 '(0); for example, ephemeral0.'),
        })),
}

ATTRIBUTES = {
    'AvailabilityZone': 'The Availability Zone where the specified instance '
                        'is launched.',
    'PrivateDnsName': 'Private DNS name of the specified instance.',
    'PublicDnsName': 'Public DNS name of the specified instance.',
    'PrivateIp': 'Private IP address of the specified instance.',
    'PublicIp': 'Public IP address of the specified instance.',
}
ATTRIBUTE_TYPES = {name: 'string' for name in ATTRIBUTES}
