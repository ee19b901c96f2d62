"""OS::Nova::Server: a Nova server, with Heat 27's properties.

``flavor``, ``image`` and ``key_name`` take names or ids; ``networks``
entries a network, a port, a subnet (a port is made for it), a fixed IP, a
floating IP to associate, a NIC tag, or ``allocate_network``; no networks
at all is Nova's ``auto``.  A create waits for ACTIVE (ERROR fails with
Nova's fault).  In place: ``name``, ``metadata``, ``admin_pass``; a
``flavor`` change resizes (and confirms) unless ``flavor_update_policy`` is
REPLACE; an ``image`` change rebuilds (preserving ephemeral disks with
REBUILD_PRESERVE_EPHEMERAL) unless ``image_update_policy`` is REPLACE; a
``user_data`` change replaces, rebuilds or is ignored per
``user_data_update_policy``.  A change to ``networks`` detaches and
attaches interfaces in place (``server_networks`` decides which,
``server_interfaces`` does it), keeping every entry that still matches an
interface: its port and fixed IP stay.  An internal port (a ``subnet``
entry's) gets the server's ``security_groups``.

A stack snapshot takes an image of the server, and its restore rebuilds
the server on that image; the "Snapshot" deletion policy images it before
the delete (``server_snapshot``).

``user_data_format`` SOFTWARE_CONFIG makes the server one its deployments
can run on: its agent polls the engine-served metadata URL (POLL_TEMP_URL)
or the API as its stack domain user (POLL_SERVER_HEAT), what it needs is
in the user_data and the resource's metadata (server_software_config.py).
``user_data`` naming a software config (RAW or SOFTWARE_CONFIG) is that
config's text, as in Heat.

Not implemented, refused by name: HEAT_CFNTOOLS with ``user_data`` (Heat's
cfn-tools boot parts; without user_data the default format sends
nothing), ``block_device_mapping`` (v1: use block_device_mapping_v2),
``admin_user``, ``reservation_id``, ``personality``, ``tags``,
``deployment_swift_data``, a network's ``port_extra_properties``, and the
config transports POLL_SERVER_CFN and ZAQAR_MESSAGE.
"""

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import live_state
from convergence.resources.cloud_resource import (
    CheckFailed, CloudResource, ResourceInError,
    ResourceUnknownStatus, refuse_not_implemented)
from convergence.resources.failures import resource_failure
from convergence.resources.stack_user import StackUser
from convergence.software_config import agent_urls
from convergence.resources.neutron import constraints as neutron_constraints
from convergence.resources.nova import (
    server_body, server_interfaces, server_live, server_networks,
    server_replace, server_update)
from convergence.resources.nova import server_software_config as sw_config
from convergence.resources.nova.server_schema import (
    ATTRIBUTE_TYPES, ATTRIBUTES, NOT_IMPLEMENTED, PROPERTIES)
from convergence.resources.nova.server_snapshot import ServerSnapshots

# Statuses a server passes through while being built.
BUILDING = ('BUILD', 'HARD_REBOOT', 'PASSWORD', 'REBOOT', 'RESCUE', 'RESIZE',
            'REVERT_RESIZE', 'SHUTOFF', 'SUSPENDED', 'VERIFY_RESIZE')


