"""OS::Neutron::Router, RouterInterface, SecurityGroup and
SecurityGroupRule on the in-memory cloud."""

import testtools

from convergence.exceptions import StackValidationFailed
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import validated

ROUTER, INTERFACE = 'OS::Neutron::Router', 'OS::Neutron::RouterInterface'
GROUP, RULE = 'OS::Neutron::SecurityGroup', 'OS::Neutron::SecurityGroupRule'


class RouterTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.public = self.on.created('OS::Neutron::Net', {'name': 'public'},
                                      'public')
        self.net = self.on.created('OS::Neutron::Net', {}, 'net')
        self.sub = self.on.created('OS::Neutron::Subnet', {
            'network': self.net.resource_id, 'cidr': '10.0.0.0/24'}, 'sub')

    def test_a_gateway_names_its_network_by_name(self):
        router = self.on.created(ROUTER, {'external_gateway_info': {
            'network': 'public', 'enable_snat': False}}, 'router')
        stored = self.on.network.resources['router'][router.resource_id]
        self.assertEqual({'network_id': self.public.resource_id,
                          'enable_snat': False},
                         stored['external_gateway_info'])
        plan = self.on.updated(router, {'name': 'r2'})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual({}, self.on.network.resources['router'][
            router.resource_id]['external_gateway_info'])

    def test_unimplemented_router_properties_are_refused_by_name(self):
        exc = self.assertRaises(StackValidationFailed, validated, ROUTER,
                                {'ha': True})
        self.assertIn('Property ha of OS::Neutron::Router is not implemented',
                      str(exc))

    def test_an_interface_attaches_a_subnet_and_detaches_once_gone(self):
        router = self.on.created(ROUTER, {}, 'router')
        face = self.on.created(INTERFACE, {'router': router.resource_id,
                                           'subnet': self.sub.resource_id},
                               'face')
        self.assertEqual('%s:subnet_id=%s' % (router.resource_id,
                                              self.sub.resource_id),
                         face.get_reference_id())
        [port] = self.on.network.resources['port'].values()
        self.assertEqual((router.resource_id, 'network:router_interface'),
                         (port['device_id'], port['device_owner']))
        run_action(face, 'CHECK', face.context.clock)
        self.assertIn('Conflict', self.on.failure(self.sub, 'DELETE'))
        run_action(face, 'DELETE', face.context.clock)
        self.assertEqual({}, self.on.network.resources['port'])
        run_action(face, 'DELETE', face.context.clock)
        self.assertIn('could not be found', self.on.failure(face, 'CHECK'))

    def test_an_interface_needs_exactly_one_of_subnet_and_port(self):
        for props in ({'router': 'r'}, {'router': 'r', 'subnet': 's',
                                        'port': 'p'}):
            self.assertRaises(StackValidationFailed, validated, INTERFACE,
                              props)
        self.assertEqual('r', validated(INTERFACE, {
            'router_id': 'r', 'subnet': 's'})['router'])
        face = self.on.plugin(INTERFACE, {'router': 'r', 'subnet': 's'})
        self.assertEqual(REPLACE, face.plan_update(validated(
            INTERFACE, {'router': 'r', 'subnet': 's2'})).decision)


class SecurityGroupTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()

    def rules_of(self, group) -> set:
        return {(r['direction'], r.get('protocol'), r.get('port_range_min'))
                for r in self.on.network.resources[
                    'security_group_rule'].values()
                if r['security_group_id'] == group.resource_id}

    def test_rules_are_made_with_the_group_and_reconciled_on_update(self):
        group = self.on.created(GROUP, {'rules': [
            {'protocol': 'tcp', 'port_range_min': 22,
             'port_range_max': 22}]}, 'sg')
        # Without an egress rule of its own, Neutron's default ones stay.
        self.assertEqual({('ingress', 'tcp', 22), ('egress', None, None)},
                         self.rules_of(group))
        plan = self.on.updated(group, {'rules': [
            {'protocol': 'tcp', 'port_range_min': 80, 'port_range_max': 80},
            {'direction': 'egress'}]})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual({('ingress', 'tcp', 80), ('egress', None, None)},
                         self.rules_of(group))
        self.assertEqual(2, len([r for r in self.on.network.resources[
            'security_group_rule'].values()]))
        run_action(group, 'DELETE', group.context.clock)
        self.assertEqual({}, self.on.network.resources['security_group'])
        self.assertEqual({}, self.on.network.resources[
            'security_group_rule'])

    def test_the_name_default_is_refused(self):
        exc = self.assertRaises(StackValidationFailed, validated, GROUP,
                                {'name': 'default'})
        self.assertEqual('Security groups cannot be assigned the name '
                         '"default".', str(exc))

    def test_a_rule_finds_its_group_by_name_and_is_replaced_on_change(self):
        group = self.on.created(GROUP, {'name': 'web'}, 'sg')
        rule = self.on.created(RULE, {'security_group': 'web',
                                      'port_range_min': 443,
                                      'port_range_max': 443}, 'rule')
        stored = self.on.network.resources['security_group_rule'][
            rule.resource_id]
        self.assertEqual((group.resource_id, 'tcp', 443), (
            stored['security_group_id'], stored['protocol'],
            stored['port_range_min']))
        self.assertEqual(REPLACE, rule.plan_update(validated(RULE, {
            'security_group': 'web', 'port_range_min': 80,
            'port_range_max': 80})).decision)
        exc = self.assertRaises(StackValidationFailed, validated, RULE, {
            'security_group': 'web', 'port_range_min': 90,
            'port_range_max': 80})
        self.assertIn('minimum port number must be less', str(exc))


class FloatingIPTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        public = self.on.created('OS::Neutron::Net', {'name': 'public'},
                                 'public')
        self.on.created('OS::Neutron::Subnet', {
            'network': public.resource_id, 'cidr': '172.24.4.0/24'}, 'psub')
        net = self.on.created('OS::Neutron::Net', {}, 'net')
        self.on.created('OS::Neutron::Subnet', {
            'network': net.resource_id, 'cidr': '10.0.0.0/24'}, 'sub')
        self.port = self.on.created('OS::Neutron::Port', {
            'network': net.resource_id}, 'port')

    def test_allocated_then_associated_in_place_and_dissociated(self):
        fip = self.on.created('OS::Neutron::FloatingIP', {
            'floating_network': 'public'}, 'fip')
        self.assertTrue(fip.get_attribute('floating_ip_address')
                        .startswith('172.24.4.'))
        self.assertIsNone(fip.get_attribute('port_id'))
        plan = self.on.updated(fip, {'floating_network': 'public',
                                     'port_id': self.port.resource_id})
        self.assertEqual(IN_PLACE, plan.decision)
        stored = self.on.network.resources['floatingip'][fip.resource_id]
        self.assertEqual((self.port.resource_id, '10.0.0.3'), (
            stored['port_id'], stored['fixed_ip_address']))
        self.on.updated(fip, {'floating_network': 'public'})
        self.assertIsNone(stored['port_id'])
        self.assertEqual(REPLACE, fip.plan_update(validated(
            'OS::Neutron::FloatingIP', {'floating_network': 'other'}))
            .decision)
        run_action(fip, 'DELETE', fip.context.clock)
        self.assertEqual({}, self.on.network.resources['floatingip'])

    def test_dns_properties_are_refused_by_name(self):
        exc = self.assertRaises(StackValidationFailed, validated,
                                'OS::Neutron::FloatingIP', {
                                    'floating_network': 'public',
                                    'dns_name': 'www'})
        self.assertIn('dns_name of OS::Neutron::FloatingIP is not '
                      'implemented', str(exc))
