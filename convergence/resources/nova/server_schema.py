"""OS::Nova::Server's property and attribute schemas (Heat 27's names,
defaults, constraints, update_allowed)."""

from convergence.resources import constraints as constr
from convergence.resources.properties import BOOLEAN, INTEGER, LIST, MAP, \
    STRING, Schema

# Heat's properties this type refuses when set (see server.py).
NOT_IMPLEMENTED = ('block_device_mapping', 'admin_user', 'reservation_id',
                   'personality', 'tags', 'deployment_swift_data')


def _custom(name: str) -> list:
    return [constr.CustomConstraint(name)]


_BDM_V2 = Schema(MAP, schema={
    'device_name': Schema(STRING, 'A device name where the volume will be '
                          'attached in the system at /dev/device_name.'),
    'volume_id': Schema(STRING, 'The volume_id can be boot or non-boot '
                        'device to the server.',
                        constraints=_custom('cinder.volume')),
    'image_id': Schema(STRING, hidden=True,
                       constraints=_custom('glance.image')),
    'image': Schema(STRING, 'The ID or name of the image to create a volume '
                    'from.', constraints=_custom('glance.image')),
    'snapshot_id': Schema(STRING, 'The ID of the snapshot to create a '
                          'volume from.'),
    'swap_size': Schema(INTEGER, 'The size of the swap, in MB.'),
    'ephemeral_size': Schema(INTEGER, 'The size of the local ephemeral '
                             'block device, in GB.',
                             constraints=[constr.Range(min=1)]),
    'ephemeral_format': Schema(STRING, 'The format of the local ephemeral '
                               'block device.', constraints=[
                                   constr.AllowedValues([
                                       'ext2', 'ext3', 'ext4', 'xfs',
                                       'ntfs'])]),
    'device_type': Schema(STRING, 'Device type: at the moment we can make '
                          'distinction only between disk and cdrom.',
                          constraints=[constr.AllowedValues(['cdrom',
                                                             'disk'])]),
    'disk_bus': Schema(STRING, 'Bus of the device: hypervisor driver '
                       'chooses a suitable default if omitted.',
                       constraints=[constr.AllowedValues([
                           'ide', 'lame_bus', 'scsi', 'usb', 'virtio'])]),
    'boot_index': Schema(INTEGER, 'Integer used for ordering the boot '
                         'disks.'),
    'volume_size': Schema(INTEGER, 'Size of the block device in GB.'),
    'delete_on_termination': Schema(BOOLEAN, 'Indicate whether the volume '
                                    'should be deleted when the server is '
                                    'terminated.'),
    'volume_type': Schema(STRING, 'The volume type of the block device.',
                          constraints=_custom('cinder.vtype')),
})

_NETWORK = Schema(MAP, schema={
    'uuid': Schema(STRING, hidden=True, constraints=_custom(
        'neutron.network')),
    'network': Schema(STRING, 'Name or ID of network to create a port on.',
                      constraints=_custom('neutron.network')),
    'allocate_network': Schema(STRING, 'The special string values of '
                               'network, auto: means either a network that '
                               'is already available to the project will be '
                               'used, or if one does not exist, will be '
                               'automatically created for the project; '
                               'none: means no networking will be allocated '
                               'for the created server.',
                               constraints=[constr.AllowedValues(
                                   ['none', 'auto'])]),
    'fixed_ip': Schema(STRING, 'Fixed IP address to specify for the port '
                       'created on the requested network.',
                       constraints=_custom('ip_addr')),
    'port': Schema(STRING, 'ID of an existing port to associate with this '
                   'server.', constraints=_custom('neutron.port')),
    'port_extra_properties': Schema(MAP, 'Dict, which has expand properties '
                                    'for port.'),
    'subnet': Schema(STRING, 'Subnet in which to allocate the IP address '
                     'for port.', constraints=_custom('neutron.subnet')),
    'floating_ip': Schema(STRING, 'ID of the floating IP to associate.'),
    'tag': Schema(STRING, 'Port tag. Heat ignores any update on this '
                  'property as nova does not support it.'),
})

