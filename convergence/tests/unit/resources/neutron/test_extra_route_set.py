"""OS::Neutron::ExtraRouteSet on the in-memory cloud (decision 35)."""

import testtools

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import live_state
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.neutron import extra_route_set
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import validated

ROUTE_SET = 'OS::Neutron::ExtraRouteSet'
A = {'destination': '10.0.10.0/24', 'nexthop': '10.0.0.10'}
B = {'destination': '10.0.11.0/24', 'nexthop': '10.0.0.11'}
C = {'destination': '10.0.12.0/24', 'nexthop': '10.0.0.12'}
FOREIGN = {'destination': '10.0.99.0/24', 'nexthop': '10.0.0.99'}


class ExtraRouteSetTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        net = self.on.created('OS::Neutron::Net', {}, 'net')
        self.sub = self.on.created('OS::Neutron::Subnet', {
            'network': net.resource_id, 'cidr': '10.0.0.0/24'}, 'sub')
        self.router = self.on.created('OS::Neutron::Router',
                                      {'name': 'edge'}, 'router')
        self.face = self.on.created('OS::Neutron::RouterInterface', {
            'router': self.router.resource_id,
            'subnet': self.sub.resource_id}, 'face')

    def routes(self) -> set:
        router = self.on.network.resources['router'][self.router.resource_id]
        return {(r['destination'], r['nexthop']) for r in router['routes']}

    def route_set(self, routes, router=None):
        return self.on.created(ROUTE_SET, {
            'router': router or self.router.resource_id, 'routes': routes},
            'routes')

    def extraroute_calls(self) -> list:
        return [c for c in self.on.network.calls
                if c[0] in ('add_extraroutes', 'remove_extraroutes')]

    def test_create_adds_the_routes_and_is_named_by_its_router(self):
        res = self.route_set([A, B], router='edge')
        self.assertEqual({('10.0.10.0/24', '10.0.0.10'),
                          ('10.0.11.0/24', '10.0.0.11')}, self.routes())
        self.assertEqual(self.router.resource_id, res.get_reference_id())
        self.assertEqual(1, len(self.extraroute_calls()))
        self.assertIsNone(res.get_attribute('show'))

    def test_a_route_already_on_the_router_is_refused_by_heats_name(self):
        self.on.network.extra_routes(self.router.resource_id, True,
                                     [FOREIGN])
        res = self.on.plugin(ROUTE_SET, {
            'router': self.router.resource_id, 'routes': [A, FOREIGN]},
            'routes')
        failure = self.on.failure(res, 'CREATE')
        self.assertIn('PhysicalResourceExists: resources.routes: The '
                      'physical resource for (%s,10.0.99.0/24=10.0.0.99) '
                      'exists.' % self.router.resource_id, failure)
        self.assertEqual({('10.0.99.0/24', '10.0.0.99')}, self.routes())
        # Nothing of it reached the router: its delete removes nothing.
        self.assertIsNone(res.resource_id)
        run_action(res, 'DELETE', res.context.clock)
        self.assertEqual({('10.0.99.0/24', '10.0.0.99')}, self.routes())

    def test_update_removes_then_adds_only_what_changed(self):
        res = self.route_set([A, B])
        del self.on.network.calls[:]
        plan = self.on.updated(res, {'router': self.router.resource_id,
                                     'routes': [A, C]})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual([
            ('remove_extraroutes', 'router', self.router.resource_id, [B]),
            ('add_extraroutes', 'router', self.router.resource_id, [C])],
            self.extraroute_calls())
        self.assertEqual({('10.0.10.0/24', '10.0.0.10'),
                          ('10.0.12.0/24', '10.0.0.12')}, self.routes())

    def test_an_update_adding_a_foreign_route_changes_nothing(self):
        res = self.route_set([A])
        self.on.network.extra_routes(self.router.resource_id, True,
                                     [FOREIGN])
        new = validated(ROUTE_SET, {'router': self.router.resource_id,
                                    'routes': [FOREIGN]}, 'routes')
        res.previous_properties, res.properties = res.properties, new
        exc = self.assertRaises(Exception, run_action, res, 'UPDATE',
                                res.context.clock, new_properties=new,
                                prop_diff={'routes': [FOREIGN]})
        self.assertIn('PhysicalResourceExists', str(exc))
        self.assertEqual({('10.0.10.0/24', '10.0.0.10'),
                          ('10.0.99.0/24', '10.0.0.99')}, self.routes())
        # The failed row holds the refused properties: the next update
        # dropping the foreign route still leaves it, not being ours.
        again = validated(ROUTE_SET, {'router': self.router.resource_id,
                                      'routes': [B]}, 'routes')
        res.previous_properties, res.properties = res.properties, again
        run_action(res, 'UPDATE', res.context.clock, new_properties=again,
                   prop_diff={'routes': [B]})
        self.assertEqual({('10.0.11.0/24', '10.0.0.11'),
                          ('10.0.99.0/24', '10.0.0.99')}, self.routes())

    def test_delete_removes_only_ours_and_succeeds_once_gone(self):
        res = self.route_set([A, B])
        self.on.network.extra_routes(self.router.resource_id, True,
                                     [FOREIGN])
        self.on.network.extra_routes(self.router.resource_id, False, [B])
        run_action(res, 'DELETE', res.context.clock)
        self.assertEqual({('10.0.99.0/24', '10.0.0.99')}, self.routes())
        del self.on.network.resources['router'][self.router.resource_id]
        run_action(res, 'DELETE', res.context.clock)

    def test_the_interface_of_a_routes_nexthop_stays_until_it_goes(self):
        res = self.route_set([A])
        self.assertIn('Conflict', self.on.failure(self.face, 'DELETE'))
        run_action(res, 'DELETE', res.context.clock)
        run_action(self.face, 'DELETE', self.face.context.clock)

    def test_a_nexthop_off_the_routers_subnets_is_neutrons_400(self):
        res = self.on.plugin(ROUTE_SET, {
            'router': self.router.resource_id,
            'routes': [{'destination': '10.5.0.0/24',
                        'nexthop': '192.168.0.1'}]}, 'routes')
        self.assertIn('the nexthop is not connected with router',
                      self.on.failure(res, 'CREATE'))

    def test_a_check_compares_our_routes_and_the_update_puts_them_back(self):
        res = self.route_set([A, B])
        self.on.network.extra_routes(self.router.resource_id, True,
                                     [FOREIGN])
        run_action(res, 'CHECK', res.context.clock)
        self.on.network.extra_routes(self.router.resource_id, False, [A])
        failure = self.on.failure(res, 'CHECK')
        self.assertIn("'routes': expected", failure)
        # The next update starts from what the router holds (as the
        # engine plans it after a check that found drift).
        res.properties = live_state.as_observed(res)
        acting, plan = self.on.updated_as_engine(res, {
            'router': self.router.resource_id, 'routes': [A, B]})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual({('10.0.10.0/24', '10.0.0.10'),
                          ('10.0.11.0/24', '10.0.0.11'),
                          ('10.0.99.0/24', '10.0.0.99')}, self.routes())
        run_action(acting, 'CHECK', acting.context.clock)
        del self.on.network.resources['router'][self.router.resource_id]
        self.assertIn('could not be found', self.on.failure(acting, 'CHECK'))

    def test_another_router_replaces_it(self):
        res = self.on.plugin(ROUTE_SET, {'router': 'r1', 'routes': [A]})
        self.assertEqual(REPLACE, res.plan_update(validated(ROUTE_SET, {
            'router': 'r2', 'routes': [A]})).decision)

    def test_routes_need_a_cidr_and_an_address(self):
        for route, words in (
                ({'destination': '10.0.10.0', 'nexthop': '10.0.0.1'},
                 "'10.0.10.0' is not a valid IP subnet"),
                ({'destination': 'ten/24', 'nexthop': '10.0.0.1'},
                 "'ten/24' is not a valid IP subnet"),
                ({'destination': '10.0.10.0/24', 'nexthop': 'nowhere'},
                 '"nowhere" does not validate ip_addr'),
                ({'destination': '10.0.10.0/24'},
                 'Property nexthop not assigned')):
            exc = self.assertRaises(StackValidationFailed, validated,
                                    ROUTE_SET, {'router': 'r',
                                                'routes': [route]})
            self.assertIn(words, str(exc))
        self.assertEqual([], validated(ROUTE_SET, {'router': 'r'})['routes'])
        validated(ROUTE_SET, {'router': 'r', 'routes': [
            {'destination': '2001:db8::/64', 'nexthop': '2001:db8::1'}]})


class NamingTest(testtools.TestCase):

    def test_heats_name_of_a_route_already_there(self):
        self.assertEqual('r,10.0.10.0/24=10.0.0.10',
                         extra_route_set.already_there('r', [A, B], [C, A]))
        self.assertIsNone(extra_route_set.already_there('r', [A], [B]))

    def test_keys_drop_duplicates_in_order(self):
        self.assertEqual([('10.0.11.0/24', '10.0.0.11'),
                          ('10.0.10.0/24', '10.0.0.10')],
                         extra_route_set.route_keys([B, A, dict(B)]))

    def test_a_router_gone_answers_none_on_remove(self):
        from convergence.clients import memory
        network = memory.InMemoryNetwork()
        self.assertIsNone(network.extra_routes('gone', False, [A]))
        self.assertRaises(errors.NotFound, network.extra_routes, 'gone',
                          True, [A])
