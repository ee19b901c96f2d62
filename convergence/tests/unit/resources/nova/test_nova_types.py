"""OS::Nova::KeyPair, Flavor and ServerGroup, OS::Cinder::Volume and
VolumeAttachment on the in-memory cloud."""

import testtools

from convergence.exceptions import StackValidationFailed
from convergence.resources import polling
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.nova.seeded import seeded_cloud
from convergence.tests.unit.resources.utils import SHORT_ID, validated

KEYPAIR, FLAVOR, GROUP = ('OS::Nova::KeyPair', 'OS::Nova::Flavor',
                          'OS::Nova::ServerGroup')
VOLUME, ATTACHMENT = 'OS::Cinder::Volume', 'OS::Cinder::VolumeAttachment'


class KeyPairTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.compute = self.on.cloud.compute

    def test_a_generated_private_key_is_kept_only_when_asked(self):
        kept = self.on.created(KEYPAIR, {'name': 'k1',
                                         'save_private_key': True}, 'k1')
        self.assertEqual('k1', kept.get_reference_id())
        self.assertTrue(kept.get_attribute('private_key').startswith(
            '-----BEGIN'))
        plain = self.on.created(KEYPAIR, {'name': 'k2'}, 'k2')
        self.assertEqual('', plain.get_attribute('private_key'))
        self.assertIn('ssh-rsa', plain.get_attribute('public_key'))

    def test_a_given_public_key_is_sent_and_changes_replace(self):
        pair = self.on.created(KEYPAIR, {'name': 'k', 'public_key':
                                         'ssh-rsa AAAB me'}, 'k')
        self.assertEqual('ssh-rsa AAAB me', pair.get_attribute('public_key'))
        self.assertEqual(REPLACE, pair.plan_update(validated(
            KEYPAIR, {'name': 'k2'})).decision)

    def test_delete_of_a_gone_keypair_succeeds_and_check_names_it(self):
        pair = self.on.created(KEYPAIR, {'name': 'k'}, 'k')
        del self.compute.resources['keypair']['k']
        self.assertEqual('NotFound: resources.k: Keypair k could not be '
                         'found.', self.on.failure(pair, 'CHECK'))
        run_action(pair, 'DELETE', pair.context.clock)

    def test_user_is_refused_by_name(self):
        error = self.assertRaises(StackValidationFailed, validated, KEYPAIR,
                                  {'name': 'k', 'user': 'bob'})
        self.assertIn('Property user of OS::Nova::KeyPair is not '
                      'implemented here', str(error))


class FlavorAndGroupTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.compute = self.on.cloud.compute

    def test_a_private_flavor_gives_access_and_changes_specs_in_place(self):
        flavor = self.on.created(FLAVOR, {
            'ram': 256, 'vcpus': 1, 'is_public': False,
            'tenants': ['p1'], 'extra_specs': {'a': 'b'}}, 'fl')
        stored = self.compute.resources['flavor'][flavor.resource_id]
        self.assertEqual(('st-fl-%s' % SHORT_ID, ['p1'], {'a': 'b'}),
                         (stored['name'], stored['tenants'],
                          stored['extra_specs']))
        # As the engine runs it: a plugin of the new properties acts.
        _, plan = self.on.updated_as_engine(flavor, {
            'ram': 256, 'vcpus': 1, 'is_public': False,
            'tenants': ['p2'], 'extra_specs': {'c': 'd'}})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual((['p2'], {'c': 'd'}),
                         (stored['tenants'], stored['extra_specs']))
        self.assertEqual(REPLACE, flavor.plan_update(validated(FLAVOR, {
            'ram': 512, 'vcpus': 1, 'is_public': False})).decision)

    def test_a_server_group_sends_novas_single_policy(self):
        group = self.on.created(GROUP, {'policies': ['affinity']}, 'g')
        self.assertEqual({'name': 'st-g-%s' % SHORT_ID, 'policy':
                          'affinity', 'members': [], 'id': group.resource_id},
                         self.compute.resources['server_group'][
                             group.resource_id])
        error = self.assertRaises(StackValidationFailed, validated, GROUP,
                                  {'policies': ['affinity',
                                                'anti-affinity']}, 'g')
        self.assertIn('Only one policy is allowed', str(error))


class VolumeTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.volumes = self.on.cloud.block_storage

    def test_create_waits_for_available_with_the_image_by_id(self):
        volume = self.on.created(VOLUME, {'size': 1, 'image': 'tiny',
                                          'metadata': {'n': 1}}, 'vol')
        stored = self.volumes.resources['volume'][volume.resource_id]
        self.assertEqual(('available', self.on.image_id, {'n': '1'}),
                         (stored['status'], stored['imageRef'],
                          stored['metadata']))
        self.assertEqual([polling.FIRST], volume.context.clock.waits)
        self.assertEqual('1', volume.get_attribute('size'))
        self.assertEqual('st-vol-%s' % SHORT_ID,
                         volume.get_attribute('display_name'))

    def test_error_fails_the_create(self):
        self.volumes.fail_build()
        volume = self.on.plugin(VOLUME, {'size': 1}, 'vol')
        self.assertEqual('ResourceInError: resources.vol: Went to status '
                         'error due to "Unknown"',
                         self.on.failure(volume, 'CREATE'))

    def test_growth_extends_in_place_and_shrinking_is_refused(self):
        volume = self.on.created(VOLUME, {'size': 1, 'name': 'a'}, 'vol')
        plan = self.on.updated(volume, {'size': 2, 'name': 'b'})
        self.assertEqual(IN_PLACE, plan.decision)
        stored = self.volumes.resources['volume'][volume.resource_id]
        self.assertEqual((2, 'b', 'available'), (stored['size'],
                                                 stored['name'],
                                                 stored['status']))
        new = validated(VOLUME, {'size': 1, 'name': 'b'})
        error = self.assertRaises(Exception, run_action, volume, 'UPDATE',
                                  volume.context.clock, new_properties=new)
        self.assertEqual('NotSupported: resources.vol: Shrinking volume is '
                         'not supported.', str(error))

    def test_not_implemented_properties_are_refused_by_name(self):
        error = self.assertRaises(StackValidationFailed, validated, VOLUME,
                                  {'size': 1, 'backup_id': 'b'})
        self.assertIn('Property backup_id of OS::Cinder::Volume is not '
                      'implemented here', str(error))

    def test_delete_waits_until_gone_and_a_gone_volume_succeeds(self):
        volume = self.on.created(VOLUME, {'size': 1}, 'vol')
        run_action(volume, 'DELETE', volume.context.clock)
        self.assertEqual({}, self.volumes.resources['volume'])
        run_action(volume, 'DELETE', volume.context.clock)


class VolumeAttachmentTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.volumes = self.on.cloud.block_storage
        self.server = self.on.created('OS::Nova::Server', {
            'flavor': '1', 'image': 'tiny'}, 'server')
        self.volume = self.on.created(VOLUME, {'size': 1}, 'vol')

    def _stored(self) -> dict:
        return self.volumes.resources['volume'][self.volume.resource_id]

    def test_attach_waits_in_use_and_detach_on_delete(self):
        attachment = self.on.created(ATTACHMENT, {
            'instance_uuid': self.server.resource_id,
            'volume_id': self.volume.resource_id,
            'mountpoint': '/dev/vdc'}, 'att')
        self.assertEqual('in-use', self._stored()['status'])
        self.assertEqual('/dev/vdc', self._stored()['attachments'][0][
            'device'])
        run_action(attachment, 'CHECK', attachment.context.clock)
        run_action(attachment, 'DELETE', attachment.context.clock)
        self.assertEqual(('available', []), (self._stored()['status'],
                                             self._stored()['attachments']))

    def test_an_update_detaches_then_attaches_anew(self):
        attachment = self.on.created(ATTACHMENT, {
            'instance_uuid': self.server.resource_id,
            'volume_id': self.volume.resource_id}, 'att')
        other = self.on.created(VOLUME, {'size': 1}, 'other')
        # As the engine runs it: a plugin of the new properties acts.
        _, plan = self.on.updated_as_engine(attachment, {
            'instance_uuid': self.server.resource_id,
            'volume_id': other.resource_id})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual('available', self._stored()['status'])
        self.assertEqual('in-use', self.volumes.resources['volume'][
            other.resource_id]['status'])

    def test_a_server_gone_leaves_nothing_to_detach(self):
        attachment = self.on.created(ATTACHMENT, {
            'instance_uuid': self.server.resource_id,
            'volume_id': self.volume.resource_id}, 'att')
        run_action(self.server, 'DELETE', self.server.context.clock)
        run_action(attachment, 'DELETE', attachment.context.clock)
        self.assertEqual('available', self._stored()['status'])
