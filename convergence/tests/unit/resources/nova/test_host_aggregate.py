"""OS::Nova::HostAggregate on the in-memory Nova."""

import testtools

from convergence.exceptions import ResourceFailure, StackValidationFailed
from convergence.resources.base import IN_PLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import validated

TYPE = 'OS::Nova::HostAggregate'


class HostAggregateTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.compute = self.on.cloud.compute

    def stored(self, res) -> dict:
        return self.compute.resources['aggregate'][res.resource_id]

    def test_create_sets_zone_metadata_and_hosts(self):
        res = self.on.created(TYPE, {
            'name': 'fast', 'availability_zone': 'az1',
            'metadata': {'ssd': 'true'}, 'hosts': ['compute-1']}, 'agg')
        stored = self.stored(res)
        self.assertEqual(('fast', 'az1', ['compute-1']), (
            stored['name'], stored['availability_zone'], stored['hosts']))
        self.assertEqual({'availability_zone': 'az1', 'ssd': 'true'},
                         stored['metadata'])

    def test_everything_changes_in_place(self):
        res = self.on.created(TYPE, {
            'name': 'fast', 'availability_zone': 'az1',
            'metadata': {'ssd': 'true', 'old': 'x'},
            'hosts': ['compute-1']}, 'agg')
        agg_id = res.resource_id
        res, plan = self.on.updated_as_engine(res, {
            'name': 'faster', 'availability_zone': 'az2',
            'metadata': {'ssd': 'false'}, 'hosts': ['compute-2']})
        self.assertEqual(IN_PLACE, plan.decision)
        stored = self.stored(res)
        self.assertEqual((agg_id, 'faster', 'az2', ['compute-2']), (
            res.resource_id, stored['name'], stored['availability_zone'],
            stored['hosts']))
        # The key the template dropped is gone; the zone's stays.
        self.assertEqual({'availability_zone': 'az2', 'ssd': 'false'},
                         stored['metadata'])
        # Nova never unsets a zone: the update fails with its words.
        error = self.assertRaises(ResourceFailure, self.on.updated_as_engine,
                                  res, {'name': 'faster',
                                        'metadata': {'ssd': 'false'},
                                        'hosts': ['compute-2']})
        self.assertIn('Aggregate faster does not support empty named '
                      'availability zone.', str(error))
        self.assertEqual('az2', self.stored(res)['availability_zone'])

    def test_a_delete_takes_the_hosts_out_first(self):
        res = self.on.created(TYPE, {
            'name': 'fast', 'hosts': ['compute-1', 'compute-2']}, 'agg')
        run_action(res, 'DELETE', res.context.clock)
        self.assertEqual({}, self.compute.resources['aggregate'])
        self.assertEqual(
            ['remove_host', 'remove_host', 'delete'],
            [c[0] for c in self.compute.calls if c[1] == 'aggregate'
             and c[0] in ('remove_host', 'delete')])

    def test_a_delete_of_a_gone_aggregate_succeeds(self):
        res = self.on.created(TYPE, {'name': 'fast'}, 'agg')
        del self.compute.resources['aggregate'][res.resource_id]
        self.assertIn('could not be found', self.on.failure(res, 'CHECK'))
        run_action(res, 'DELETE', res.context.clock)

    def test_a_host_nova_does_not_have_fails_with_novas_words(self):
        res = self.on.plugin(TYPE, {'name': 'fast', 'hosts': ['nohost']},
                             'agg')
        self.assertIn('Compute host nohost could not be found.',
                      self.on.failure(res, 'CREATE'))

    def test_name_is_required(self):
        error = self.assertRaises(StackValidationFailed, validated, TYPE,
                                  {'availability_zone': 'az1'})
        self.assertIn('Property name not assigned', str(error))
