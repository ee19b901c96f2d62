"""Which types a caller's catalog exposes (decision 32), through the engine
on the in-memory cloud: a type Heat has and we do not build is refused as
Heat refuses it where its service is absent (heat_integrationtests'
ServiceBasedExposureTest), by name as not implemented where it is present,
and is never listed."""

from convergence import exceptions
from convergence.clients import memory
from convergence.rpc import context as rpc_context
from convergence.tests.scenarios.framework import ScenarioTestCase

MANILA = {'heat_template_version': '2015-10-15', 'resources': {
    'not_available': {'type': 'OS::Manila::Share', 'properties': {
        'name': 'not_available', 'share_protocol': 'NFS', 'size': 1}}}}

MANILA_ABSENT = ('HEAT-E99001 Service manila is not available for resource '
                 'type OS::Manila::Share, reason: Service endpoint not in '
                 'service catalog.')


class TypeExposureTest(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.clouds = memory.InMemoryClouds(
            services=('identity', 'network', 'compute', 'volumev3'))
        self.scenario.rt.clouds = self.clouds
        self.user = rpc_context.RequestContext(
            project_id='test', user_id='alice', auth_token='token',
            roles=['member'])
        self.service = self.scenario.engine_service

    def create(self, template: dict, ctxt=None):
        return self.service.create_stack(ctxt or self.user, 's', template,
                                         {'parameters': {}}, {}, {})

    def assert_nothing_stored(self) -> None:
        self.assertIsNone(self.scenario.db.stack_get_by_name('test', 's'))

    def test_a_heat_type_whose_service_is_absent_is_unavailable(self):
        exc = self.assertRaises(exceptions.ResourceTypeUnavailable,
                                self.create, MANILA)
        self.assertEqual(MANILA_ABSENT, str(exc))
        self.assertEqual(400, exc.http_status)
        self.assert_nothing_stored()
        exc = self.assertRaises(exceptions.ResourceTypeUnavailable,
                                self.service.validate_template, self.user,
                                MANILA)
        self.assertEqual(MANILA_ABSENT, str(exc))
        exc = self.assertRaises(exceptions.ResourceTypeUnavailable,
                                self.service.resource_schema, self.user,
                                'OS::Manila::Share')
        self.assertEqual(MANILA_ABSENT, str(exc))

    def test_no_type_of_an_absent_service_is_listed(self):
        types = self.service.list_resource_types(self.user)
        self.assertFalse([t for t in types if 'Manila' in t or 'Swift' in t])
        self.assertIn('OS::Nova::Server', types)

    def test_a_heat_type_whose_service_is_present_is_not_implemented(self):
        self.clouds.cloud.services |= {'sharev2'}
        exc = self.assertRaises(exceptions.ResourceTypeNotImplemented,
                                self.create, MANILA)
        self.assertEqual('The Resource Type (OS::Manila::Share) is not '
                         'implemented by this engine.', str(exc))
        self.assert_nothing_stored()
        self.assertNotIn('OS::Manila::Share',
                         self.service.list_resource_types(self.user))
        self.assertRaises(exceptions.EntityNotFound,
                          self.service.resource_schema, self.user,
                          'OS::Manila::Share')

    def test_without_a_catalog_the_reason_is_noauth(self):
        noauth = rpc_context.RequestContext(project_id='test', is_admin=True)
        exc = self.assertRaises(exceptions.ResourceTypeUnavailable,
                                self.create, MANILA, noauth)
        self.assertIn('Service manila is not available for resource type '
                      'OS::Manila::Share, reason: there is no service '
                      'catalog', str(exc))

    def test_a_type_heat_does_not_have_is_not_found(self):
        template = {'heat_template_version': '2015-10-15', 'resources': {
            'x': {'type': 'OS::Nothing::Here'}}}
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                self.create, template)
        self.assertNotIsInstance(exc, exceptions.ResourceTypeNotImplemented)
        self.assertIn('The Resource Type (OS::Nothing::Here) could not be '
                      'found.', str(exc))

    def test_a_built_type_of_an_absent_service_is_unavailable(self):
        template = {'heat_template_version': '2015-10-15', 'resources': {
            'agg': {'type': 'OS::Nova::Flavor',
                    'properties': {'ram': 512, 'vcpus': 1}}}}
        self.clouds.cloud.services -= {'compute'}
        exc = self.assertRaises(exceptions.ResourceTypeUnavailable,
                                self.create, template)
        self.assertEqual('HEAT-E99001 Service nova is not available for '
                         'resource type OS::Nova::Flavor, reason: Service '
                         'endpoint not in service catalog.', str(exc))

    def test_a_nested_stacks_type_is_checked_with_the_callers_catalog(self):
        """As Heat's: each resource's service is checked as it is
        validated, at any depth; the error names where it is."""
        parent = {'heat_template_version': '2015-10-15', 'resources': {
            'inner': {'type': 'child.yaml'}}}
        files = {'child.yaml': MANILA}

        def create(ctxt):
            return self.service.create_stack(ctxt, 's', parent,
                                             {'parameters': {}}, files, {})
        exc = self.assertRaises(exceptions.StackValidationFailed, create,
                                self.user)
        self.assertEqual('ResourceTypeUnavailable: resources.inner'
                         '<child.yaml>: ' + MANILA_ABSENT, str(exc))
        self.assert_nothing_stored()
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                self.service.validate_template, self.user,
                                parent, files=files)
        self.assertIn(MANILA_ABSENT, str(exc))
        # The same tree, once its service is there: refused by name, not
        # let through by the memo of an earlier validation.
        self.clouds.cloud.services |= {'sharev2'}
        exc = self.assertRaises(exceptions.StackValidationFailed, create,
                                self.user)
        self.assertIn('The Resource Type (OS::Manila::Share) is not '
                      'implemented by this engine.', str(exc))
