"""OS::Neutron::FloatingIPAssociation on the in-memory Neutron."""

import testtools

from convergence.resources.base import IN_PLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import RESOURCE_UUID

TYPE = 'OS::Neutron::FloatingIPAssociation'


class FloatingIPAssociationTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        network = self.network = self.on.network
        public = network.create('network', {'name': 'public'})
        network.create('subnet', {'network_id': public['id'],
                                  'cidr': '172.24.4.0/24'})
        private = network.create('network', {'name': 'private'})
        subnet = network.create('subnet', {'network_id': private['id'],
                                           'cidr': '10.0.0.0/24'})
        self.ports = [network.create('port', {
            'network_id': private['id'], 'name': 'port%d' % i,
            'fixed_ips': [{'subnet_id': subnet['id']}]})['id']
            for i in (1, 2)]
        self.fips = [network.create('floatingip', {
            'floating_network_id': public['id']})['id'] for _ in (1, 2)]

    def fip(self, index: int) -> dict:
        return self.network.resources['floatingip'][self.fips[index]]

    def test_create_associates_and_delete_dissociates(self):
        res = self.on.created(TYPE, {'floatingip_id': self.fips[0],
                                     'port_id': 'port1'}, 'assoc')
        self.assertEqual((self.ports[0], '10.0.0.3', RESOURCE_UUID), (
            self.fip(0)['port_id'], self.fip(0)['fixed_ip_address'],
            res.resource_id))
        run_action(res, 'CHECK', res.context.clock)
        run_action(res, 'DELETE', res.context.clock)
        self.assertEqual((None, None), (self.fip(0)['port_id'],
                                        self.fip(0)['fixed_ip_address']))

    def test_a_new_floating_ip_or_port_changes_in_place(self):
        res = self.on.created(TYPE, {'floatingip_id': self.fips[0],
                                     'port_id': self.ports[0]}, 'assoc')
        res, plan = self.on.updated_as_engine(res, {
            'floatingip_id': self.fips[1], 'port_id': self.ports[1]})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual((None, self.ports[1]), (self.fip(0)['port_id'],
                                                 self.fip(1)['port_id']))

    def test_a_check_finds_an_association_changed_behind_its_back(self):
        res = self.on.created(TYPE, {'floatingip_id': self.fips[0],
                                     'port_id': self.ports[0]}, 'assoc')
        self.fip(0)['port_id'] = self.ports[1]
        self.assertIn("Error: resources.assoc: 'port_id': expected '%s', "
                      "got '%s'" % (self.ports[0], self.ports[1]),
                      self.on.failure(res, 'CHECK'))

    def test_a_gone_floating_ip_is_deleted_and_a_bad_one_fails(self):
        res = self.on.created(TYPE, {'floatingip_id': self.fips[0],
                                     'port_id': self.ports[0]}, 'assoc')
        del self.network.resources['floatingip'][self.fips[0]]
        run_action(res, 'DELETE', res.context.clock)
        bad = self.on.plugin(TYPE, {'floatingip_id': 'nope',
                                    'port_id': self.ports[0]}, 'bad')
        self.assertEqual('NotFound: resources.bad: Floatingip nope could '
                         'not be found.', self.on.failure(bad, 'CREATE'))
