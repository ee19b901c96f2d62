"""OS::Cinder::VolumeType on the in-memory Cinder."""

import testtools

from convergence.exceptions import StackValidationFailed
from convergence.resources.base import IN_PLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import validated

TYPE = 'OS::Cinder::VolumeType'


class VolumeTypeTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.volumes = self.on.cloud.block_storage

    def stored(self, res) -> dict:
        return self.volumes.resources['volume_type'][res.resource_id]

    def test_a_private_type_gets_its_specs_and_projects(self):
        res = self.on.created(TYPE, {
            'name': 'gold', 'description': 'fast', 'is_public': False,
            'metadata': {'volume_backend_name': 'lvm', 'thin': True},
            'projects': ['p1', 'p2']}, 'vt')
        stored = self.stored(res)
        self.assertEqual(('gold', 'fast', False, ['p1', 'p2']), (
            stored['name'], stored['description'], stored['is_public'],
            stored['access']))
        self.assertEqual({'volume_backend_name': 'lvm', 'thin': 'true'},
                         stored['extra_specs'])
        self.assertEqual('gold', res.get_attribute('show')['name'])

    def test_everything_changes_in_place(self):
        res = self.on.created(TYPE, {
            'name': 'gold', 'is_public': False, 'metadata': {'a': '1'},
            'projects': ['p1']}, 'vt')
        type_id = res.resource_id
        res, plan = self.on.updated_as_engine(res, {
            'name': 'silver', 'description': 'slower', 'is_public': False,
            'metadata': {'b': '2'}, 'projects': ['p2']})
        self.assertEqual(IN_PLACE, plan.decision)
        stored = self.stored(res)
        self.assertEqual((type_id, 'silver', 'slower', {'b': '2'}, ['p2']), (
            res.resource_id, stored['name'], stored['description'],
            stored['extra_specs'], stored['access']))
        res, _ = self.on.updated_as_engine(res, {'name': 'silver', 'is_public': True})
        self.assertTrue(self.stored(res)['is_public'])

    def test_projects_of_a_public_type_are_refused(self):
        error = self.assertRaises(StackValidationFailed, validated, TYPE,
                                  {'name': 'gold', 'projects': ['p1']})
        self.assertIn('Can not specify property "projects" if the volume '
                      'type is public.', str(error))

    def test_cinders_refusal_fails_the_create_with_its_words(self):
        from convergence.clients import errors
        self.volumes.fail('volume_type', 'create', errors.Forbidden(
            "Policy doesn't allow volume_extension:types_manage to be "
            "performed.", 403))
        res = self.on.plugin(TYPE, {'name': 'gold'}, 'vt')
        self.assertEqual("Forbidden: resources.vt: Policy doesn't allow "
                         "volume_extension:types_manage to be performed.",
                         self.on.failure(res, 'CREATE'))

    def test_a_delete_of_a_gone_type_succeeds_and_a_check_names_it(self):
        res = self.on.created(TYPE, {'name': 'gold'}, 'vt')
        del self.volumes.resources['volume_type'][res.resource_id]
        self.assertIn('Volume type %s could not be found.' % res.resource_id,
                      self.on.failure(res, 'CHECK'))
        run_action(res, 'DELETE', res.context.clock)
