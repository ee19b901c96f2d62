"""The in-memory twin of Nova (cloud_ports.ComputeAPI), for unit tests.

Servers go through Nova's statuses as the types see them, one step per
``show``: BUILD then ACTIVE (or ERROR with a fault, after ``fail_build``);
``resize`` passes RESIZE to VERIFY_RESIZE and ``confirmResize`` back to
ACTIVE; ``rebuild`` passes REBUILD; ``suspend``/``resume`` SUSPENDED and
ACTIVE; a deleted server is still shown once (task_state deleting), then
gone.  A server's networks make ports on the twin Neutron (deleted with the
server; a port it was given is released), and its addresses come from
them; a server's flavor shows as Nova's 2.47+ does (name and sizes, no
id).  Interfaces attach and detach at once (a port Nova made for one is
deleted with its detach).  Volume attachments move the twin Cinder's
volume to in-use.  Host aggregates take the hosts of ``compute_hosts``
(Nova's 404 for another, 409 for one already in), keep their availability
zone in their metadata as Nova does (which never lets it be unset again:
400), and cannot be deleted with hosts in them (400).
"""

import copy
import uuid

from convergence.clients import errors
from convergence.clients import memory_calls

KINDS = ('server', 'flavor', 'keypair', 'server_group', 'aggregate')


