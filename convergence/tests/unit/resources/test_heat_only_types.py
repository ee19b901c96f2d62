"""The table of Heat's types we do not build (heat_only_types)."""

import testtools

from convergence import exceptions
from convergence import resources
from convergence.resources import heat_only_types


class HeatOnlyTypesTest(testtools.TestCase):

    def test_none_of_them_is_built(self):
        # Building one means taking it out of the table.
        self.assertEqual(set(), set(heat_only_types.TYPES) &
                         set(resources.type_names()))

    def test_a_type_names_its_service_and_heats_client(self):
        share = heat_only_types.of('OS::Manila::Share')
        self.assertEqual(('sharev2', 'manila'),
                         (share.service_type, share.default_client_name))
        self.assertEqual('object-store', heat_only_types.of(
            'OS::Swift::Container').service_type)
        self.assertIsNone(heat_only_types.of('OS::Nothing::Here'))
        self.assertIsNone(heat_only_types.of(None))

    def test_a_retired_projects_type_is_not_known(self):
        self.assertIsNone(heat_only_types.of('OS::Sahara::Cluster'))

    def test_the_registry_refuses_one_by_name(self):
        exc = self.assertRaises(exceptions.ResourceTypeNotImplemented,
                                resources.get_class, 'OS::Zaqar::Queue')
        self.assertIsInstance(exc, exceptions.ResourceTypeNotFound)
        self.assertEqual('The Resource Type (OS::Zaqar::Queue) is not '
                         'implemented by this engine.', str(exc))
        exc = self.assertRaises(exceptions.ResourceTypeNotFound,
                                resources.get_class, 'OS::Nothing::Here')
        self.assertNotIsInstance(exc, exceptions.ResourceTypeNotImplemented)
