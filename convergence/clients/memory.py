"""The in-memory twin of a cloud (cloud_ports.Clouds, cloud_ports.Cloud, NetworkAPI).

Neutron's resources as dicts with Neutron's field names and the rules the
resource types meet on the real one: a subnet or port needs its network, a
network with ports or subnets cannot be deleted (409), a subnet with ports
neither, deleting what is gone answers False; a router's extra routes
follow Neutron's rules (``memory_routes``).  Tests read ``calls`` (every
request, in order) and ``resources``; ``fail(kind, op, error)`` makes the
next matching call raise, ``statuses`` gives the statuses a new resource
passes through before its final one (BUILD, then ACTIVE).
"""

import ipaddress
import itertools
import uuid

from convergence.clients import errors
from convergence.clients import memory_calls
from convergence.clients import memory_compute
from convergence.clients import memory_identity
from convergence.clients import memory_orchestration
from convergence.clients import memory_routes
from convergence.clients import memory_stack_domain
from convergence.clients import memory_volumes
from convergence.clients import stack_domain
from convergence.clients import stack_users

_DEFAULTS = {
    'network': {'status': 'ACTIVE', 'admin_state_up': True, 'shared': False,
                'subnets': [], 'mtu': 1450, 'port_security_enabled': True,
                'qos_policy_id': None, 'l2_adjacency': True},
    'subnet': {'ip_version': 4, 'enable_dhcp': True, 'dns_nameservers': [],
               'host_routes': [], 'ipv6_ra_mode': None,
               'ipv6_address_mode': None},
    'port': {'status': 'DOWN', 'admin_state_up': True, 'device_id': '',
             'device_owner': '', 'security_groups': [],
             'allowed_address_pairs': [], 'port_security_enabled': True},
    'router': {'status': 'ACTIVE', 'admin_state_up': True,
               'external_gateway_info': None, 'routes': []},
    'security_group': {'security_group_rules': []},
    'security_group_rule': {},
    'floatingip': {'status': 'DOWN', 'port_id': None, 'fixed_ip_address': None},
}


