"""Decision 34 on the in-memory cloud: a server's networks in the
template's words (server_live), a flavor's extra specs and access, a
volume's fields; each check names what changed and the update puts the
template's back."""

import testtools

from convergence.resources import live_state
from convergence.resources.base import IN_PLACE
from convergence.resources.nova import server_live
from convergence.tests.unit.resources.nova.seeded import seeded_cloud

SERVER, FLAVOR, VOLUME = ('OS::Nova::Server', 'OS::Nova::Flavor',
                          'OS::Cinder::Volume')


def iface(port, net='n1', subnet='s1', ip='10.0.0.5') -> dict:
    return {'port_id': port, 'net_id': net,
            'fixed_ips': [{'subnet_id': subnet, 'ip_address': ip}]}


class LiveNetworksTest(testtools.TestCase):

    def test_each_entry_is_told_in_its_own_words(self):
        entries = [{'network': 'private'}, {'port': 'my-port'}]
        ids = [{'network': 'n1'}, {'port': 'p2'}]
        self.assertEqual(entries, server_live.live_networks(
            entries, ids, [iface('p1'), iface('p2', net='n2')]))

    def test_an_interface_no_entry_takes_is_told_by_its_port(self):
        entries = [{'network': 'private'}]
        self.assertEqual([{'network': 'private'}, {'port': 'p9'}],
                         server_live.live_networks(
                             entries, [{'network': 'n1'}],
                             [iface('p1'), iface('p9', net='n2')]))

    def test_a_subnet_entry_takes_its_own_port_before_one_attached(self):
        # The server made p1 for the entry; p9, on the same subnet, was
        # attached behind the stack's back, and Nova lists it first.
        entries = [{'subnet': 'sub'}]
        interfaces = [iface('p9', ip='10.0.0.9'), iface('p1')]
        self.assertEqual([{'subnet': 'sub'}, {'port': 'p9'}],
                         server_live.live_networks(
                             entries, [{'subnet': 's1'}], interfaces,
                             own_ports=['p1']))
        self.assertEqual([{'subnet': 'sub'}, {'port': 'p1'}],
                         server_live.live_networks(
                             entries, [{'subnet': 's1'}], interfaces))

    def test_an_entry_without_its_interface_is_missing(self):
        self.assertEqual([], server_live.live_networks(
            [{'port': 'p1'}], [{'port': 'p1'}], []))
        self.assertEqual([{'port': 'p3'}], server_live.live_networks(
            [{'subnet': 's1', 'fixed_ip': '10.0.0.7'}],
            [{'subnet': 's1', 'fixed_ip': '10.0.0.7', 'network': 'n1'}],
            [iface('p3', ip='10.0.0.8')]))

    def test_a_port_or_address_entry_chooses_first(self):
        # The network entry would take p1 first in the template's order.
        entries = [{'network': 'private'}, {'fixed_ip': '10.0.0.5',
                                            'network': 'private'}]
        ids = [{'network': 'n1'}, {'fixed_ip': '10.0.0.5', 'network': 'n1'}]
        self.assertEqual(entries, server_live.live_networks(
            entries, ids, [iface('p1'), iface('p2', ip='10.0.0.6')]))

    def test_networks_nova_chose_are_not_compared(self):
        self.assertFalse(server_live.observable(None))
        self.assertFalse(server_live.observable([]))
        self.assertFalse(server_live.observable([{'allocate_network':
                                                  'auto'}]))
        self.assertTrue(server_live.observable([{'network': 'private'}]))


class ServerNetworksCheckTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.compute = self.on.cloud.compute

    def test_an_interface_attached_behind_its_back_is_named(self):
        server = self.on.created(SERVER, {
            'flavor': 'm1.tiny', 'image': 'tiny',
            'networks': [{'network': 'private'}]}, 'server')
        extra = self.compute.attach_interface(
            server.resource_id, net_id=self.on.net_id)['port_id']
        self.assertEqual(
            "Error: resources.server: 'networks': expected "
            "'[{'network': 'private'}]', got '[{'network': 'private'}, "
            "{'port': '%s'}]'" % extra, self.on.failure(server, 'CHECK'))
        self.assertEqual(['networks'], server.context.data[
            live_state.DRIFTED])
        observed = live_state.as_observed(server)
        self.assertEqual([{'network': 'private'}, {'port': extra}],
                         observed['networks'])


class FlavorCheckTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.compute = self.on.cloud.compute

    def test_specs_and_access_changed_are_named_and_put_back(self):
        props = {'ram': 256, 'vcpus': 1, 'is_public': False,
                 'tenants': ['p1'], 'extra_specs': {'a': 1}}
        flavor = self.on.created(FLAVOR, props, 'fl')
        stored = self.compute.resources['flavor'][flavor.resource_id]
        live_state.check(flavor, flavor.existing())
        self.compute.set_extra_specs(flavor.resource_id, {'a': '2'})
        stored['tenants'] = ['p1', 'intruder']
        self.assertEqual(
            "Error: resources.fl: 'extra_specs': expected '{'a': '1'}', got "
            "'{'a': '2'}'\n'tenants': expected '['p1']', got "
            "'['intruder', 'p1']'", self.on.failure(flavor, 'CHECK'))
        flavor.properties = live_state.as_observed(flavor)
        _, plan = self.on.updated_as_engine(flavor, props)
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual((['p1'], {'a': 1}),
                         (stored['tenants'], stored['extra_specs']))


class VolumeCheckTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.volumes = self.on.cloud.block_storage

    def test_fields_changed_are_named_and_put_back_in_place(self):
        props = {'size': 1, 'name': 'v', 'description': 'd',
                 'metadata': {'k': 1}, 'read_only': True}
        volume = self.on.created(VOLUME, props, 'vol')
        stored = self.volumes.resources['volume'][volume.resource_id]
        self.assertEqual({'k': '1', 'readonly': 'True'}, stored['metadata'])
        live_state.check(volume, volume.existing())
        self.volumes.update('volume', volume.resource_id, {
            'name': 'w', 'description': None})
        self.volumes.set_metadata(volume.resource_id, {'k': '2'})
        self.volumes.action('volume', volume.resource_id,
                            'os-update_readonly_flag', {'readonly': False})
        self.assertEqual(
            "Error: resources.vol: 'description': expected 'd', got "
            "'None'\n'metadata': expected '{'k': '1'}', got '{'k': '2'}'\n"
            "'name': expected 'v', got 'w'\n'read_only': expected 'True', "
            "got 'False'", self.on.failure(volume, 'CHECK'))
        volume.properties = live_state.as_observed(volume)
        plan = self.on.updated(volume, props)
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual(('v', 'd', {'k': '1', 'readonly': 'True'}), (
            stored['name'], stored['description'], stored['metadata']))

    def test_a_volume_grown_behind_its_back_cannot_shrink(self):
        volume = self.on.created(VOLUME, {'size': 1}, 'vol')
        self.volumes.resources['volume'][volume.resource_id]['size'] = 3
        self.assertEqual("Error: resources.vol: 'size': expected '1', got "
                         "'3'", self.on.failure(volume, 'CHECK'))
        volume.properties = live_state.as_observed(volume)
        error = self.assertRaises(Exception, self.on.updated, volume,
                                  {'size': 1})
        self.assertEqual('NotSupported: resources.vol: Shrinking volume is '
                         'not supported.', str(error))
