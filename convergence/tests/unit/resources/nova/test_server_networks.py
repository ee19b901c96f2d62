"""A server's networks changed in place, as Heat does: which interfaces
``server_networks.calculate`` keeps, detaches and attaches, and the
update on the in-memory cloud (ports and fixed IPs kept, internal ports
made with the server's security groups and deleted once detached)."""

import testtools

from convergence.resources.nova import server_networks as sn
from convergence.tests.unit.resources.nova.seeded import seeded_cloud

SERVER = 'OS::Nova::Server'


def _iface(port, net, ip, subnet='s1'):
    return {'port_id': port, 'net_id': net,
            'fixed_ips': [{'ip_address': ip, 'subnet_id': subnet}]}


class CalculateTest(testtools.TestCase):
    """Given the old entries and the server's interfaces, the new entries
    keep what still matches."""

    IFACES = [_iface('p0', 'n1', '10.0.0.5'),
              _iface('p1', 'n1', '10.0.0.33'),
              _iface('p2', 'n1', '10.0.0.6')]

    def test_the_same_networks_in_another_order_change_nothing(self):
        changes = sn.calculate(
            [{'network': 'n1'}, {'network': 'n1', 'fixed_ip': '10.0.0.33'},
             {'subnet': 's1', 'network': 'n1'}],
            [{'subnet': 's1'}, {'network': 'n1'},
             {'network': 'n1', 'subnet': 's1'}], self.IFACES)
        self.assertEqual(([], []), (changes.detach, changes.attach))

    def test_an_entry_naming_the_address_it_has_keeps_its_port(self):
        changes = sn.calculate([{'network': 'n1'}],
                               [{'network': 'n1', 'fixed_ip': '10.0.0.5'}],
                               self.IFACES[:1])
        self.assertEqual(([], []), (changes.detach, changes.attach))

    def test_a_network_swapped_for_its_own_port_keeps_it(self):
        changes = sn.calculate([{'network': 'n1'}], [{'port': 'p0'}],
                               self.IFACES[:1])
        self.assertEqual(([], []), (changes.detach, changes.attach))

    def test_another_subnet_detaches_the_old_port_and_attaches_one(self):
        changes = sn.calculate([{'subnet': 's1', 'network': 'n1'}],
                               [{'subnet': 's2'}], self.IFACES[:1])
        self.assertEqual(['p0'], changes.detach)
        self.assertEqual([sn.Attach(subnet='s2', internal=True)],
                         changes.attach)

    def test_an_added_network_attaches_only_it(self):
        changes = sn.calculate(
            [{'network': 'n1'}],
            [{'network': 'n1'}, {'network': 'n2', 'fixed_ip': '10.1.0.9',
                                 'floating_ip': 'f'}], self.IFACES[:1])
        self.assertEqual([], changes.detach)
        self.assertEqual([sn.Attach(network='n2', fixed_ip='10.1.0.9',
                                    floating_ip='f', index=0)],
                         changes.attach)

    def test_a_removed_entry_is_detached_and_its_floating_ip_let_go(self):
        changes = sn.calculate(
            [{'network': 'n1', 'fixed_ip': '10.0.0.33', 'floating_ip': 'f'},
             {'network': 'n1', 'fixed_ip': '10.0.0.5'}],
            [{'network': 'n1', 'fixed_ip': '10.0.0.5'}], self.IFACES[:2])
        self.assertEqual((['p1'], ['f'], []), (
            changes.detach, changes.dissociate, changes.attach))

    def test_from_nova_auto_every_interface_goes(self):
        changes = sn.calculate(None, [{'network': 'n1'}], self.IFACES[:2])
        self.assertEqual(['p0', 'p1'], changes.detach)
        self.assertEqual([sn.Attach(network='n1')], changes.attach)

    def test_to_no_networks_one_interface_nova_picks(self):
        changes = sn.calculate([{'network': 'n1'}], [], self.IFACES[:1])
        self.assertEqual((['p0'], [sn.Attach()]),
                         (changes.detach, changes.attach))

    def test_allocate_none_detaches_all_and_attaches_nothing(self):
        changes = sn.calculate([{'network': 'n1'}],
                               [{'allocate_network': 'none'}],
                               self.IFACES[:2])
        self.assertEqual((['p0', 'p1'], []),
                         (changes.detach, changes.attach))

    def test_between_none_and_empty_nothing_happens(self):
        changes = sn.calculate(None, [], self.IFACES[:1])
        self.assertEqual(([], []), (changes.detach, changes.attach))


