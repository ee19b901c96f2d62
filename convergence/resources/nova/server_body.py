"""OS::Nova::Server's properties as Nova's create request (Heat's
handle_create): names looked up as ids, metadata serialized, user_data
encoded, the networks as Nova's ``networks`` and block_device_mapping_v2
with Heat's source and destination types.

A network entry with a ``subnet`` gets a port made here (Heat's internal
port, recorded in the resource's data as ``internal_ports`` and deleted with
the server); a ``floating_ip`` is associated with the entry's port.  The
server is tagged with its row's uuid (``create_mark``).
"""

import base64
import json

from convergence.exceptions import StackValidationFailed

# Heat's network entry keys.
(UUID, NETWORK, FIXED_IP, PORT, SUBNET, FLOATING_IP, ALLOCATE, TAG) = (
    'uuid', 'network', 'fixed_ip', 'port', 'subnet', 'floating_ip',
    'allocate_network', 'tag')
INTERNAL_PORTS = 'internal_ports'
# The server's tag naming the row that made it (Nova tags: 60 characters
# at most, no commas or slashes).
CREATE_MARK = 'convergence-%s'


def meta_serialize(metadata: dict | None) -> dict:
    """Nova takes string values only: others are JSON, as Heat sends them."""
    return {key: value if isinstance(value, str) else json.dumps(value)
            for key, value in (metadata or {}).items()}


def encoded_user_data(user_data: str) -> str:
    return base64.b64encode(user_data.encode('utf-8')).decode('ascii')


def check_networks(networks) -> None:
    """Heat's rules on the networks list (statically checkable ones).

    Raises:
        StackValidationFailed: an entry names neither network, port nor
            subnet, or ``allocate_network`` is combined with anything.
    """
    for net in networks if isinstance(networks, list) else ():
        if not isinstance(net, dict):
            continue
        given = {k for k, v in net.items() if v is not None}
        if ALLOCATE in given:
            if len(networks) > 1 or given - {ALLOCATE}:
                raise StackValidationFailed(
                    'Property "allocate_network" can not be combined with '
                    'other network properties or networks.')
        elif not given & {UUID, NETWORK, PORT, SUBNET}:
            raise StackValidationFailed(
                'One of the properties "network", "port", "allocate_network" '
                'or "subnet" should be set for the specified network of '
                'server "%s".' % net.get(NETWORK, ''))
        if net.get(PORT) and (net.get(SUBNET) or net.get(FIXED_IP)):
            raise StackValidationFailed(
                'Properties "port" and "subnet"/"fixed_ip" cannot be both '
                'specified for the network entries of a server.')


def nics(res, networks, security_groups=None) -> list | str:
    """Nova's ``networks``: 'auto' or 'none', or one entry per network
    (``security_groups``: ids, for the internal ports)."""
    if not networks:
        return 'auto'
    if networks[0].get(ALLOCATE):
        return networks[0][ALLOCATE]
    return [_nic(res, index, net, security_groups)
            for index, net in enumerate(networks)]


def _nic(res, index: int, net: dict, security_groups) -> dict:
    nic = {}
    network = net.get(NETWORK) or net.get(UUID)
    if net.get(PORT):
        nic['port'] = res.network_id('port', net[PORT], 'networks')
    elif net.get(SUBNET):
        nic['port'] = internal_port(res, index, net[SUBNET], network,
                                    net.get(FIXED_IP), security_groups)
    else:
        nic['uuid'] = res.network_id('network', network, 'networks')
        if net.get(FIXED_IP):
            nic['fixed_ip'] = net[FIXED_IP]
    if net.get(FLOATING_IP):
        res.cloud().network.update('floatingip', net[FLOATING_IP],
                                   {'port_id': nic['port']})
    if net.get(TAG):
        nic['tag'] = net[TAG]
    return nic