class InMemoryNetwork(memory_routes.ExtraRoutes, memory_calls.CallLog):
    """cloud_ports.NetworkAPI over dicts (a router's extra routes in
    ``memory_routes``)."""

    def __init__(self, project_id: str = 'project'):
        super().__init__()
        self.project_id = project_id
        self.resources: dict[str, dict[str, dict]] = {k: {} for k in _DEFAULTS}
        self.statuses: list[str] = []
        self._pending: dict[str, list[str]] = {}
        self._macs = itertools.count(1)

    def create(self, kind: str, attrs: dict) -> dict:
        self._enter(kind, 'create', dict(attrs))
        item = dict(_DEFAULTS[kind], **attrs)
        item.update(id=str(uuid.uuid4()),
                    tenant_id=attrs.get('tenant_id', self.project_id))
        item['project_id'] = item['tenant_id']
        item.setdefault('name', '')
        getattr(self, '_new_' + kind, lambda item: None)(item)
        self.resources[kind][item['id']] = item
        if self.statuses and 'status' in item:
            self._pending[item['id']] = list(self.statuses)
        return dict(item)

    def _network(self, network_id: str) -> dict:
        network = self.resources['network'].get(network_id)
        if network is None:
            raise errors.NotFound('Network %s could not be found.'
                                  % network_id, 404)
        return network

    def _new_subnet(self, item: dict) -> None:
        network = self._network(item.get('network_id'))
        try:
            cidr = ipaddress.ip_network(item.get('cidr'))
        except (TypeError, ValueError):
            raise errors.BadRequest("Invalid input for cidr. Reason: '%s' is "
                                    "not a valid IP subnet." % item.get('cidr'),
                                    400)
        hosts = list(itertools.islice(cidr.hosts(), 2))
        item.setdefault('gateway_ip', str(hosts[0]) if hosts else None)
        item.setdefault('allocation_pools', [
            {'start': str(hosts[-1]), 'end': str(cidr[-2])}] if hosts else [])
        network['subnets'] = network['subnets'] + [item['id']]

    def _new_security_group(self, item: dict) -> None:
        """As Neutron: a new group allows all egress."""
        for ethertype in ('IPv4', 'IPv6'):
            rule_id = str(uuid.uuid4())
            self.resources['security_group_rule'][rule_id] = {
                'id': rule_id, 'security_group_id': item['id'],
                'direction': 'egress', 'ethertype': ethertype,
                'protocol': None, 'port_range_min': None,
                'port_range_max': None, 'remote_group_id': None,
                'remote_ip_prefix': None, 'tenant_id': item['tenant_id']}

    def _new_security_group_rule(self, item: dict) -> None:
        if item.get('security_group_id') not in \
                self.resources['security_group']:
            raise errors.NotFound('Security group %s does not exist'
                                  % item.get('security_group_id'), 404)
        for key in ('protocol', 'port_range_min', 'port_range_max',
                    'remote_group_id', 'remote_ip_prefix'):
            item.setdefault(key, None)
        item.setdefault('ethertype', 'IPv4')

    def _new_floatingip(self, item: dict) -> None:
        network = self._network(item.get('floating_network_id'))
        subnet = self.resources['subnet'].get(
            item.get('subnet_id') or (network['subnets'] or [None])[0])
        if subnet is None:
            raise errors.BadRequest('Bad floatingip request: Network %s does '
                                    'not contain any IPv4 subnet.'
                                    % network['id'], 400)
        item.setdefault('floating_ip_address',
                        self._fixed_ip({'subnet_id': subnet['id']},
                                       item['id'])[
                            'ip_address'])
        self._associate(item)

    def _associate(self, item: dict) -> None:
        port = self.resources['port'].get(item.get('port_id'))
        if item.get('port_id') and port is None:
            raise errors.NotFound('Port %s could not be found.'
                                  % item['port_id'], 404)
        item['fixed_ip_address'] = (item.get('fixed_ip_address') or (
            port['fixed_ips'][0]['ip_address'])) if port else None
        item['status'] = 'ACTIVE' if port else 'DOWN'

    def _new_port(self, item: dict) -> None:
        network = self._network(item.get('network_id'))
        item.setdefault('mac_address', 'fa:16:3e:00:00:%02x'
                        % next(self._macs))
        fixed = item.get('fixed_ips') or [{'subnet_id': s}
                                          for s in network['subnets'][:1]]
        item['fixed_ips'] = [self._fixed_ip(f, item['id'], network['id'])
                             for f in fixed]

    def _fixed_ip(self, fixed: dict, port_id: str,
                  network_id: str | None = None) -> dict:
        """Neutron's allocation: the address asked (refused, as Neutron
        does, when another port holds it) or the subnet's first free one."""
        subnet = self._subnet_of(fixed, network_id)
        used = {f['ip_address'] for p in self.resources['port'].values()
                if p['id'] != port_id for f in p['fixed_ips']
                if f['subnet_id'] == subnet['id']}
        if fixed.get('ip_address'):
            if fixed['ip_address'] in used:
                raise errors.Conflict(
                    'IP address %s already allocated in subnet %s'
                    % (fixed['ip_address'], subnet['id']), 409)
            return {'subnet_id': subnet['id'],
                    'ip_address': fixed['ip_address']}
        for host in itertools.islice(
                ipaddress.ip_network(subnet['cidr']).hosts(), 2, None):
            if str(host) not in used:
                return {'subnet_id': subnet['id'], 'ip_address': str(host)}
        raise errors.Conflict('No more IP addresses available on network %s.'
                              % subnet['network_id'], 409)

    def _subnet_of(self, fixed: dict, network_id: str | None) -> dict:
        """The subnet a fixed IP names, or the one of the port's network
        holding its address."""
        subnet_id = fixed.get('subnet_id')
        if subnet_id is None and fixed.get('ip_address'):
            address = ipaddress.ip_address(fixed['ip_address'])
            subnet_id = next((
                s['id'] for s in self.resources['subnet'].values()
                if s['network_id'] == network_id
                and address in ipaddress.ip_network(s['cidr'])), None)
        subnet = self.resources['subnet'].get(subnet_id)
        if subnet is None:
            raise errors.NotFound('Subnet %s could not be found.'
                                  % subnet_id, 404)
        return subnet

    def show(self, kind: str, resource_id: str) -> dict | None:
        self._enter(kind, 'show', resource_id)
        item = self.resources[kind].get(resource_id)
        if item is None:
            return None
        pending = self._pending.get(resource_id)
        if pending:
            item['status'] = pending.pop(0)
        if kind == 'security_group':
            item['security_group_rules'] = [
                dict(r) for r in self.resources['security_group_rule'].values()
                if r['security_group_id'] == resource_id]
        return dict(item)

    def list(self, kind: str, filters: dict) -> list[dict]:
        self._enter(kind, 'list', dict(filters))
        return [dict(item) for item in self.resources[kind].values()
                if all(item.get(k) == v for k, v in filters.items())]

    def find(self, kind: str, name_or_id: str) -> dict | None:
        self._enter(kind, 'find', name_or_id)
        items = self.resources[kind]
        if name_or_id in items:
            return dict(items[name_or_id])
        named = [i for i in items.values() if i.get('name') == name_or_id]
        if len(named) > 1:
            raise errors.Ambiguous(
                "Multiple %s matches found for name '%s', use an ID to be "
                "more specific." % (kind, name_or_id))
        return dict(named[0]) if named else None

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        self._enter(kind, 'update', resource_id, dict(attrs))
        item = self.resources[kind].get(resource_id)
        if item is None:
            raise errors.NotFound('%s %s could not be found.' % (
                kind.capitalize(), resource_id), 404)
        if kind == 'port' and 'fixed_ips' in attrs:
            attrs = dict(attrs, fixed_ips=[
                self._fixed_ip(f, resource_id, item['network_id'])
                for f in attrs['fixed_ips']])
        item.update(attrs)
        if kind == 'floatingip':
            self._associate(item)
        return dict(item)

    def delete(self, kind: str, resource_id: str) -> bool:
        self._enter(kind, 'delete', resource_id)
        item = self.resources[kind].get(resource_id)
        if item is None:
            return False
        self._check_unused(kind, item)
        del self.resources[kind][resource_id]
        if kind == 'security_group':
            for rule in list(self.resources['security_group_rule'].values()):
                if rule['security_group_id'] == resource_id:
                    del self.resources['security_group_rule'][rule['id']]
        if kind == 'subnet':
            network = self.resources['network'].get(item['network_id'])
            if network is not None:
                network['subnets'] = [s for s in network['subnets']
                                      if s != resource_id]
        return True

    def _check_unused(self, kind: str, item: dict) -> None:
        ports = self.resources['port'].values()
        if kind == 'network' and (
                item['subnets'] or any(p['network_id'] == item['id']
                                       for p in ports)):
            raise errors.Conflict(
                'Unable to complete operation on network %s. There are one '
                'or more ports still in use on the network.' % item['id'], 409)
        if kind == 'subnet' and any(f['subnet_id'] == item['id']
                                    for p in ports for f in p['fixed_ips']):
            raise errors.Conflict(
                'Unable to complete operation on subnet %s: One or more '
                'ports have an IP allocation from this subnet.' % item['id'],
                409)

    def router_interface(self, router_id: str, add: bool,
                         subnet_id: str | None = None,
                         port_id: str | None = None) -> dict | None:
        self._enter('router', 'add_interface' if add else 'remove_interface',
                    router_id, subnet_id or port_id)
        if router_id not in self.resources['router']:
            if add:
                raise errors.NotFound('Router %s could not be found.'
                                      % router_id, 404)
            return None
        if add:
            return self._attach(router_id, subnet_id, port_id)
        for port in list(self.resources['port'].values()):
            if port['device_id'] == router_id and (
                    port['id'] == port_id or subnet_id in [
                        f['subnet_id'] for f in port['fixed_ips']]):
                for fixed in port['fixed_ips']:
                    self._refuse_detach_if_routed(router_id,
                                                  fixed['subnet_id'])
                del self.resources['port'][port['id']]
                return {'id': router_id, 'port_id': port['id']}
        return None

    def _attach(self, router_id: str, subnet_id, port_id) -> dict:
        """As Neutron: the interface is a port of the router's."""
        if port_id is None:
            subnet = self.resources['subnet'].get(subnet_id)
            if subnet is None:
                raise errors.NotFound('Subnet %s could not be found.'
                                      % subnet_id, 404)
            port_id = self.create('port', {
                'network_id': subnet['network_id'],
                'fixed_ips': [{'subnet_id': subnet_id,
                               'ip_address': subnet['gateway_ip']}]})['id']
        port = self.resources['port'].get(port_id)
        if port is None:
            raise errors.NotFound('Port %s could not be found.' % port_id,
                                  404)
        port.update(device_id=router_id,
                    device_owner='network:router_interface')
        return {'id': router_id, 'port_id': port_id,
                'subnet_id': port['fixed_ips'][0]['subnet_id']}


