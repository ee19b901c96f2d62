"""AWS::AutoScaling::LaunchConfiguration: what a scaling group's members are.

It creates nothing: an InstanceGroup or AWS::AutoScaling::AutoScalingGroup
whose ``LaunchConfigurationName`` refers to it makes each member an
``AWS::EC2::Instance`` with its properties and its metadata
(``instance_group``).  As in Heat its reference is its physical resource
name (``<stack>-<name>-<short id>``) and none of its properties changes
in place: a changed configuration is a new one, with a new name, and the
groups that use it see their ``LaunchConfigurationName`` change (a rolling
update where their update policy asks for one).  (Heat also replaces it
when only its metadata changes; here a metadata change is not a change of
the configuration.)

With ``InstanceId`` the members are the existing server's image, flavor,
key pair and security groups, unless the configuration gives them
(``server_properties``, looked up in the stack's cloud by the group as it
builds its members, as Heat's InstanceGroup does).
"""

from convergence import exceptions
from convergence.resources import base
from convergence.resources import constraints as constr
from convergence.resources.properties import (BOOLEAN, LIST, MAP, NUMBER,
                                              STRING, Schema)
from convergence.template.unresolved import contains_unresolved

PROPERTIES = (IMAGE_ID, INSTANCE_TYPE, KEY_NAME, USER_DATA, SECURITY_GROUPS,
              KERNEL_ID, RAM_DISK_ID, BLOCK_DEVICE_MAPPINGS,
              NOVA_SCHEDULER_HINTS, INSTANCE_ID) = (
    'ImageId', 'InstanceType', 'KeyName', 'UserData', 'SecurityGroups',
    'KernelId', 'RamDiskId', 'BlockDeviceMappings', 'NovaSchedulerHints',
    'InstanceId')
DEVICE_NAME, EBS, NO_DEVICE, VIRTUAL_NAME = (
    'DeviceName', 'Ebs', 'NoDevice', 'VirtualName')
DELETE_ON_TERMINATION, IOPS, SNAPSHOT_ID, VOLUME_SIZE, VOLUME_TYPE = (
    'DeleteOnTermination', 'Iops', 'SnapshotId', 'VolumeSize', 'VolumeType')
KEY, VALUE = 'Key', 'Value'

_EBS_SCHEMA = {
    DELETE_ON_TERMINATION: Schema(
        BOOLEAN, 'Indicate whether the volume should be deleted when the '
                 'instance is terminated.', default=True),
    IOPS: Schema(NUMBER, 'The number of I/O operations per second that the '
                         'volume supports.', implemented=False),
    SNAPSHOT_ID: Schema(STRING, 'The ID of the snapshot to create a volume '
                                'from.'),
    VOLUME_SIZE: Schema(STRING, 'The size of the volume, in GB. Must be '
                                'equal or greater than the size of the '
                                'snapshot.'),
    VOLUME_TYPE: Schema(STRING, 'The volume type.', implemented=False),
}
_MAPPING_SCHEMA = {
    DEVICE_NAME: Schema(STRING, 'A device name where the volume will be '
                                'attached in the system at '
                                '/dev/device_name.e.g. vdb', required=True),
    EBS: Schema(MAP, 'The ebs volume to attach to the instance.',
                schema=_EBS_SCHEMA),
    NO_DEVICE: Schema(MAP, 'The can be used to unmap a defined device.',
                      implemented=False),
    VIRTUAL_NAME: Schema(STRING, 'The name of the virtual device.',
                         implemented=False),
}
_HINT_SCHEMA = {KEY: Schema(STRING, required=True),
                VALUE: Schema(STRING, required=True)}


class LaunchConfiguration(base.Resource):
    """The properties of a scaling group's instances."""

    properties_schema = {
        IMAGE_ID: Schema(STRING, 'Glance image ID or name.',
                         constraints=[constr.CustomConstraint(
                             'glance.image')]),
        INSTANCE_TYPE: Schema(STRING, 'Nova instance type (flavor).',
                              constraints=[constr.CustomConstraint(
                                  'nova.flavor')]),
        INSTANCE_ID: Schema(STRING, 'The ID of an existing instance you '
                                    'want to use to create the launch '
                                    'configuration.',
                            constraints=[constr.CustomConstraint(
                                'nova.server')]),
        KEY_NAME: Schema(STRING, 'Optional Nova keypair name.',
                         constraints=[constr.CustomConstraint(
                             'nova.keypair')]),
        USER_DATA: Schema(STRING, 'User data to pass to instance.'),
        SECURITY_GROUPS: Schema(LIST, 'Security group names to assign.'),
        KERNEL_ID: Schema(STRING, 'Not Implemented.', implemented=False),
        RAM_DISK_ID: Schema(STRING, 'Not Implemented.', implemented=False),
        BLOCK_DEVICE_MAPPINGS: Schema(
            LIST, 'Block device mappings to attach to instance.',
            schema=Schema(MAP, schema=_MAPPING_SCHEMA)),
        NOVA_SCHEDULER_HINTS: Schema(
            LIST, 'Scheduler hints to pass to Nova (Heat extension).',
            schema=Schema(MAP, schema=_HINT_SCHEMA)),
    }
    support_version = '2014.1'

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """Heat's checks: every block device mapping names a snapshot, and
        without InstanceId the image and the flavor are given."""
        for mapping in props[BLOCK_DEVICE_MAPPINGS] or []:
            if contains_unresolved(mapping):
                continue
            ebs = mapping.get(EBS)
            if not ebs:
                raise exceptions.StackValidationFailed(
                    'Ebs is missing, this is required when specifying '
                    'BlockDeviceMappings.')
            if not ebs.get(SNAPSHOT_ID):
                raise exceptions.StackValidationFailed(
                    'SnapshotId is missing, this is required when '
                    'specifying BlockDeviceMappings.')
        wanted = [props[INSTANCE_ID], props[IMAGE_ID], props[INSTANCE_TYPE]]
        if contains_unresolved(wanted):
            return
        if not wanted[0] and not (wanted[1] and wanted[2]):
            raise exceptions.StackValidationFailed(
                'If without InstanceId, ImageId and InstanceType are '
                'required.')

    def handle_create(self) -> None:
        """Nothing to create: the groups read the properties."""
        self.resource_id_set(self.physical_resource_name())
        return None

    def get_reference_id(self) -> str:
        """The physical resource name, before the create too (Heat's
        physical_resource_name_or_FnGetRefId)."""
        return self.physical_resource_name()


def server_properties(cloud, server_id: str) -> dict:
    """ImageId, InstanceType, KeyName and SecurityGroups of an existing
    server, as Heat's rebuild_lc_properties reads them.

    Raises:
        NotFound: no such server.
    """
    server = cloud.compute.find('server', server_id)
    if server is None:
        raise exceptions.EntityNotFound(entity='Server', name=server_id)
    image = server.get('image') or {}
    flavor = server.get('flavor') or {}
    return {IMAGE_ID: image.get('id') if isinstance(image, dict) else None,
            INSTANCE_TYPE: flavor.get('id') or flavor.get('original_name'),
            KEY_NAME: server.get('key_name'),
            SECURITY_GROUPS: [group['name'] for group in
                              server.get('security_groups') or []]}
