"""AWS::EC2::Instance's properties in OS::Nova::Server's words (pure).

The instance is a Nova server made, changed and deleted by the server's
own code (``resources/nova/server*.py``); this module says which server
properties its AWS properties are, as Heat's Instance builds its Nova
request:

- ImageId, InstanceType, KeyName, AvailabilityZone: image, flavor,
  key_name, availability_zone;
- SecurityGroups then SecurityGroupIds: security_groups (names or ids);
- NetworkInterfaces (port ids, or ``{NetworkInterfaceId, DeviceIndex}``
  ordered by DeviceIndex): one ``port`` network each; else SubnetId: one
  ``subnet`` network (a port made on it with the security groups, deleted
  with the instance); else none (Nova's ``auto``);
- Tags: metadata (Key -> Value); NovaSchedulerHints: scheduler_hints (a
  key given twice is a list, as novaclient's shell makes it);
- BlockDeviceMappings: block_device_mapping_v2 entries, a volume made from
  SnapshotId at DeviceName (Heat's v1 ``<snap>:snap:<size>:<delete>``),
  never the boot disk (the image is);
- UserData: the HEAT_CFNTOOLS multipart (``cloud_init.cfntools``) passed
  RAW, as Heat's instance always sends it.
"""

from convergence.exceptions import StackValidationFailed
from convergence.resources.aws import ec2_instance_schema as s

# The user Heat's instance user_data makes on the instance.
INSTANCE_USER = 'ec2-user'


def check(resource_name: str, props: dict) -> None:
    """Heat's Instance validation (the statically checkable part).

    Raises:
        StackValidationFailed: a property Heat does not implement is set,
            security groups are given with NetworkInterfaces, or a block
            device mapping lacks Ebs or its SnapshotId.
    """
    where = 'resources.%s.properties' % resource_name
    _refuse_unimplemented(where, props, s.NOT_IMPLEMENTED)
    for index, mapping in enumerate(_list(props.get(
            s.BLOCK_DEVICE_MAPPINGS))):
        if not isinstance(mapping, dict):
            continue
        at = '%s.%s[%d]' % (where, s.BLOCK_DEVICE_MAPPINGS, index)
        _refuse_unimplemented(at, mapping, s.MAPPING_NOT_IMPLEMENTED)
        if isinstance(mapping.get(s.EBS), dict):
            _refuse_unimplemented(at + '.' + s.EBS, mapping[s.EBS],
                                  s.EBS_NOT_IMPLEMENTED)
    if security_groups(props) and props.get(s.NETWORK_INTERFACES):
        raise StackValidationFailed(
            'Cannot define the following properties at the same time: '
            '%s/%s, %s.' % (s.SECURITY_GROUPS, s.SECURITY_GROUP_IDS,
                            s.NETWORK_INTERFACES))
    for mapping in _list(props.get(s.BLOCK_DEVICE_MAPPINGS)):
        ebs = mapping.get(s.EBS) if isinstance(mapping, dict) else None
        if not ebs:
            raise StackValidationFailed('Ebs is missing, this is required '
                                        'when specifying '
                                        'BlockDeviceMappings.')
        if isinstance(ebs, dict) and not ebs.get(s.SNAPSHOT_ID):
            raise StackValidationFailed('SnapshotId is missing, this is '
                                        'required when specifying '
                                        'BlockDeviceMappings.')


def _refuse_unimplemented(where: str, props: dict, names) -> None:
    for name in names:
        if props.get(name) is not None:
            raise StackValidationFailed('Property error: %s: Property %s '
                                        'not implemented yet'
                                        % (where, name))


def _list(value) -> list:
    return value if isinstance(value, list) else []


def security_groups(props: dict) -> list | None:
    """Heat's _get_security_groups: the names, then the ids; None when
    neither gives one."""
    groups = [group for key in (s.SECURITY_GROUPS, s.SECURITY_GROUP_IDS)
              for group in props.get(key) or ()]
    return groups or None


def networks(props: dict) -> list[dict]:
    """The server's networks: the interfaces' ports in DeviceIndex order,
    else a port on SubnetId, else none."""
    interfaces = props.get(s.NETWORK_INTERFACES)
    if interfaces:
        nics = [entry if not isinstance(entry, str) else
                {'NetworkInterfaceId': entry, 'DeviceIndex': index}
                for index, entry in enumerate(interfaces)]
        nics.sort(key=lambda nic: int(nic['DeviceIndex']))
        return [{'port': nic['NetworkInterfaceId']} for nic in nics]
    if props.get(s.SUBNET_ID):
        return [{'subnet': props[s.SUBNET_ID]}]
    return []


def tags(props: dict) -> dict:
    """The Tags as Nova metadata."""
    return {tag[s.KEY]: tag[s.VALUE] for tag in props.get(s.TAGS) or ()}


def scheduler_hints(props: dict) -> dict | None:
    hints = {}
    for hint in props.get(s.NOVA_SCHEDULER_HINTS) or ():
        key, value = hint[s.KEY], hint[s.VALUE]
        if key not in hints:
            hints[key] = value
        elif isinstance(hints[key], list):
            hints[key].append(value)
        else:
            hints[key] = [hints[key], value]
    return hints or None


def block_devices(props: dict) -> list[dict] | None:
    devices = []
    for mapping in props.get(s.BLOCK_DEVICE_MAPPINGS) or ():
        ebs = mapping[s.EBS]
        device = {'device_name': mapping[s.DEVICE_NAME],
                  'snapshot_id': ebs[s.SNAPSHOT_ID], 'boot_index': -1}
        if ebs.get(s.VOLUME_SIZE):
            device['volume_size'] = int(ebs[s.VOLUME_SIZE])
        if ebs.get(s.DELETE_ON_TERMINATION) is not None:
            device['delete_on_termination'] = ebs[s.DELETE_ON_TERMINATION]
        devices.append(device)
    return devices or None


def server_properties(props: dict, user_data: str | None = None) -> dict:
    """OS::Nova::Server's properties for the instance's; ``user_data``:
    the multipart to boot with (None: none, for an update, where UserData
    cannot change in place)."""
    return {
        'image': props.get(s.IMAGE_ID),
        'flavor': props.get(s.INSTANCE_TYPE),
        'key_name': props.get(s.KEY_NAME),
        'availability_zone': props.get(s.AVAILABILITY_ZONE),
        'security_groups': security_groups(props) or [],
        'networks': networks(props),
        'metadata': tags(props),
        'scheduler_hints': scheduler_hints(props),
        'block_device_mapping_v2': block_devices(props),
        'user_data_format': 'RAW',
        'user_data': user_data or '',
    }


def volumes(props: dict) -> list[tuple[str, str]]:
    """(VolumeId, Device) of each volume to attach once the server runs."""
    return [(volume[s.VOLUME_ID], volume[s.DEVICE])
            for volume in props.get(s.VOLUMES) or ()]


def first_address(addresses: dict) -> str:
    """Heat's instance IP: the first address of the first network, in the
    reverse order of their names, that has one; 0.0.0.0 when none."""
    for label in sorted(addresses or {}, reverse=True):
        if addresses[label]:
            return addresses[label][0].get('addr') or '0.0.0.0'
    return '0.0.0.0'
