"""The exposure rule of type_availability: a catalog's services decide."""

import testtools

from convergence import resources
from convergence.engine import type_availability as ta

ABSENT = 'Service endpoint not in service catalog.'


class ExposureRuleTest(testtools.TestCase):

    def test_a_built_type_needs_its_service(self):
        cls = resources.get_class('OS::Nova::Server')
        self.assertIsNone(ta.unavailable(cls, 'OS::Nova::Server', ta.Catalog(
            frozenset({'compute'}))))
        error = ta.unavailable(cls, 'OS::Nova::Server',
                               ta.Catalog(frozenset({'network'})))
        self.assertEqual('HEAT-E99001 Service nova is not available for '
                         'resource type OS::Nova::Server, reason: ' + ABSENT,
                         str(error))

    def test_a_type_without_a_service_is_always_available(self):
        self.assertTrue(ta.is_available('OS::Heat::RandomString',
                                        ta.Catalog(None)))

    def test_no_catalog_refuses_every_cloud_type_with_the_reason(self):
        error = ta.unavailable_unbuilt('OS::Swift::Container',
                                       ta.Catalog(None))
        self.assertEqual('HEAT-E99001 Service swift is not available for '
                         'resource type OS::Swift::Container, reason: '
                         + ta.NO_CATALOG, str(error))
        self.assertFalse(ta.is_available('OS::Neutron::Net',
                                         ta.Catalog(None)))

    def test_an_unbuilt_type_is_unavailable_only_without_its_service(self):
        self.assertIsNone(ta.unavailable_unbuilt(
            'OS::Manila::Share', ta.Catalog(frozenset({'sharev2'}))))
        error = ta.unavailable_unbuilt('OS::Manila::Share',
                                       ta.Catalog(frozenset({'compute'})))
        self.assertEqual('HEAT-E99001 Service manila is not available for '
                         'resource type OS::Manila::Share, reason: ' + ABSENT,
                         str(error))

    def test_a_type_heat_lacks_is_left_to_validation(self):
        self.assertIsNone(ta.unavailable_unbuilt('OS::Nothing::Here',
                                                 ta.Catalog(frozenset())))
