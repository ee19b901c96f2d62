"""OS::Neutron::ExtraRouteSet through the engine, on the in-memory cloud
(decision 35).

heat-tempest-plugin's template (net, subnet, router, interface and a set
of routes whose next hops are on the subnet: the set waits for the
interface without saying so); an update keeping one route, dropping one
and adding one never takes the kept one off the router; a set on a router
the stack does not own leaves the router's other routes alone, and one
naming a route already there fails as Heat's does.
"""

from convergence.tests.scenarios import framework
from convergence.tests.scenarios import member_cloud

NAME = framework.STACK_NAME
A = {'destination': '10.0.10.0/24', 'nexthop': '10.0.0.10'}
B = {'destination': '10.0.11.0/24', 'nexthop': '10.0.0.11'}
C = {'destination': '10.0.12.0/24', 'nexthop': '10.0.0.12'}
FOREIGN = {'destination': '10.0.99.0/24', 'nexthop': '10.0.0.99'}


def tempest_template(routes: list) -> dict:
    return {'heat_template_version': 'pike', 'resources': {
        'net0': {'type': 'OS::Neutron::Net'},
        'subnet0': {'type': 'OS::Neutron::Subnet', 'properties': {
            'network': {'get_resource': 'net0'}, 'cidr': '10.0.0.0/24'}},
        'router0': {'type': 'OS::Neutron::Router'},
        'routerinterface0': {'type': 'OS::Neutron::RouterInterface',
                             'properties': {
                                 'router': {'get_resource': 'router0'},
                                 'subnet': {'get_resource': 'subnet0'}}},
        'extrarouteset0': {'type': 'OS::Neutron::ExtraRouteSet',
                           'properties': {
                               'router': {'get_resource': 'router0'},
                               'routes': routes}}}}


def routes_only(router: str, routes: list) -> dict:
    return {'heat_template_version': '2018-08-31', 'resources': {
        'routes': {'type': 'OS::Neutron::ExtraRouteSet', 'properties': {
            'router': router, 'routes': routes}}}}


def keys(routes) -> set:
    return {(r['destination'], r['nexthop']) for r in routes}


class ExtraRouteSetScenarioTest(member_cloud.MemberCloudScenario):

    def delete(self) -> None:
        self.scenario.delete_stack(NAME)
        self.scenario.run()

    def state(self) -> tuple[str, str]:
        stack = self.stack()
        return '%s_%s' % (stack['action'], stack['status']), \
            stack['status_reason']

    def router_routes(self) -> set:
        [router] = self.network.resources['router'].values()
        return keys(router['routes'])

    def test_the_tempest_template_created_updated_and_deleted(self):
        self.create(tempest_template([A, B]))
        self.assertEqual('CREATE_COMPLETE', self.state()[0], self.state())
        self.assertEqual(keys([A, B]), self.router_routes())
        [router] = self.network.resources['router']
        self.assertEqual(router, self.scenario.rows('extrarouteset0')[-1][
            'physical_resource_id'])

        del self.network.calls[:]
        self.update(tempest_template([A, C]))
        self.assertEqual('UPDATE_COMPLETE', self.state()[0], self.state())
        self.assertEqual(keys([A, C]), self.router_routes())
        changes = [c for c in self.network.calls
                   if c[0].endswith('_extraroutes')]
        self.assertEqual([('remove_extraroutes', 'router', router, [B]),
                          ('add_extraroutes', 'router', router, [C])],
                         changes)

        self.update(tempest_template([]))
        self.assertEqual('UPDATE_COMPLETE', self.state()[0], self.state())
        self.assertEqual(set(), self.router_routes())
        self.update(tempest_template([B]))
        self.delete()
        self.assertEqual({kind: {} for kind in self.network.resources},
                         self.network.resources)

    def _outside_router(self) -> str:
        net = self.network.create('network', {'name': 'outside'})
        subnet = self.network.create('subnet', {'network_id': net['id'],
                                                'cidr': '10.0.0.0/24'})
        router = self.network.create('router', {'name': 'edge'})
        self.network.router_interface(router['id'], True,
                                      subnet_id=subnet['id'])
        self.network.extra_routes(router['id'], True, [FOREIGN])
        return router['id']

    def test_a_router_outside_the_stack_keeps_its_other_routes(self):
        router = self._outside_router()
        self.create(routes_only('edge', [A, B]))
        self.assertEqual('CREATE_COMPLETE', self.state()[0], self.state())
        self.assertEqual(router, self.scenario.rows('routes')[-1][
            'physical_resource_id'])
        self.assertEqual(keys([A, B, FOREIGN]), self.router_routes())
        self.update(routes_only('edge', [B, C]))
        self.assertEqual('UPDATE_COMPLETE', self.state()[0], self.state())
        self.assertEqual(keys([B, C, FOREIGN]), self.router_routes())
        self.delete()
        self.assertEqual(keys([FOREIGN]), self.router_routes())

    def test_a_route_already_on_the_router_fails_the_create(self):
        router = self._outside_router()
        self.create(routes_only(router, [A, FOREIGN]))
        state, reason = self.state()
        self.assertEqual('CREATE_FAILED', state)
        self.assertIn('PhysicalResourceExists: resources.routes: The '
                      'physical resource for (%s,10.0.99.0/24=10.0.0.99) '
                      'exists.' % router, reason)
        self.assertEqual(keys([FOREIGN]), self.router_routes())
        self.delete()
        self.assertEqual(keys([FOREIGN]), self.router_routes())
