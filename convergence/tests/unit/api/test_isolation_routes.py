"""The tenant isolation walk (functional_tests/cloud/isolation.py) covers
every route of the router: a route added to api/app.py without a plan
fails here, before the cloud test would silently leave it out."""

from unittest import mock

import testtools

from convergence.api import app
from functional_tests.cloud import isolation

VICTIM = isolation.Victim(
    tenant_id='project-a', stack_name='s', stack_id='sid', nested_name='n',
    nested_id='nid', resource_name='handle', nested_resource_name='value',
    event_id='ev', nested_event_id='nev', output_key='word',
    snapshot_id='snap', config_id='cfg', deployment_id='dep',
    server_id='srv')


class RouteCoverageTest(testtools.TestCase):

    def test_every_route_has_a_plan(self):
        isolation.check_coverage()
        self.assertEqual({(r[2], r[3]) for r in app.ROUTES},
                         set(isolation.ROUTE_PLANS))

    def test_every_route_is_probed_in_the_victim_s_project_for_403(self):
        probed = {(p.method, p.route) for p in isolation.probes(
            VICTIM, 'project-b') if p.where == 'victim' and p.expect == 403}
        self.assertEqual({(m, (c, a)) for m, _, c, a in isolation.routes()},
                         probed)

    def test_every_route_naming_the_victim_s_things_is_probed_for_404(self):
        own = {p.route for p in isolation.probes(VICTIM, 'project-b')
               if p.where == 'own'}
        naming = {(c, a) for (c, a), (kind, _) in
                  isolation.ROUTE_PLANS.items()
                  if kind in (isolation.STACK, isolation.ID)}
        self.assertEqual(set(), naming - own)
        for probe in isolation.probes(VICTIM, 'project-b'):
            if probe.where == 'own':
                self.assertTrue(probe.path.startswith('/v1/project-b/'),
                                probe)

    def test_a_route_without_a_plan_is_named(self):
        extra = ('GET', app.T + '/stacks/{stack_name}/{stack_id}/secrets',
                 'stacks', 'secrets', False)
        with mock.patch.object(app, 'ROUTES', app.ROUTES + [extra]):
            err = self.assertRaises(isolation.UncoveredRoute,
                                    isolation.check_coverage)
        self.assertIn('stacks:secrets', str(err))

    def test_a_placeholder_the_walk_cannot_fill_is_named(self):
        extra = ('GET', app.T + '/stacks/{stack_name}/{stack_id}/x/{thing}',
                 'stacks', 'show', False)
        with mock.patch.object(app, 'ROUTES', app.ROUTES + [extra]):
            err = self.assertRaises(isolation.UncoveredRoute,
                                    isolation.check_coverage)
        self.assertIn("['thing']", str(err))

    def test_the_outsider_s_own_stack_is_probed_with_the_victim_s_ids(self):
        probes = isolation.cross_probes(VICTIM, 'project-b', 'mine', 'mid')
        self.assertEqual(
            {('GET', '/v1/project-b/stacks/mine/mid/snapshots/snap'),
             ('DELETE', '/v1/project-b/stacks/mine/mid/snapshots/snap'),
             ('POST', '/v1/project-b/stacks/mine/mid/snapshots/snap/restore'),
             ('GET', '/v1/project-b/stacks/mine/mid/resources/handle/events/'
                     'ev')},
            {(p.method, p.path) for p in probes})
        self.assertEqual({404}, {p.expect for p in probes})

    def test_listings_are_also_tried_with_the_victim_s_ids_as_filters(self):
        queried = {(p.path, p.expect) for p in isolation.probes(
            VICTIM, 'project-b') if '?' in p.path}
        self.assertIn(('/v1/project-b/stacks?tenant=project-a', 200), queried)
        self.assertIn(('/v1/project-b/stacks?global_tenant=true', 403),
                      queried)
        self.assertIn(('/v1/project-b/software_deployments?server_id=srv',
                       200), queried)