class InMemoryCompute(memory_calls.CallLog):
    """cloud_ports.ComputeAPI over dicts, with ``network`` (InMemoryNetwork),
    ``volumes`` (InMemoryBlockStorage) and ``images`` (InMemoryImage)."""

    def __init__(self, network, volumes, images):
        super().__init__()
        self.network, self.volumes, self.images = network, volumes, images
        self.resources: dict[str, dict[str, dict]] = {k: {} for k in KINDS}
        self._fault: dict | None = None
        self._steps: dict[str, list[str]] = {}
        self._ports: dict[str, list[str]] = {}
        self._resize_fails = False
        # The hosts of the twin's nova-compute services.
        self.compute_hosts = {'compute-1', 'compute-2'}

    # --- test controls ---

    def fail_resize(self) -> None:
        """Make the next resize be given up (back to ACTIVE, as Nova does
        when no host takes it)."""
        self._resize_fails = True

    def fail_build(self, message: str, code: int = 500) -> None:
        """Make the next server created end in ERROR with this fault."""
        self._fault = {'message': message, 'code': code}

    def _steps_to(self, server_id: str, *statuses: str) -> None:
        self._steps[server_id] = list(statuses)

    # --- cloud_ports.ComputeAPI ---

    def create(self, kind: str, attrs: dict) -> dict:
        self._enter(kind, 'create', copy.deepcopy(attrs))
        item = copy.deepcopy(attrs)
        if kind != 'flavor' or not item.get('id'):
            item['id'] = str(uuid.uuid4())  # a flavor may be given its id
        getattr(self, '_new_' + kind)(item)
        self.resources[kind][item['id']] = item
        return copy.deepcopy(item)

    def _new_server(self, item: dict) -> None:
        flavor = self.resources['flavor'].get(item.get('flavorRef'))
        if flavor is None:
            raise errors.BadRequest('Flavor %s could not be found.'
                                    % item.get('flavorRef'), 400)
        image = item.pop('imageRef', None)
        if image and self.images.show(image) is None:
            raise errors.BadRequest('Can not find requested image', 400)
        item.update(status='BUILD', flavor={'id': flavor['id']},
                    image={'id': image} if image else '',
                    metadata=item.get('metadata') or {},
                    addresses={}, tenant_id='project',
                    accessIPv4='', accessIPv6='')
        item['OS-EXT-STS:task_state'] = 'spawning'
        self._ports[item['id']] = self._plug(item, item.pop('networks', None))
        fault, self._fault = self._fault, None
        if fault:
            self._steps_to(item['id'], 'ERROR')
            item['fault'] = fault
        else:
            self._steps_to(item['id'], 'BUILD', 'ACTIVE')

    def _plug(self, server: dict, networks) -> list[str]:
        """The ports of a new server: made for a network, or given."""
        made = []
        for nic in networks if isinstance(networks, list) else ():
            port_id, own = self._port_for(nic.get('port'), nic.get('uuid'),
                                          nic.get('fixed_ip'))
            made += [port_id] if own else []
            self._bind(server, port_id)
        return made

    def _port_for(self, port_id, network_id, fixed_ip) -> tuple[str, bool]:
        """The port given (which must exist and be free), or one Nova makes
        on the network; True when Nova made it."""
        if port_id:
            port = self.network.resources['port'].get(port_id)
            if port is None:
                raise errors.BadRequest('Port id %s could not be found.'
                                        % port_id, 400)
            if port.get('device_id'):
                raise errors.Conflict('Port %s is still in use.' % port_id,
                                      409)
            return port_id, False
        fixed = [{'ip_address': fixed_ip}] if fixed_ip else []
        try:
            made = self.network.create('port', dict(
                {'network_id': network_id, 'device_owner': 'compute:nova'},
                **({'fixed_ips': fixed} if fixed else {})))
        except errors.Conflict:
            raise errors.BadRequest('Fixed IP address %s is already in use '
                                    'on instance.' % fixed_ip, 400)
        return made['id'], True

    def _bind(self, server: dict, port_id: str) -> None:
        port = self.network.resources['port'][port_id]
        port['device_id'] = server['id']
        net = self.network.resources['network'][port['network_id']]
        server['addresses'].setdefault(net['name'], []).extend(
            {'addr': f['ip_address'], 'version': 4,
             'OS-EXT-IPS:type': 'fixed',
             'OS-EXT-IPS-MAC:mac_addr': port['mac_address']}
            for f in port['fixed_ips'])

    def _new_flavor(self, item: dict) -> None:
        item.setdefault('os-flavor-access:is_public', True)
        item['extra_specs'], item['tenants'] = {}, []

    def _new_keypair(self, item: dict) -> None:
        if item['name'] in self.resources['keypair']:
            raise errors.Conflict('Key pair \'%s\' already exists.'
                                  % item['name'], 409)
        item['id'] = item['name']
        item.setdefault('type', 'ssh')
        if not item.get('public_key'):
            item['public_key'] = 'ssh-rsa AAAA%s generated' % item['name']
            item['private_key'] = '-----BEGIN PRIVATE KEY-----'
        item['fingerprint'] = 'fp:%s' % abs(hash(item['public_key']))

    def _new_server_group(self, item: dict) -> None:
        item['members'] = []

    def _new_aggregate(self, item: dict) -> None:
        if any(a['name'] == item['name']
               for a in self.resources['aggregate'].values()):
            raise errors.Conflict('Aggregate %s already exists.'
                                  % item['name'], 409)
        item['hosts'] = []
        item['metadata'] = ({'availability_zone': item['availability_zone']}
                            if item.get('availability_zone') else {})

    def show(self, kind: str, resource_id: str) -> dict | None:
        self._enter(kind, 'show', resource_id)
        item = self.resources[kind].get(resource_id)
        if item is None:
            return None
        steps = self._steps.get(resource_id)
        if steps:
            item['status'] = steps.pop(0)
            if item.get('OS-EXT-STS:task_state') != 'deleting':
                item['OS-EXT-STS:task_state'] = None
        if item.get('status') == 'DELETED':
            self._gone(item)
            return None
        shown = copy.deepcopy(item)
        shown.pop('private_key', None)
        if kind == 'server':
            shown['flavor'] = self._flavor_shown(item['flavor']['id'])
        return shown

    def _flavor_shown(self, flavor_id: str) -> dict:
        """A server's flavor as Nova shows it since microversion 2.47:
        its name and sizes, no id."""
        flavor = self.resources['flavor'].get(flavor_id, {})
        return {'original_name': flavor.get('name', flavor_id),
                'ram': flavor.get('ram'), 'vcpus': flavor.get('vcpus'),
                'disk': flavor.get('disk'),
                'extra_specs': dict(flavor.get('extra_specs') or {})}

    def _gone(self, server: dict) -> None:
        del self.resources['server'][server['id']]
        for port in list(self.network.resources['port'].values()):
            if port.get('device_id') == server['id']:
                if port['id'] in self._ports.get(server['id'], ()):
                    del self.network.resources['port'][port['id']]
                else:
                    port['device_id'] = ''
        for volume in self.volumes.resources['volume'].values():
            volume['attachments'] = [
                a for a in volume['attachments']
                if a['server_id'] != server['id']]
            if not volume['attachments'] and volume['status'] == 'in-use':
                volume['status'] = 'available'

    def find(self, kind: str, name_or_id: str) -> dict | None:
        self._enter(kind, 'find', name_or_id)
        items = self.resources[kind]
        if name_or_id in items:
            return copy.deepcopy(items[name_or_id])
        named = [i for i in items.values() if i.get('name') == name_or_id]
        if len(named) > 1:
            raise errors.Ambiguous(
                "Multiple %s matches found for name '%s', use an ID to be "
                "more specific." % (kind, name_or_id))
        return copy.deepcopy(named[0]) if named else None

    def tagged(self, kind: str, tag: str) -> list[dict]:
        self._enter(kind, 'tagged', tag)
        return [copy.deepcopy(item) for item in self.resources[kind].values()
                if tag in item.get('tags', ())]

    def _get(self, kind: str, resource_id: str) -> dict:
        item = self.resources[kind].get(resource_id)
        if item is None:
            raise errors.NotFound('%s %s could not be found.' % (
                kind.capitalize(), resource_id), 404)
        return item

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        self._enter(kind, 'update', resource_id, dict(attrs))
        item = self._get(kind, resource_id)
        if kind == 'aggregate' and 'availability_zone' in attrs:
            if not attrs['availability_zone']:
                raise errors.BadRequest(
                    'Cannot update aggregate %s. Reason: Aggregate %s does '
                    'not support empty named availability zone.'
                    % (resource_id, item['name']), 400)
            item['metadata']['availability_zone'] = attrs['availability_zone']
        item.update(copy.deepcopy(attrs))
        return copy.deepcopy(item)

    def delete(self, kind: str, resource_id: str) -> bool:
        self._enter(kind, 'delete', resource_id)
        item = self.resources[kind].get(resource_id)
        if item is None:
            return False
        if kind == 'server':
            item['OS-EXT-STS:task_state'] = 'deleting'
            self._steps_to(resource_id, item['status'], 'DELETED')
        elif kind == 'aggregate' and item['hosts']:
            raise errors.BadRequest(
                "Cannot perform action 'delete' on aggregate %s. Reason: "
                "Host aggregate is not empty." % resource_id, 400)
        else:
            del self.resources[kind][resource_id]
        return True

    def action(self, kind: str, resource_id: str, name: str,
               args: dict | None = None) -> dict | None:
        self._enter(kind, name, resource_id, copy.deepcopy(args))
        item = self._get(kind, resource_id)
        if kind == 'flavor':
            tenant = args['tenant']
            item['tenants'] = [t for t in item['tenants'] if t != tenant] + (
                [tenant] if name == 'addTenantAccess' else [])
            return None
        return getattr(self, '_%s_%s' % (kind, name))(item, args)

    def _aggregate_add_host(self, aggregate: dict, args: dict) -> dict:
        host = args['host']
        if host not in self.compute_hosts:
            raise errors.NotFound('Compute host %s could not be found.'
                                  % host, 404)
        if host in aggregate['hosts']:
            raise errors.Conflict('Aggregate %s already has host %s.'
                                  % (aggregate['id'], host), 409)
        aggregate['hosts'].append(host)
        return {'aggregate': copy.deepcopy(aggregate)}

    def _aggregate_remove_host(self, aggregate: dict, args: dict) -> dict:
        if args['host'] not in aggregate['hosts']:
            raise errors.NotFound('Cannot remove host %s in aggregate %s'
                                  % (args['host'], aggregate['id']), 404)
        aggregate['hosts'].remove(args['host'])
        return {'aggregate': copy.deepcopy(aggregate)}

    def _aggregate_set_metadata(self, aggregate: dict, args: dict) -> dict:
        # Nova's: a key given None is removed, the others set.
        for key, value in args['metadata'].items():
            if value is None:
                aggregate['metadata'].pop(key, None)
            else:
                aggregate['metadata'][key] = value
        return {'aggregate': copy.deepcopy(aggregate)}

    def compute_host(self, host: str) -> dict | None:
        self._enter('host', 'show', host)
        if host not in self.compute_hosts:
            return None
        return {'binary': 'nova-compute', 'host': host, 'state': 'up'}

    def _server_resize(self, server: dict, args: dict) -> None:
        flavor = self._get('flavor', args['flavorRef'])
        if flavor['id'] == server['flavor']['id']:
            raise errors.BadRequest('When resizing, instances must change '
                                    'flavor!', 400)
        if self._resize_fails:
            self._resize_fails = False
            self._steps_to(server['id'], 'RESIZE', 'ACTIVE')
            return
        server['flavor'] = {'id': flavor['id']}
        self._steps_to(server['id'], 'RESIZE', 'VERIFY_RESIZE')

    def _server_confirmResize(self, server: dict, args) -> None:
        if server['status'] != 'VERIFY_RESIZE':
            raise errors.Conflict('Cannot \'confirmResize\' instance %s '
                                  'while it is in vm_state %s' % (
                                      server['id'], server['status']), 409)
        self._steps_to(server['id'], 'ACTIVE')

    def _server_rebuild(self, server: dict, args: dict) -> dict:
        server['image'] = {'id': args['imageRef']}
        for key in ('name', 'metadata', 'user_data', 'adminPass'):
            if key in args:
                server[key] = args[key]
        self._steps_to(server['id'], 'REBUILD', 'ACTIVE')
        return {'server': copy.deepcopy(server)}

    def _server_createImage(self, server: dict, args: dict) -> dict:
        """An image of the server: Glance shows it ``queued`` once, then
        ``active``; the server is ``image_uploading`` until shown."""
        image = self.images.add(args['name'], status='queued',
                                image_type='snapshot',
                                instance_uuid=server['id'])
        self.images.activate_next(image['id'])
        server['OS-EXT-STS:task_state'] = 'image_uploading'
        self._steps_to(server['id'], server['status'])
        return {'image_id': image['id']}

    def _server_suspend(self, server: dict, args) -> None:
        self._steps_to(server['id'], 'SUSPENDED')

    def _server_resume(self, server: dict, args) -> None:
        self._steps_to(server['id'], 'ACTIVE')

    def set_metadata(self, server_id: str, metadata: dict) -> dict:
        self._enter('server', 'set_metadata', server_id, dict(metadata))
        self._get('server', server_id)['metadata'] = dict(metadata)
        return dict(metadata)

    def set_extra_specs(self, flavor_id: str, specs: dict) -> None:
        self._enter('flavor', 'set_extra_specs', flavor_id, dict(specs))
        self._get('flavor', flavor_id)['extra_specs'] = dict(specs)

    def flavor_access(self, flavor_id: str) -> list[str]:
        return list(self._get('flavor', flavor_id)['tenants'])

    def attach_volume(self, server_id: str, volume_id: str,
                      device: str | None) -> dict:
        self._enter('server', 'attach_volume', server_id, volume_id, device)
        self._get('server', server_id)
        volume = self.volumes.resources['volume'].get(volume_id)
        if volume is None:
            raise errors.NotFound('Volume %s could not be found.'
                                  % volume_id, 404)
        if volume['status'] != 'available':
            raise errors.BadRequest('Invalid volume: volume %s status must '
                                    'be available' % volume_id, 400)
        attachment = {'id': volume_id, 'volumeId': volume_id,
                      'serverId': server_id,
                      'device': device or '/dev/vdb'}
        volume['attachments'].append({
            'server_id': server_id, 'attachment_id': str(uuid.uuid4()),
            'volume_id': volume_id, 'device': attachment['device']})
        self.volumes.steps_to(volume_id, 'attaching', 'in-use')
        return dict(attachment)

    def detach_volume(self, server_id: str, volume_id: str) -> bool:
        self._enter('server', 'detach_volume', server_id, volume_id)
        volume = self.volumes.resources['volume'].get(volume_id)
        if server_id not in self.resources['server'] or volume is None or \
                not any(a['server_id'] == server_id
                        for a in volume['attachments']):
            return False
        volume['attachments'] = [a for a in volume['attachments']
                                 if a['server_id'] != server_id]
        self.volumes.steps_to(volume_id, 'detaching', 'available')
        return True

    def detach_interface(self, server_id: str, port_id: str) -> bool:
        """Nova's detach: the port released, or deleted when Nova made
        it."""
        self._enter('server', 'detach_interface', server_id, port_id)
        port = self.network.resources['port'].get(port_id)
        if port is None or port.get('device_id') != server_id:
            return False
        port['device_id'] = ''
        server = self._get('server', server_id)
        for label in list(server['addresses']):
            server['addresses'][label] = [
                a for a in server['addresses'][label]
                if a['OS-EXT-IPS-MAC:mac_addr'] != port['mac_address']]
            if not server['addresses'][label]:
                del server['addresses'][label]
        own = self._ports.get(server_id, [])
        if port_id in own:
            own.remove(port_id)
            del self.network.resources['port'][port_id]
        return True

    def attach_interface(self, server_id: str, port_id: str | None = None,
                         net_id: str | None = None,
                         fixed_ip: str | None = None) -> dict:
        self._enter('server', 'attach_interface', server_id, port_id, net_id,
                    fixed_ip)
        server = self._get('server', server_id)
        if not port_id and not net_id:
            networks = list(self.network.resources['network'])
            if len(networks) != 1:
                raise errors.Conflict('Multiple possible networks found, '
                                      'use a Network ID to be more '
                                      'specific.', 409)
            net_id = networks[0]
        port_id, own = self._port_for(port_id, net_id, fixed_ip)
        if own:
            self._ports.setdefault(server_id, []).append(port_id)
        self._bind(server, port_id)
        return self._interface(port_id)

    def interfaces(self, server_id: str) -> list[dict]:
        self._enter('server', 'interfaces', server_id)
        self._get('server', server_id)
        return [self._interface(p['id'])
                for p in self.network.resources['port'].values()
                if p.get('device_id') == server_id]

    def _interface(self, port_id: str) -> dict:
        port = self.network.resources['port'][port_id]
        return {'port_id': port_id, 'net_id': port['network_id'],
                'mac_addr': port['mac_address'], 'port_state': 'ACTIVE',
                'fixed_ips': [dict(f) for f in port['fixed_ips']]}

    def show_attachment(self, server_id: str,
                        volume_id: str) -> dict | None:
        self._enter('server', 'show_attachment', server_id, volume_id)
        volume = self.volumes.resources['volume'].get(volume_id)
        for attachment in (volume or {}).get('attachments', ()):
            if attachment['server_id'] == server_id:
                return {'id': volume_id, 'volumeId': volume_id,
                        'serverId': server_id,
                        'device': attachment['device']}
        return None
