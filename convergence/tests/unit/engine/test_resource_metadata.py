"""A resource's metadata as describe_stack_resource (and so ``openstack
stack resource metadata``) shows it: the template's, resolved as Heat
resolves it, references to other resources included.

Given an engine on an in-memory database (the scenario framework's).
"""

import testtools

from convergence.tests.scenarios import framework

TEMPLATE = {
    'heat_template_version': '2015-10-15',
    'resources': {
        'secret': {'type': 'OS::Heat::RandomString',
                   'properties': {'length': 12}},
        'plain': {'type': 'OS::Heat::None',
                  'metadata': {'role': 'web', 'ports': [80, 443]}},
        'referring': {'type': 'OS::Heat::None',
                      'metadata': {'password': {'get_attr': ['secret',
                                                             'value']},
                                   'of': {'get_resource': 'plain'}}},
        'bare': {'type': 'OS::Heat::None'}}}


class ResourceMetadataTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.service = self.scenario.engine_service
        self.ctxt = self.scenario.context
        self.identity = self.service.create_stack(
            self.ctxt, 's', TEMPLATE, {}, {}, {})
        self.scenario.run()

    def metadata(self, name: str):
        return self.service.describe_stack_resource(
            self.ctxt, self.identity, name)['metadata']

    def test_static_metadata_is_shown_as_written(self):
        self.assertEqual({'role': 'web', 'ports': [80, 443]},
                         self.metadata('plain'))

    def test_references_resolve_to_what_the_rows_stored(self):
        secret = self.service.describe_stack_resource(
            self.ctxt, self.identity, 'secret', with_attr=['value'])
        value = secret['attributes']['value']
        self.assertEqual(12, len(value))
        plain = self.service.describe_stack_resource(
            self.ctxt, self.identity, 'plain')['physical_resource_id']
        self.assertEqual({'password': value, 'of': plain},
                         self.metadata('referring'))

    def test_a_resource_without_metadata_has_an_empty_map(self):
        self.assertEqual({}, self.metadata('bare'))

    def test_every_resource_described_carries_its_metadata(self):
        described = {r['resource_name']: r['metadata'] for r in
                     self.service.describe_stack_resources(
                         self.ctxt, self.identity, None)}
        self.assertEqual({'role': 'web', 'ports': [80, 443]},
                         described['plain'])
        self.assertEqual({'password', 'of'}, set(described['referring']))
