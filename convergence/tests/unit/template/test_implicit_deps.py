"""Heat's implicit dependencies of network resources, in the stack's
dependency graph: ports and servers on a network wait for its subnets, a
router's gateway for its external network's subnets, a floating IP for
the router on its network and for the router interface of its port's
subnet."""

import testtools

from convergence.tests.unit.template.base import definition


def _deps(resources: dict) -> dict:
    return definition({'heat_template_version': '2018-08-31',
                       'resources': resources}).dependencies()


NET = {'type': 'OS::Neutron::Net'}
SUBNET = {'type': 'OS::Neutron::Subnet', 'properties': {
    'network': {'get_resource': 'net'}, 'cidr': '10.0.0.0/24'}}
OTHER_SUBNET = {'type': 'OS::Neutron::Subnet', 'properties': {
    'network': 'elsewhere', 'cidr': '10.1.0.0/24'}}


class ImplicitDependenciesTest(testtools.TestCase):

    def test_a_port_waits_for_every_subnet_of_its_network_only(self):
        deps = _deps({'net': NET, 'sub': SUBNET, 'other': OTHER_SUBNET,
                      'port': {'type': 'OS::Neutron::Port', 'properties': {
                          'network': {'get_resource': 'net'}}}})
        self.assertEqual({'net', 'sub'}, deps['port'])

    def test_a_server_waits_for_the_subnets_of_its_networks(self):
        deps = _deps({'net': NET, 'sub': SUBNET, 'other': OTHER_SUBNET,
                      'server': {'type': 'OS::Nova::Server', 'properties': {
                          'image': 'tiny', 'flavor': 'm1.tiny',
                          'networks': [{'network': {
                              'get_resource': 'net'}}]}}})
        self.assertEqual({'net', 'sub'}, deps['server'])

    def test_a_server_entry_naming_no_network_waits_for_every_subnet(self):
        deps = _deps({'net': NET, 'sub': SUBNET, 'other': OTHER_SUBNET,
                      'server': {'type': 'OS::Nova::Server', 'properties': {
                          'image': 'tiny', 'flavor': 'm1.tiny',
                          'networks': [{'port': 'some-port'}]}}})
        self.assertEqual({'sub', 'other'}, deps['server'])

    def test_a_server_without_networks_waits_for_nothing(self):
        deps = _deps({'net': NET, 'sub': SUBNET,
                      'server': {'type': 'OS::Nova::Server', 'properties': {
                          'image': 'tiny', 'flavor': 'm1.tiny'}}})
        self.assertEqual(set(), deps['server'])

    def test_a_router_and_floating_ip_wait_for_the_external_network(self):
        deps = _deps({
            'pub': NET,
            'pubsub': {'type': 'OS::Neutron::Subnet', 'properties': {
                'network': {'get_resource': 'pub'}, 'cidr': '1.0.0.0/24'}},
            'net': {'type': 'OS::Neutron::Net'},
            'sub': SUBNET,
            'router': {'type': 'OS::Neutron::Router', 'properties': {
                'external_gateway_info': {
                    'network': {'get_resource': 'pub'}}}},
            'iface': {'type': 'OS::Neutron::RouterInterface', 'properties': {
                'router': {'get_resource': 'router'},
                'subnet': {'get_resource': 'sub'}}},
            'port': {'type': 'OS::Neutron::Port', 'properties': {
                'network': {'get_resource': 'net'},
                'fixed_ips': [{'subnet': {'get_resource': 'sub'}}]}},
            'fip': {'type': 'OS::Neutron::FloatingIP', 'properties': {
                'floating_network': {'get_resource': 'pub'},
                'port_id': {'get_resource': 'port'}}}})
        self.assertEqual({'pub', 'pubsub'}, deps['router'])
        self.assertEqual({'pub', 'port', 'router', 'iface'}, deps['fip'])

    def test_extra_routes_wait_for_the_interfaces_of_their_router(self):
        deps = _deps({
            'net': NET, 'sub': SUBNET,
            'router': {'type': 'OS::Neutron::Router'},
            'other': {'type': 'OS::Neutron::Router'},
            'iface': {'type': 'OS::Neutron::RouterInterface', 'properties': {
                'router': {'get_resource': 'router'},
                'subnet': {'get_resource': 'sub'}}},
            'elsewhere': {'type': 'OS::Neutron::RouterInterface',
                          'properties': {
                              'router_id': {'get_resource': 'other'},
                              'subnet': {'get_resource': 'sub'}}},
            'routes': {'type': 'OS::Neutron::ExtraRouteSet', 'properties': {
                'router': {'get_resource': 'router'},
                'routes': [{'destination': '10.9.0.0/24',
                            'nexthop': '10.0.0.9'}]}}})
        self.assertEqual({'router', 'iface'}, deps['routes'])