def internal_port(res, index: int, subnet_name: str, network: str | None,
                  fixed_ip: str | None, security_groups) -> str:
    """Heat's internal port: on the subnet (at the fixed IP, with the
    server's security groups), named ``<server>-port-<index>``, remembered
    to be deleted with the server."""
    subnet = res.cloud().network.find('subnet', subnet_name)
    if subnet is None:
        res.network_id('subnet', subnet_name, 'networks')  # fails, worded
    if network and res.network_id('network', network, 'networks') \
            != subnet['network_id']:
        raise StackValidationFailed(
            'Specified subnet %s does not belongs to network %s.'
            % (subnet_name, network))
    fixed = {'subnet_id': subnet['id']}
    if fixed_ip:
        fixed['ip_address'] = fixed_ip
    body = {'network_id': subnet['network_id'], 'fixed_ips': [fixed],
            'name': '%s-port-%s' % (res.server_name(), index)}
    if security_groups:
        body['security_groups'] = list(security_groups)
    port = res.cloud().network.create('port', body)
    res.data_set(INTERNAL_PORTS, res.data_get(INTERNAL_PORTS, [])
                 + [port['id']])
    return port['id']


# block_device_mapping_v2 keys copied to Nova as they are.
_BDM_COPIED = ('device_name', 'device_type', 'disk_bus', 'boot_index',
               'volume_size', 'delete_on_termination', 'volume_type')


def block_devices(res, mappings) -> list[dict]:
    """Heat's _build_block_device_mapping_v2."""
    return [_block_device(res, m) for m in mappings or ()]


def _block_device(res, mapping: dict) -> dict:
    device = {'destination_type': 'volume', 'boot_index': 0,
              'delete_on_termination': False}
    image = mapping.get('image') or mapping.get('image_id')
    if mapping.get('volume_id'):
        device.update(source_type='volume', uuid=res.lookup(
            'cinder.volume', mapping['volume_id'],
            'block_device_mapping_v2')['id'])
    elif mapping.get('snapshot_id'):
        device.update(source_type='snapshot', uuid=mapping['snapshot_id'])
    elif image:
        device.update(source_type='image', uuid=res.lookup(
            'glance.image', image, 'block_device_mapping_v2')['id'])
    elif mapping.get('swap_size'):
        device.update(source_type='blank', destination_type='local',
                      boot_index=-1, guest_format='swap',
                      volume_size=mapping['swap_size'])
    elif mapping.get('ephemeral_size'):
        device.update(source_type='blank', destination_type='local',
                      boot_index=-1, volume_size=mapping['ephemeral_size'])
        if mapping.get('ephemeral_format'):
            device['guest_format'] = mapping['ephemeral_format']
    for key in _BDM_COPIED:
        if mapping.get(key) is not None:
            device[key] = mapping[key]
    return device


def create_mark(res) -> str:
    """The tag a server is created with: its row's, so that a create
    whose engine died inside Nova's request finds the server it made
    (``find_unrecorded_create``)."""
    return CREATE_MARK % res.context.resource_uuid


def marked_server(res) -> str | None:
    """The id of the server with ``res``'s create mark, if Nova has one."""
    found = res.compute().tagged('server', create_mark(res))
    return found[0]['id'] if found else None


def create_body(res, props: dict) -> dict:
    """The ``server`` of Nova's create request."""
    body = {'name': res.server_name(),
            'flavorRef': res.lookup('nova.flavor', props['flavor'],
                                    'flavor')['id'],
            'metadata': meta_serialize(props.get('metadata')),
            'networks': nics(res, props.get('networks'),
                             res.security_group_ids(props))}
    if props.get('image'):
        body['imageRef'] = res.lookup('glance.image', props['image'],
                                      'image')['id']
    if props.get('block_device_mapping_v2'):
        body['block_device_mapping_v2'] = block_devices(
            res, props['block_device_mapping_v2'])
    if props.get('key_name'):
        body['key_name'] = res.lookup('nova.keypair', props['key_name'],
                                      'key_name')['name']
    if props.get('user_data'):
        body['user_data'] = encoded_user_data(props['user_data'])
    if props.get('security_groups'):
        body['security_groups'] = [{'name': group}
                                   for group in props['security_groups']]
    if props.get('scheduler_hints'):
        body['os:scheduler_hints'] = props['scheduler_hints']
    for prop, field in (('availability_zone', 'availability_zone'),
                        ('config_drive', 'config_drive'),
                        ('admin_pass', 'adminPass'),
                        ('diskConfig', 'OS-DCF:diskConfig')):
        if props.get(prop) is not None:
            body[field] = props[prop]
    return body