class Server(ServerSnapshots, StackUser, CloudResource):
    """A virtual machine on Nova."""

    service_type = 'compute'
    default_client_name = 'nova'
    entity_label = 'Instance'
    support_version = '2014.1'
    properties_schema = PROPERTIES
    attributes_schema = ATTRIBUTES
    attribute_types = ATTRIBUTE_TYPES

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        refuse_not_implemented(props, NOT_IMPLEMENTED, 'OS::Nova::Server')
        networks = props.get('networks')
        for net in networks if isinstance(networks, list) else ():
            if isinstance(net, dict):
                refuse_not_implemented(net, ('port_extra_properties',),
                                       'the networks of OS::Nova::Server')
        return props

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        fmt = props.get('user_data_format')
        if fmt == 'HEAT_CFNTOOLS' and props.get('user_data'):
            raise StackValidationFailed(
                'Property user_data_format %s of OS::Nova::Server is not '
                'implemented here: use user_data_format RAW or '
                'SOFTWARE_CONFIG.' % fmt)
        sw_config.check(resource_name, props)
        if not props.get('image') and not props.get(
                'block_device_mapping_v2'):
            raise StackValidationFailed(
                'Neither image nor bootable volume is specified for '
                'instance %s' % resource_name)
        server_body.check_networks(props.get('networks'))

    # --- the cloud ---

    def compute(self):
        return self.cloud().compute

    def fetch(self) -> dict | None:
        return self.compute().show('server', self.resource_id)

    def server_name(self) -> str:
        return self.properties.get('name') or self.physical_resource_name()

    def network_id(self, kind: str, value: str, prop: str) -> str:
        """The id of the Neutron ``kind`` a networks entry names."""
        try:
            found = self.cloud().network.find(kind, value)
        except errors.Ambiguous as exc:
            reason = str(exc)
        else:
            if found is not None:
                return found['id']
            reason = neutron_constraints.not_found(kind, value)
        raise resource_failure(
            self.name, 'StackValidationFailed',
            "Property error: %s.properties.%s: Error validating value "
            "'%s': %s" % (self.name, prop, value, reason))

    # --- create ---

    def _agents(self) -> agent_urls.AgentSettings:
        return self.context.agents or agent_urls.AgentSettings()

    def _software_config(self) -> bool:
        return self.properties.get('user_data_format') == sw_config.\
            SOFTWARE_CONFIG

    def handle_create(self):
        body = server_body.create_body(self, self.properties)
        body['tags'] = [server_body.create_mark(self)]
        if self._software_config():
            body['user_data'] = server_body.encoded_user_data(
                sw_config.prepare(self, self.properties))
        elif self.properties.get('user_data'):
            body['user_data'] = server_body.encoded_user_data(
                sw_config.user_data_content(self, self.properties))
        made = self.compute().create('server', body)
        self.resource_id_set(made['id'])
        if self._software_config():
            sw_config.register(self, made['id'])
        return True

    def check_create_complete(self, token) -> bool:
        return self._is_active(self.existing())

    def resume_create(self):
        if self._software_config():
            sw_config.register(self, self.resource_id)
        return True

    def find_unrecorded_create(self) -> str | None:
        return server_body.marked_server(self)

    def _is_active(self, server: dict) -> bool:
        status = server.get('status')
        if status == 'ACTIVE':
            return True
        if status in BUILDING or status is None:
            return False
        if status == 'ERROR':
            fault = server.get('fault') or {}
            raise ResourceInError(status, 'Message: %s, Code: %s' % (
                fault.get('message', 'Unknown'), fault.get('code',
                                                           'Unknown')))
        raise ResourceUnknownStatus('%s is not active' % self.name, status)

    # --- update ---

    def needs_replace_failed(self) -> bool:
        """Heat's: a failed server is replaced only when it is gone or in
        ERROR; one still ACTIVE (a resize Nova gave up) is updated."""
        if self.resource_id is None:
            return True
        server = self.show_resource()
        return server is None or server.get('status') == 'ERROR'

    def needs_replace_with_prop_diff(self, changed, after, before) -> bool:
        return any(prop in changed and after.get(policy) == 'REPLACE'
                   for prop, policy in (
                       ('flavor', 'flavor_update_policy'),
                       ('image', 'image_update_policy'),
                       ('user_data', 'user_data_update_policy')))

    def handle_update(self, new_properties: dict, prop_diff: dict):
        compute, server_id = self.compute(), self.resource_id
        steps = []
        if 'networks' in prop_diff:
            steps += self._network_steps(new_properties)
        if 'flavor' in prop_diff:
            flavor = new_properties['flavor']
            steps.append(server_update.resize(
                self.lookup('nova.flavor', flavor, 'flavor')['id'], flavor))
        rebuild = self._rebuild_args(new_properties, prop_diff)
        if rebuild:
            steps.append(server_update.rebuild(rebuild))
        if 'name' in prop_diff:
            compute.update('server', server_id, {
                'name': prop_diff['name'] or self.physical_resource_name()})
        if 'metadata' in prop_diff:
            compute.set_metadata(server_id, server_body.meta_serialize(
                prop_diff['metadata']))
        if prop_diff.get('admin_pass'):
            compute.action('server', server_id, 'changePassword',
                           {'adminPass': prop_diff['admin_pass']})
        return steps

    def _rebuild_args(self, new: dict, diff: dict) -> dict | None:
        args = {}
        if 'image' in diff:
            args['imageRef'] = self.lookup('glance.image', new['image'],
                                           'image')['id']
            if new.get('image_update_policy') == \
                    'REBUILD_PRESERVE_EPHEMERAL':
                args['preserve_ephemeral'] = True
        if 'user_data' in diff and \
                new.get('user_data_update_policy') == 'REBUILD':
            content = sw_config.user_data_content(self, new)
            if new.get('user_data_format') == sw_config.SOFTWARE_CONFIG:
                content = sw_config.user_data(content, {
                    'os-collect-config': self.data_get(sw_config.OCC_DATA),
                    'deployments': []})
            args['user_data'] = server_body.encoded_user_data(content)
        if not args:
            return None
        if 'imageRef' not in args:
            args['imageRef'] = (self.existing().get('image') or {}).get('id')
        if new.get('admin_pass'):
            args['adminPass'] = new['admin_pass']
        return args

    def check_update_complete(self, token) -> bool:
        try:
            return server_update.advance(self, token or [])
        except (server_update.UpdateFailed,
                server_interfaces.InterfaceFailed) as exc:
            raise resource_failure(self.name, 'Error', str(exc))

    # --- networks in place ---

    def _network_steps(self, new_properties: dict) -> list[dict]:
        """Heat's _update_networks: the detaches, then the attaches."""
        changes = server_networks.calculate(
            [self._entry_ids(net, strict=False)
             for net in self.properties_before().get('networks') or ()],
            [self._entry_ids(net, strict=True)
             for net in new_properties.get('networks') or ()],
            self.compute().interfaces(self.resource_id))
        for floating_ip in changes.dissociate:
            self._disassociate(floating_ip)
        internal = set(self.data_get(server_body.INTERNAL_PORTS, []))
        steps = [server_interfaces.detach(port_id, port_id in internal)
                 for port_id in changes.detach]
        groups = self.security_group_ids(new_properties)
        for wanted in changes.attach:
            port = wanted.port
            if wanted.internal:
                port = server_body.internal_port(
                    self, wanted.index, wanted.subnet, wanted.network,
                    wanted.fixed_ip, groups)
            steps.append(server_interfaces.attach(
                port, None if port else wanted.network,
                None if port else wanted.fixed_ip, wanted.floating_ip,
                None if port else groups))
        return steps

    def _entry_ids(self, net: dict, strict: bool) -> dict:
        """A networks entry with ids for names (``uuid`` as ``network``;
        a subnet's network filled in); an old entry naming what is gone
        keeps its words (``strict`` False)."""
        entry = {k: v for k, v in net.items() if k != 'uuid'}
        entry['network'] = net.get('network') or net.get('uuid')
        for key in ('network', 'subnet', 'port'):
            if entry.get(key):
                entry[key] = self._id_or_words('subnet' if key == 'subnet'
                                               else key, entry[key], strict)
        if entry.get('subnet') and not entry.get('port') and \
                not entry.get('network'):
            subnet = self.cloud().network.show('subnet', entry['subnet'])
            entry['network'] = (subnet or {}).get('network_id')
        return entry

    def _id_or_words(self, kind: str, value: str, strict: bool) -> str:
        if strict:
            return self.network_id(kind, value, 'networks')
        try:
            found = self.cloud().network.find(kind, value)
        except errors.Ambiguous:
            found = None
        return found['id'] if found else value

    def security_group_ids(self, props: dict) -> list[str] | None:
        """The server's security groups as ids, for the ports made for it
        (Heat's get_secgroup_uuids); None when it names none."""
        groups = props.get('security_groups') or []
        return [self.network_id('security_group', group, 'security_groups')
                for group in groups] or None

    def delete_internal_port(self, port_id: str) -> None:
        """An internal port Nova let go of: deleted and forgotten."""
        self.cloud().network.delete('port', port_id)
        self.data_set(server_body.INTERNAL_PORTS, [
            p for p in self.data_get(server_body.INTERNAL_PORTS, [])
            if p != port_id])

    # --- replacement (server_replace) ---

    def prepare_for_replace(self) -> None:
        """The template's ports and fixed IPs go to the replacement."""
        server_replace.prepare(self)

    def restore_after_rollback(self, replacement_id: str | None) -> None:
        """A rollback takes them back from the replacement."""
        server_replace.restore(self, replacement_id)

    # --- delete ---

    def handle_delete(self):
        sw_config.forget(self)
        if self.resource_id is None:
            self._delete_internal_ports()
            return None
        for net in self.properties.get('networks') or ():
            if net.get('floating_ip'):
                self._disassociate(net['floating_ip'])
        self.compute().delete('server', self.resource_id)
        return True

    def _disassociate(self, floating_ip: str) -> None:
        try:
            self.cloud().network.update('floatingip', floating_ip,
                                        {'port_id': None})
        except errors.NotFound:
            pass

    def check_delete_complete(self, token) -> bool:
        server = self.show_resource() if token else None
        if server is None:
            self._delete_internal_ports()
            return True
        if server.get('OS-EXT-STS:task_state') == 'deleting':
            return False  # its status stays what it was until then (Heat)
        if server.get('status') == 'SOFT_DELETED':
            self.compute().action('server', self.resource_id, 'forceDelete')
        elif server.get('status') == 'ERROR':
            fault = server.get('fault') or {}
            raise ResourceInError('ERROR', 'Server %s delete failed: (%s) %s'
                                  % (server.get('name'), fault.get('code'),
                                     fault.get('message', 'Unknown')))
        return False

    def _delete_internal_ports(self) -> None:
        for port_id in self.data_get(server_body.INTERNAL_PORTS, []):
            self.cloud().network.delete('port', port_id)
        self.data_delete(server_body.INTERNAL_PORTS)

    # --- check, suspend, resume ---

    def handle_check(self):
        server = self.existing()
        if server.get('status') != 'ACTIVE':
            raise CheckFailed('status', 'ACTIVE', server.get('status'))
        live_state.check(self, server)

    # --- reality (live_state): Heat's parse_live_resource_data fields ---

    def expected_live(self) -> dict:
        expected = {'name': self.server_name(),
                    'flavor': self.properties['flavor'],
                    'metadata': server_body.meta_serialize(
                        self.properties.get('metadata'))}
        if self.properties.get('image'):
            expected['image'] = self.properties['image']
        if server_live.observable(self.properties.get('networks')):
            expected['networks'] = [_words(net) for net in
                                    self.properties['networks']]
        return expected

    def live_properties(self, server: dict) -> dict:
        """Nova's server in the template's words: the flavor and image
        the template names when Nova's are those, else Nova's own."""
        live = {'name': server.get('name'),
                'metadata': server.get('metadata') or {}}
        flavor = server.get('flavor') or {}
        wanted = self.lookup('nova.flavor', self.properties['flavor'],
                             'flavor')
        live['flavor'] = (self.properties['flavor'] if wanted['id'] == (
            flavor.get('id')) or wanted.get('name') == flavor.get(
                'original_name') else flavor.get('original_name')
            or flavor.get('id'))
        if self.properties.get('image'):
            image = (server.get('image') or {}).get('id')
            wanted = self.lookup('glance.image', self.properties['image'],
                                 'image')
            live['image'] = (self.properties['image']
                             if wanted['id'] == image else image)
        entries = self.properties.get('networks')
        if server_live.observable(entries):
            found = server_live.live_networks(
                entries, [self._entry_ids(net, strict=False)
                          for net in entries],
                self.compute().interfaces(self.resource_id),
                self.data_get(server_body.INTERNAL_PORTS, []))
            live['networks'] = [_words(net) for net in found]
        return live

    def handle_suspend(self):
        self.compute().action('server', self.existing()['id'], 'suspend')
        return True

    def check_suspend_complete(self, token) -> bool:
        return self._reached(self.existing(), 'SUSPENDED')

    def handle_resume(self):
        self.compute().action('server', self.existing()['id'], 'resume')
        return True

    def check_resume_complete(self, token) -> bool:
        return self._reached(self.existing(), 'ACTIVE')

    def _reached(self, server: dict, goal: str) -> bool:
        status = server.get('status')
        if status == goal:
            return True
        if status == 'ERROR':
            raise ResourceInError(status, 'Message: %s' % (
                (server.get('fault') or {}).get('message', 'Unknown')))
        return False

    # --- attributes ---

    @classmethod
    def live_metadata(cls, row: dict, deployments_of) -> dict:
        """A SOFTWARE_CONFIG server's os-collect-config and deployments."""
        return sw_config.live_metadata(row, deployments_of)

    def _resolve_attribute(self, name: str) -> object:
        if name == 'os_collect_config':
            return self.data_get(sw_config.OCC_DATA) or {}
        server = self.attributes()
        if server is None:
            return None
        addresses = server.get('addresses') or {}
        if name == 'networks':
            return self._networks(addresses)
        if name == 'first_address':
            for entries in addresses.values():
                for entry in entries:
                    return entry.get('addr')
            return ''
        if name == 'instance_name':
            return server.get('OS-EXT-SRV-ATTR:instance_name')
        if name == 'addresses':
            return self._addresses_with_ports(addresses)
        return server.get(name)

    def _addresses_with_ports(self, addresses: dict) -> dict:
        """Heat's addresses: each address also names its port (found by
        its MAC among the server's ports)."""
        ports = {p.get('mac_address'): p['id']
                 for p in self.cloud().network.list(
                     'port', {'device_id': self.resource_id})}
        return {label: [dict(entry, port=ports.get(
            entry.get('OS-EXT-IPS-MAC:mac_addr'))) for entry in entries]
            for label, entries in addresses.items()}

    def _networks(self, addresses: dict) -> dict:
        """Heat's networks: IPs by network name, and by network id."""
        networks = {label: [entry['addr'] for entry in entries]
                    for label, entries in addresses.items()}
        for label, ips in list(networks.items()):
            try:
                found = self.cloud().network.find('network', label)
            except errors.Ambiguous:
                found = None
            if found is not None:
                networks[found['id']] = ips
        return networks


def _words(entry: dict) -> dict:
    """A networks entry as the template gives it (its unset keys left
    out)."""
    return {k: v for k, v in entry.items() if v is not None}