class InMemoryCloud:
    """cloud_ports.Cloud: an in-memory network, compute, block storage, image and
    orchestration and identity service (``memory_compute``, ``memory_volumes``,
    ``memory_orchestration``, ``memory_identity``) and a fixed catalog, in one
    region (the orchestration service, when the catalog has it, in
    ``regions``)."""

    region = 'RegionOne'

    def __init__(self, services=('identity', 'network')):
        self.network = InMemoryNetwork()
        self.block_storage = memory_volumes.InMemoryBlockStorage()
        self.image = memory_volumes.InMemoryImage()
        self.compute = memory_compute.InMemoryCompute(
            self.network, self.block_storage, self.image)
        self.heat = memory_orchestration.InMemoryOrchestration()
        self.identity = memory_identity.InMemoryIdentity()
        self.services = frozenset(services)
        self.regions = {self.region}
        # (region, ca_cert, insecure) of every orchestration client asked.
        self.orchestration_clients: list[tuple] = []

    def has_service(self, service_type: str) -> bool:
        return service_type in self.services

    def orchestration(self, region: str | None = None,
                      ca_cert: str | None = None, insecure: bool = False):
        region = region or self.region
        if 'orchestration' not in self.services or \
                region not in self.regions:
            raise errors.CloudError('public endpoint for orchestration '
                                    'service in %s region not found'
                                    % region)
        self.orchestration_clients.append((region, ca_cert, insecure))
        return self.heat


