"""Decision 34 on the in-memory Neutron: a floating IP's association, a
floating IP association's port and a router's gateway, compared with what
Neutron holds and put back by the next update."""

import testtools

from convergence.resources import live_state
from convergence.resources.base import IN_PLACE
from convergence.resources.neutron.router import gateway_words
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud

FIP, ASSOC, ROUTER = ('OS::Neutron::FloatingIP',
                      'OS::Neutron::FloatingIPAssociation',
                      'OS::Neutron::Router')


class GatewayWordsTest(testtools.TestCase):

    def test_neutrons_gateway_in_the_keys_the_template_gives(self):
        shown = {'network_id': 'ext', 'enable_snat': True,
                 'external_fixed_ips': [
                     {'subnet_id': 's1', 'ip_address': '172.24.4.9'},
                     {'subnet_id': 's2', 'ip_address': 'fd00::9'}]}
        self.assertEqual({'network': 'ext'},
                         gateway_words(shown, {'network': 'ext'}))
        self.assertEqual(
            {'network': 'ext', 'enable_snat': True, 'external_fixed_ips': [
                {'subnet': 's1'},
                {'subnet': 's2', 'ip_address': 'fd00::9'}]},
            gateway_words(shown, {'network': 'ext', 'enable_snat': False,
                                  'external_fixed_ips': [{'subnet': 's1'}]}))
        self.assertIsNone(gateway_words({}, {'network': 'ext'}))

    def test_the_templates_gateway_body_in_its_words(self):
        self.assertEqual({'network': 'ext', 'enable_snat': False,
                          'external_fixed_ips': [{'subnet': 's1'}]},
                         gateway_words({'network_id': 'ext',
                                        'enable_snat': False,
                                        'external_fixed_ips': [
                                            {'subnet_id': 's1'}]}))
        self.assertIsNone(gateway_words(None))


class NeutronLiveStateTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        network = self.network = self.on.network
        self.public = network.create('network', {'name': 'public'})['id']
        network.create('subnet', {'network_id': self.public,
                                  'cidr': '172.24.4.0/24'})
        private = network.create('network', {'name': 'private'})
        subnet = network.create('subnet', {'network_id': private['id'],
                                           'cidr': '10.0.0.0/24'})
        self.ports = [network.create('port', {
            'network_id': private['id'], 'name': 'port%d' % i,
            'fixed_ips': [{'subnet_id': subnet['id']}]})['id']
            for i in (1, 2)]

    def test_a_floating_ip_moved_or_dissociated_is_put_back(self):
        props = {'floating_network': 'public', 'port_id': 'port1'}
        fip = self.on.created(FIP, props, 'fip')
        run_action(fip, 'CHECK', fip.context.clock)
        self.network.update('floatingip', fip.resource_id,
                            {'port_id': None})
        self.assertEqual("Error: resources.fip: 'port_id': expected '%s', "
                         "got 'None'" % self.ports[0],
                         self.on.failure(fip, 'CHECK'))
        fip.properties = live_state.as_observed(fip)
        self.assertEqual(IN_PLACE, self.on.updated(fip, props).decision)
        self.assertEqual(self.ports[0], self.network.resources[
            'floatingip'][fip.resource_id]['port_id'])
        run_action(fip, 'CHECK', fip.context.clock)

    def test_a_floating_ip_the_template_leaves_alone_stays_so(self):
        fip = self.on.created(FIP, {'floating_network': 'public'}, 'fip')
        self.network.update('floatingip', fip.resource_id,
                            {'port_id': self.ports[1]})
        self.assertEqual("Error: resources.fip: 'port_id': expected 'None', "
                         "got '%s'" % self.ports[1],
                         self.on.failure(fip, 'CHECK'))

    def test_an_association_dissociated_is_associated_again(self):
        fip = self.network.create('floatingip', {
            'floating_network_id': self.public})['id']
        props = {'floatingip_id': fip, 'port_id': self.ports[0]}
        assoc = self.on.created(ASSOC, props, 'assoc')
        self.network.update('floatingip', fip, {'port_id': None})
        self.assertIn("'port_id': expected '%s', got 'None'" % self.ports[0],
                      self.on.failure(assoc, 'CHECK'))
        assoc.properties = live_state.as_observed(assoc)
        _, plan = self.on.updated_as_engine(assoc, props)
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual(self.ports[0], self.network.resources[
            'floatingip'][fip]['port_id'])

    def test_a_gateway_cleared_behind_its_back_is_set_again(self):
        props = {'name': 'r', 'external_gateway_info': {
            'network': 'public'}}
        router = self.on.created(ROUTER, props, 'router')
        run_action(router, 'CHECK', router.context.clock)
        self.network.update('router', router.resource_id,
                            {'external_gateway_info': {}})
        self.assertEqual(
            "Error: resources.router: 'external_gateway_info': expected "
            "'{'network': '%s'}', got 'None'" % self.public,
            self.on.failure(router, 'CHECK'))
        router.properties = live_state.as_observed(router)
        self.assertEqual(IN_PLACE, self.on.updated(router, props).decision)
        self.assertEqual(self.public, self.network.resources['router'][
            router.resource_id]['external_gateway_info']['network_id'])
        run_action(router, 'CHECK', router.context.clock)
