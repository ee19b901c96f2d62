"""In noauth mode there is no service catalog, so no cloud resource type:
the type list leaves them out and a template using one is refused with
Heat's ResourceTypeUnavailable, saying why."""

from functional_tests import base


class NoauthCloudTypesTest(base.FunctionalTestCase):

    def test_the_type_list_hides_the_cloud_types(self):
        response = self.http('GET', '/resource_types')
        self.assertEqual(200, response.status_code, response.text)
        listed = set(response.json()['resource_types'])
        self.assertIn('OS::Heat::RandomString', listed)
        self.assertEqual(set(), {t for t in listed
                                 if t.startswith('OS::Neutron::')})

    def test_a_template_with_a_cloud_type_is_refused_and_stores_nothing(self):
        name = self.stack_name()
        response = self.http('POST', '/stacks', json={
            'stack_name': name, 'parameters': {}, 'template': {
                'heat_template_version': '2018-08-31',
                'resources': {'net': {'type': 'OS::Neutron::Net'}}}})
        self.assertHeatError(
            response, 400, 'ResourceTypeUnavailable',
            'HEAT-E99001 Service neutron is not available for resource type '
            'OS::Neutron::Net, reason: there is no service catalog: the '
            'request carries no Keystone token (noauth mode).')
        self.assertEqual(404, self.http('GET', '/stacks/%s' % name)
                         .status_code)

    def test_the_type_itself_is_unavailable(self):
        response = self.http('GET', '/resource_types/OS::Neutron::Port')
        self.assertHeatError(response, 400, 'ResourceTypeUnavailable',
                             'OS::Neutron::Port')