class InMemoryClouds:
    """cloud_ports.Clouds: one InMemoryCloud for every stack with credentials.

    A context with an ``auth_token`` gets a trust (recorded in ``trusts``,
    by creds id) and its catalog is ``services``; one without is noauth.
    """

    def __init__(self, services=('identity', 'network'),
                 domain: memory_stack_domain.InMemoryStackDomain | None
                 = None):
        self.cloud = InMemoryCloud(services)
        self.trusts: dict[str, dict] = {}
        self.deleted_trusts: list[str] = []
        # The stack user domain (None: not configured, as the options say).
        self.domain = domain

    def stack_users(self, stack: dict) -> stack_users.StackUsers:
        if self.domain is None:
            raise errors.CloudUnavailable(stack_domain.NOT_CONFIGURED)
        creds_id = stack.get('user_creds_id')
        if creds_id not in self.trusts:
            raise errors.CloudUnavailable(
                'stack %s has no credentials to make stack users with'
                % stack.get('name'))
        return stack_users.StackUsers(
            self.domain, _TrustProject(self.trusts[creds_id]),
            stack['tenant'], stack.get('root_stack_id') or stack['id'])

    def stack_user_project(self, stack: dict) -> str | None:
        """The tree's domain project, or None."""
        return (self.trusts.get(stack.get('user_creds_id')) or {}).get(
            'stack_user_project_id')

    def for_stack(self, stack: dict) -> InMemoryCloud:
        creds_id = stack.get('user_creds_id')
        if creds_id not in self.trusts:
            raise errors.CloudUnavailable(
                'stack %s has no credentials to act with: it was created '
                'without a Keystone token (noauth mode)' % stack.get('name'))
        return self.cloud

    def for_request(self, ctxt) -> InMemoryCloud:
        if not getattr(ctxt, 'auth_token', None):
            raise errors.CloudUnavailable('the request carries no token')
        return self.cloud

    def catalog(self, ctxt) -> frozenset | None:
        if not getattr(ctxt, 'auth_token', None):
            return None
        return self.cloud.services

    def stack_creds_create(self, ctxt, stack_id: str) -> str | None:
        if not getattr(ctxt, 'auth_token', None):
            return None
        creds_id = str(uuid.uuid4())
        self.trusts[creds_id] = {'trust_id': 'trust-' + creds_id,
                                 'trustor_user_id': ctxt.user_id,
                                 'roles': list(ctxt.roles)}
        return creds_id

    def stack_creds_delete(self, stack: dict, ctxt=None) -> None:
        creds_id = stack.get('user_creds_id')
        if creds_id and not stack.get('owner_id') and creds_id in self.trusts:
            creds = self.trusts.pop(creds_id)
            self.deleted_trusts.append(creds['trust_id'])
            stack_users.delete_tree_project(
                self.domain, creds.get('stack_user_project_id'), stack['id'])


class _TrustProject:
    """The tree's project recorded in an InMemoryClouds trust record."""

    def __init__(self, record: dict):
        self.record = record

    def get(self) -> str | None:
        return self.record.get('stack_user_project_id')

    def set_if_unset(self, project_id: str) -> str:
        return self.record.setdefault('stack_user_project_id', project_id)