class ServerNetworksUpdateTest(testtools.TestCase):
    """The update on the in-memory Nova and Neutron."""

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.network = self.on.network
        self.other_subnet = self.network.create('subnet', {
            'network_id': self.on.net_id, 'cidr': '10.0.1.0/24'})['id']
        self.group = self.network.create('security_group',
                                         {'name': 'the_sg'})['id']

    def _server(self, networks, **props):
        return self.on.created(SERVER, dict(
            {'flavor': '1', 'image': 'tiny', 'networks': networks}, **props),
            'server')

    def _update(self, server, networks, **props):
        new = dict({'flavor': '1', 'image': 'tiny', 'networks': networks},
                   **props)
        plan = self.on.updated(server, new)
        self.assertEqual('update', plan.decision)

    def _ports(self, server) -> list[dict]:
        return [p for p in self.network.resources['port'].values()
                if p.get('device_id') == server.resource_id]

    def test_a_network_swapped_for_its_subnet_keeps_the_port(self):
        server = self._server([{'network': 'private'}])
        [before] = self._ports(server)
        self._update(server, [{'subnet': self.on.subnet_id}])
        self.assertEqual([before['id']], [p['id'] for p in
                                          self._ports(server)])

    def test_a_fixed_ip_the_server_has_is_kept_not_asked_again(self):
        server = self._server([{'network': 'private'}])
        [port] = self._ports(server)
        address = port['fixed_ips'][0]['ip_address']
        self.on.cloud.compute.calls.clear()
        self._update(server, [{'network': 'private', 'fixed_ip': address}])
        self.assertEqual([port], self._ports(server))
        self.assertEqual([], [c for c in self.on.cloud.compute.calls
                              if c[0].endswith('_interface')])

    def test_a_subnet_swap_replaces_the_internal_port_once_detached(self):
        server = self._server([{'subnet': self.on.subnet_id}],
                              security_groups=['the_sg'])
        [old_port] = server.context.data['internal_ports']
        self.assertEqual([self.group], self.network.resources['port'][
            old_port]['security_groups'])
        self._update(server, [{'subnet': self.other_subnet}],
                     security_groups=['the_sg'])
        [new_port] = self._ports(server)
        self.assertNotIn(old_port, self.network.resources['port'])
        self.assertEqual([new_port['id']],
                         server.context.data['internal_ports'])
        self.assertEqual((self.other_subnet, [self.group]), (
            new_port['fixed_ips'][0]['subnet_id'],
            new_port['security_groups']))
        addresses = self.on.cloud.compute.resources['server'][
            server.resource_id]['addresses']
        self.assertEqual([new_port['fixed_ips'][0]['ip_address']],
                         [a['addr'] for a in addresses['private']])

    def test_an_added_network_is_attached_with_the_security_groups(self):
        other = self.network.create('network', {'name': 'other'})['id']
        self.network.create('subnet', {'network_id': other,
                                       'cidr': '10.9.0.0/24'})
        server = self._server([{'network': 'private'}],
                              security_groups=['the_sg'])
        self._update(server, [{'network': 'private'}, {'network': other}],
                     security_groups=['the_sg'])
        ports = {p['network_id']: p for p in self._ports(server)}
        self.assertEqual({self.on.net_id, other}, set(ports))
        self.assertEqual([self.group], ports[other]['security_groups'])

    def test_each_address_names_its_port_as_heats_do(self):
        server = self._server([{'network': 'private'}])
        [port] = self._ports(server)
        [entry] = server.get_attribute('addresses')['private']
        self.assertEqual((port['id'], port['fixed_ips'][0]['ip_address']),
                         (entry['port'], entry['addr']))

    def test_a_removed_port_is_released_not_deleted(self):
        given = self.network.create('port', {'network_id': self.on.net_id})
        server = self._server([{'network': 'private'},
                               {'port': given['id']}])
        self._update(server, [{'network': 'private'}])
        self.assertEqual('', self.network.resources['port'][
            given['id']]['device_id'])
        self.assertEqual(1, len(self._ports(server)))