PROPERTIES = {
    'name': Schema(STRING, 'Server name.', update_allowed=True),
    'image': Schema(STRING, 'The ID or name of the image to boot with.',
                    update_allowed=True, constraints=_custom('glance.image')),
    'block_device_mapping': Schema(LIST, 'Block device mappings for this '
                                   'server (not implemented here).'),
    'block_device_mapping_v2': Schema(LIST, 'Block device mappings v2 for '
                                      'this server.', schema=_BDM_V2),
    'flavor': Schema(STRING, 'The ID or name of the flavor to boot onto.',
                     required=True, update_allowed=True,
                     constraints=_custom('nova.flavor')),
    'flavor_update_policy': Schema(
        STRING, 'Policy on how to apply a flavor update; either by '
        'requesting a server resize or by replacing the entire server.',
        default='RESIZE', update_allowed=True,
        constraints=[constr.AllowedValues(['RESIZE', 'REPLACE'])]),
    'image_update_policy': Schema(
        STRING, 'Policy on how to apply an image-id update; either by '
        'requesting a server rebuild or by replacing the entire server.',
        default='REBUILD', update_allowed=True,
        constraints=[constr.AllowedValues([
            'REBUILD', 'REPLACE', 'REBUILD_PRESERVE_EPHEMERAL'])]),
    'key_name': Schema(STRING, 'Name of keypair to inject into the server.',
                       constraints=_custom('nova.keypair')),
    'admin_user': Schema(STRING, 'Name of the administrative user to use on '
                         'the server (not implemented here).'),
    'availability_zone': Schema(STRING, 'Name of the availability zone for '
                                'server placement.'),
    'security_groups': Schema(LIST, 'List of security group names or IDs. '
                              'Cannot be used if neutron ports are '
                              'associated with this server; assign security '
                              'groups to the ports instead.', default=[]),
    'networks': Schema(LIST, 'An ordered list of nics to be added to this '
                       'server, with information about connected networks, '
                       'fixed ips, port etc.', schema=_NETWORK,
                       update_allowed=True),
    'scheduler_hints': Schema(MAP, 'Arbitrary key-value pairs specified by '
                              'the client to help boot a server.'),
    'metadata': Schema(MAP, 'Arbitrary key/value metadata to store for this '
                       'server.', default={}, update_allowed=True),
    'user_data_format': Schema(
        STRING, 'How the user_data should be formatted for the server.  '
        'For RAW the user_data is passed to Nova unmodified.  For '
        'SOFTWARE_CONFIG user_data is bundled as part of the software '
        'config data, and metadata is derived from any associated '
        'SoftwareDeployment resources.  HEAT_CFNTOOLS only without '
        'user_data here.',
        default='HEAT_CFNTOOLS', constraints=[constr.AllowedValues(
            ['HEAT_CFNTOOLS', 'RAW', 'SOFTWARE_CONFIG'])]),
    'software_config_transport': Schema(
        STRING, 'How the server should receive the metadata required for '
        'software configuration: POLL_TEMP_URL polls a metadata URL the '
        'engine serves; POLL_SERVER_HEAT reads resource metadata through '
        'the API with the server\'s stack domain user\'s credentials.  '
        'Default: the default_software_config_transport option.',
        constraints=[constr.AllowedValues([
            'POLL_SERVER_CFN', 'POLL_SERVER_HEAT', 'POLL_TEMP_URL',
            'ZAQAR_MESSAGE'])]),
    'user_data_update_policy': Schema(
        STRING, 'Policy on how to apply a user_data update; either by '
        'ignoring it or by replacing the entire server.', default='REPLACE',
        update_allowed=True, constraints=[constr.AllowedValues(
            ['REPLACE', 'IGNORE', 'REBUILD'])]),
    'user_data': Schema(STRING, 'User data script to be executed by '
                        'cloud-init.', default='', update_allowed=True),
    'reservation_id': Schema(STRING, 'A UUID for the set of servers being '
                             'requested (not implemented here).'),
    'config_drive': Schema(BOOLEAN, 'If True, enable config drive on the '
                           'server.'),
    'diskConfig': Schema(STRING, 'Control how the disk is partitioned when '
                         'the server is created.', constraints=[
                             constr.AllowedValues(['AUTO', 'MANUAL'])]),
    'personality': Schema(MAP, 'A map of files to create/overwrite on the '
                          'server upon boot (not implemented here).',
                          default={}),
    'admin_pass': Schema(STRING, 'The administrator password for the '
                         'server.', update_allowed=True),
    'tags': Schema(LIST, 'Server tags (not implemented here).'),
    'deployment_swift_data': Schema(MAP, 'Swift container and object to use '
                                    'for storing deployment data (not '
                                    'implemented here).', default={}),
}

ATTRIBUTES = {
    'name': 'Name of the server.',
    'addresses': 'A dict of all network addresses with corresponding port_id '
                 'and subnets, as Nova gives them.',
    'networks': 'A dict of assigned network addresses of the form: '
                '{"public": [ip1, ip2...], "private": [ip3, ip4], '
                '"public_uuid": [ip1, ip2...], "private_uuid": [ip3, ip4]}.',
    'first_address': 'Convenience attribute to fetch the first assigned '
                     'network address, or an empty string if nothing has '
                     'been assigned at this time.',
    'instance_name': 'AWS compatible instance name.',
    'accessIPv4': 'The manually assigned alternative public IPv4 address of '
                  'the server.',
    'accessIPv6': 'The manually assigned alternative public IPv6 address of '
                  'the server.',
    'os_collect_config': "The os-collect-config configuration for the "
                         "server's local agent to be configured to connect "
                         "to Heat to retrieve deployment data.",
}
ATTRIBUTE_TYPES = {'name': 'string', 'addresses': 'map', 'networks': 'map',
                   'first_address': 'string', 'instance_name': 'string',
                   'accessIPv4': 'string', 'accessIPv6': 'string',
                   'os_collect_config': 'map'}
