"""The calls heat-api-cfn and heat-manage make of heat-engine:
describe_stack_resources, find_physical_resource, migrate_convergence_1.

Given an engine on an in-memory database (the scenario framework's).
"""

import testtools

from convergence import exceptions
from convergence.rpc.context import RequestContext
from convergence.tests.scenarios import framework

TEMPLATE = {'heat_template_version': '2015-10-15',
            'resources': {'a': {'type': 'OS::Heat::RandomString'},
                          'b': {'type': 'OS::Heat::None',
                                'depends_on': ['a']}}}
NESTED = {'heat_template_version': '2015-10-15',
          'resources': {'g': {'type': 'OS::Heat::ResourceGroup',
                              'properties': {'count': 1, 'resource_def': {
                                  'type': 'OS::Heat::None'}}}}}


class CfnQueriesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.service = self.scenario.engine_service
        self.ctxt = self.scenario.context

    def create(self, name: str, template: dict) -> dict:
        identity = self.service.create_stack(self.ctxt, name, template,
                                             {}, {}, {})
        self.scenario.run()
        return identity

    def test_describe_every_resource_or_one(self):
        identity = self.create('s', TEMPLATE)
        described = self.service.describe_stack_resources(self.ctxt,
                                                          identity, None)
        self.assertEqual(['a', 'b'], [r['resource_name'] for r in described])
        self.assertEqual(['b'], described[0]['required_by'])
        self.assertEqual('CREATE', described[0]['resource_action'])
        one = self.service.describe_stack_resources(self.ctxt, identity, 'b')
        self.assertEqual(['b'], [r['resource_name'] for r in one])
        self.assertEqual([], self.service.describe_stack_resources(
            self.ctxt, identity, 'nope'))

    def test_find_by_physical_id_gives_the_resource_identity(self):
        identity = self.create('s', TEMPLATE)
        physical = self.service.describe_stack_resource(
            self.ctxt, identity, 'a')['physical_resource_id']
        found = self.service.find_physical_resource(self.ctxt, physical)
        self.assertEqual(dict(identity, path='/resources/a'), found)

    def test_find_is_scoped_to_the_tenant(self):
        identity = self.create('s', TEMPLATE)
        physical = self.service.describe_stack_resource(
            self.ctxt, identity, 'a')['physical_resource_id']
        other = RequestContext(project_id='someone-else', is_admin=True)
        exc = self.assertRaises(exceptions.EntityNotFound,
                                self.service.find_physical_resource, other,
                                physical)
        self.assertEqual('The Resource (%s) could not be found.' % physical,
                         str(exc))

    def test_a_physical_id_in_two_stacks_is_ambiguous(self):
        first = self.create('s1', TEMPLATE)
        self.create('s2', TEMPLATE)
        rows = self.scenario.db.resources_of_stack(first['stack_id'])
        shared = rows[0]['physical_resource_id']
        second = self.service.identify_stack(self.ctxt, 's2')
        for row in self.scenario.db.resources_of_stack(second['stack_id']):
            self.scenario.db.resource_cas(
                row['id'], {'atomic_key': row['atomic_key']},
                {'physical_resource_id': shared})
        exc = self.assertRaises(exceptions.PhysicalResourceIDAmbiguity,
                                self.service.find_physical_resource,
                                self.ctxt, shared)
        self.assertEqual(400, exc.http_status)

    def test_migrate_convergence_1_has_nothing_to_do(self):
        identity = self.create('s', NESTED)
        self.assertIsNone(self.service.migrate_convergence_1(
            self.ctxt, identity['stack_id']))
        child = self.service.describe_stack_resource(
            self.ctxt, identity, 'g')['physical_resource_id']
        exc = self.assertRaises(exceptions.NotSupported,
                                self.service.migrate_convergence_1,
                                self.ctxt, child)
        self.assertIn('Migration of nested stack', str(exc))
        self.assertRaises(exceptions.EntityNotFound,
                          self.service.migrate_convergence_1, self.ctxt,
                          'no-such-stack')
