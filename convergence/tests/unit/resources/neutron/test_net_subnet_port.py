"""OS::Neutron::Net, Subnet and Port on the in-memory cloud: properties to
Neutron calls, update decisions, name lookups, errors, gone-on-delete."""

import testtools

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import live_state
from convergence.resources.base import IN_PLACE, NO_CHANGE, REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import SHORT_ID, validated

NET, SUBNET, PORT = 'OS::Neutron::Net', 'OS::Neutron::Subnet', \
    'OS::Neutron::Port'


class NetTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()

    def test_create_sends_the_properties_with_the_physical_name(self):
        net = self.on.created(NET, {'value_specs': {'mtu': 1400}}, 'net')
        [call] = [c for c in self.on.network.calls if c[0] == 'create']
        self.assertEqual(('create', 'network', {
            'name': 'st-net-%s' % SHORT_ID, 'admin_state_up': True,
            'shared': False, 'mtu': 1400}), call)
        self.assertIn(net.resource_id, self.on.network.resources['network'])
        self.assertEqual(net.resource_id, net.get_reference_id())

    def test_create_waits_while_building_and_fails_on_error(self):
        self.on.network.statuses = ['BUILD', 'BUILD', 'ACTIVE']
        net = self.on.created(NET, {}, 'net')
        self.assertEqual(2, len(net.context.clock.waits))
        self.on.network.statuses = ['ERROR']
        bad = self.on.plugin(NET, {}, 'bad')
        self.assertEqual('ResourceInError: resources.bad: Went to status '
                         'ERROR due to "Unknown"',
                         self.on.failure(bad, 'CREATE'))

    def test_the_clouds_error_fails_the_resource_with_its_message(self):
        self.on.network.fail('network', 'create', errors.for_status(
            409, 'Quota exceeded for resources: [\'network\'].'))
        net = self.on.plugin(NET, {}, 'net')
        self.assertEqual("Conflict: resources.net: Quota exceeded for "
                         "resources: ['network'].",
                         self.on.failure(net, 'CREATE'))

    def test_name_and_admin_state_change_in_place_tenant_replaces(self):
        net = self.on.created(NET, {'name': 'a'}, 'net')
        plan = self.on.updated(net, {'name': 'b', 'admin_state_up': False})
        self.assertEqual(IN_PLACE, plan.decision)
        stored = self.on.network.resources['network'][net.resource_id]
        self.assertEqual(('b', False), (stored['name'],
                                        stored['admin_state_up']))
        self.assertEqual(NO_CHANGE, self.on.updated(
            net, {'name': 'b', 'admin_state_up': False}).decision)
        self.assertEqual(REPLACE, net.plan_update(validated(
            NET, {'name': 'b', 'tenant_id': 'other'})).decision)

    def test_a_name_removed_gets_the_physical_name_back(self):
        net = self.on.created(NET, {'name': 'a'}, 'net')
        self.on.updated(net, {})
        stored = self.on.network.resources['network'][net.resource_id]
        self.assertEqual('st-net-%s' % SHORT_ID, stored['name'])

    def test_delete_of_a_network_already_gone_succeeds(self):
        net = self.on.created(NET, {}, 'net')
        del self.on.network.resources['network'][net.resource_id]
        run_action(net, 'DELETE', net.context.clock)
        never_made = self.on.plugin(NET, {}, 'never')
        run_action(never_made, 'DELETE', never_made.context.clock)

    def test_check_names_what_is_gone(self):
        net = self.on.created(NET, {}, 'net')
        run_action(net, 'CHECK', net.context.clock)
        del self.on.network.resources['network'][net.resource_id]
        self.assertEqual('NotFound: resources.net: Network %s could not be '
                         'found.' % net.resource_id,
                         self.on.failure(net, 'CHECK'))

    def test_check_names_what_changed_and_the_update_starts_from_it(self):
        net = self.on.created(NET, {'name': 'a'}, 'net')
        self.on.network.update('network', net.resource_id, {
            'name': 'b', 'admin_state_up': False})
        self.assertEqual(
            "Error: resources.net: 'admin_state_up': expected 'True', got "
            "'False'\n'name': expected 'a', got 'b'",
            self.on.failure(net, 'CHECK'))
        self.assertEqual(['admin_state_up', 'name'],
                         net.context.data[live_state.DRIFTED])
        net.properties = live_state.as_observed(net)
        plan = self.on.updated(net, {'name': 'a'})
        self.assertEqual((IN_PLACE, {'name': 'a', 'admin_state_up': True}),
                         (plan.decision, plan.prop_diff))
        stored = self.on.network.resources['network'][net.resource_id]
        self.assertEqual(('a', True), (stored['name'],
                                       stored['admin_state_up']))
        run_action(net, 'CHECK', net.context.clock)
        self.assertNotIn(live_state.DRIFTED, net.context.data)

    def test_show_and_attributes_are_neutrons(self):
        net = self.on.created(NET, {'name': 'n'}, 'net')
        show = net.get_attribute('show')
        self.assertEqual(('n', net.resource_id), (show['name'], show['id']))
        self.assertEqual(1450, net.get_attribute('mtu'))
        self.assertEqual([], net.get_attribute('subnets'))

    def test_value_specs_may_not_set_declared_properties(self):
        exc = self.assertRaises(StackValidationFailed, validated, NET,
                                {'value_specs': {'shared': True}})
        self.assertEqual('shared not allowed in value_specs', str(exc))

    def test_unimplemented_heat_properties_are_refused_by_name(self):
        exc = self.assertRaises(StackValidationFailed, validated, NET,
                                {'qos_policy': 'gold'})
        self.assertIn('qos_policy of OS::Neutron::Net is not implemented',
                      str(exc))

    def test_without_credentials_the_resource_fails_saying_why(self):
        net = self.on.plugin(NET, {}, 'net')

        def no_cloud():
            raise errors.CloudUnavailable('stack st has no credentials')
        net.context.cloud_source = no_cloud
        self.assertEqual('CloudUnavailable: resources.net: stack st has no '
                         'credentials', self.on.failure(net, 'CREATE'))


class SubnetPortTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.net = self.on.created(NET, {'name': 'private'}, 'net')

    def subnet(self, **props):
        return self.on.created(SUBNET, dict({'network': 'private',
                                             'cidr': '10.0.0.0/24'}, **props),
                               'sub')

    def test_subnet_finds_its_network_by_name(self):
        sub = self.subnet()
        stored = self.on.network.resources['subnet'][sub.resource_id]
        self.assertEqual(self.net.resource_id, stored['network_id'])
        self.assertEqual('10.0.0.1', sub.get_attribute('gateway_ip'))

    def test_a_network_that_does_not_exist_fails_with_heats_message(self):
        sub = self.on.plugin(SUBNET, {'network': 'nope',
                                      'cidr': '10.0.0.0/24'}, 'sub')
        self.assertEqual(
            "StackValidationFailed: resources.sub: Property error: "
            "sub.properties.network: Error validating value 'nope': Unable "
            "to find network with name or id 'nope'",
            self.on.failure(sub, 'CREATE'))

    def test_two_networks_of_one_name_are_ambiguous(self):
        self.on.created(NET, {'name': 'private'}, 'twin')
        sub = self.on.plugin(SUBNET, {'network': 'private',
                                      'cidr': '10.0.0.0/24'}, 'sub')
        self.assertIn("Multiple network matches found for name 'private'",
                      self.on.failure(sub, 'CREATE'))

    def test_null_gateway_is_sent_as_null(self):
        sub = self.subnet(gateway_ip='')
        [call] = [c for c in self.on.network.calls
                  if c[:2] == ('create', 'subnet')]
        self.assertIsNone(call[2]['gateway_ip'])
        self.assertIsNotNone(sub.resource_id)

    def test_subnet_update_decisions(self):
        sub = self.subnet()
        self.assertEqual(IN_PLACE, self.on.updated(sub, {
            'network': 'private', 'cidr': '10.0.0.0/24',
            'dns_nameservers': ['8.8.8.8']}).decision)
        self.assertEqual(['8.8.8.8'], self.on.network.resources['subnet'][
            sub.resource_id]['dns_nameservers'])
        self.assertEqual(REPLACE, sub.plan_update(validated(SUBNET, {
            'network': 'private', 'cidr': '10.1.0.0/24'})).decision)

    def test_subnet_validation_is_heats(self):
        for props, message in [
                ({'network': 'n'}, 'At least one of the following '
                 'properties must be specified: subnetpool, cidr.'),
                ({'network': 'n', 'cidr': '10.0.0.0/24',
                  'ipv6_ra_mode': 'slaac'}, 'ipv6_ra_mode and '
                 'ipv6_address_mode are not supported for ipv4.'),
                ({'network': 'n', 'cidr': '10.0.0.0/24',
                  'gateway_ip': 'x'}, 'Gateway IP address "x" is in '
                 'invalid format.')]:
            exc = self.assertRaises(StackValidationFailed, validated, SUBNET,
                                    props, 'sub')
            self.assertEqual(message, str(exc))

    def test_network_id_is_the_hidden_name_of_network(self):
        self.assertEqual('n', validated(SUBNET, {
            'network_id': 'n', 'cidr': '10.0.0.0/24'})['network'])

    def test_port_on_a_subnet_by_name_with_a_fixed_ip(self):
        sub = self.subnet(name='s1')
        port = self.on.created(PORT, {
            'network': self.net.resource_id,
            'fixed_ips': [{'subnet': 's1', 'ip_address': '10.0.0.9'}]},
            'port')
        [call] = [c for c in self.on.network.calls
                  if c[:2] == ('create', 'port')]
        self.assertEqual([{'subnet_id': sub.resource_id,
                           'ip_address': '10.0.0.9'}], call[2]['fixed_ips'])
        self.assertNotIn('replacement_policy', call[2])
        self.assertEqual([{'subnet_id': sub.resource_id,
                           'ip_address': '10.0.0.9'}],
                         port.get_attribute('fixed_ips'))
        self.assertEqual(['10.0.0.0/24'], [
            s['cidr'] for s in port.get_attribute('subnets')])

    def test_port_name_changes_in_place_network_replaces(self):
        self.subnet()
        port = self.on.created(PORT, {'network': 'private', 'name': 'a'},
                               'port')
        self.assertEqual(IN_PLACE, self.on.updated(
            port, {'network': 'private', 'name': 'b'}).decision)
        self.assertEqual('b', self.on.network.resources['port'][
            port.resource_id]['name'])
        other = self.on.created(NET, {'name': 'other'}, 'other')
        self.assertEqual(REPLACE, port.plan_update(validated(PORT, {
            'network': other.resource_id, 'name': 'b'})).decision)

    def test_replace_always_replaces_on_any_change(self):
        self.subnet()
        port = self.on.created(PORT, {
            'network': 'private', 'replacement_policy': 'REPLACE_ALWAYS'},
            'port')
        self.assertEqual(REPLACE, port.plan_update(validated(PORT, {
            'network': 'private', 'replacement_policy': 'REPLACE_ALWAYS',
            'name': 'x'})).decision)

    def test_a_replaced_port_gives_its_fixed_ip_to_its_replacement(self):
        """Heat's prepare_for_replace and restore_prev_rsrc: a MAC change
        replaces the port at the same address, and a rollback gives the
        address back."""
        subnet = self.subnet()
        props = {'network': 'private', 'fixed_ips': [
            {'subnet': subnet.resource_id, 'ip_address': '10.0.0.11'}]}
        old = self.on.created(PORT, dict(props, mac_address='fa:16:3e:0:0:1'),
                              'port')
        new_props = dict(props, mac_address='fa:16:3e:0:0:2')
        self.assertEqual(REPLACE, old.plan_update(
            validated(PORT, new_props)).decision)
        self.assertIn('IP address 10.0.0.11 already allocated',
                      self.on.failure(self.on.plugin(PORT, new_props, 'p2'),
                                      'CREATE'))
        old.prepare_for_replace()
        ports = self.on.network.resources['port']
        self.assertEqual([], ports[old.resource_id]['fixed_ips'])
        new = self.on.created(PORT, new_props, 'port')
        self.assertEqual('10.0.0.11', ports[new.resource_id]['fixed_ips'][0][
            'ip_address'])
        old.restore_after_rollback(new.resource_id)
        self.assertEqual(([{'subnet_id': subnet.resource_id,
                            'ip_address': '10.0.0.11'}], []),
                         (ports[old.resource_id]['fixed_ips'],
                          ports[new.resource_id]['fixed_ips']))

    def test_a_network_in_use_cannot_be_deleted_but_its_port_can(self):
        self.subnet()
        port = self.on.created(PORT, {'network': 'private'}, 'port')
        self.assertIn('Conflict: resources.net: Unable to complete operation '
                      'on network', self.on.failure(self.net, 'DELETE'))
        run_action(port, 'DELETE', port.context.clock)
        self.assertEqual({}, self.on.network.resources['port'])
