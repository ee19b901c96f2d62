"""OS::Cinder::EncryptedVolumeType on the in-memory Cinder."""

import testtools

from convergence.exceptions import ResourceFailure, StackValidationFailed
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import validated

TYPE = 'OS::Cinder::EncryptedVolumeType'
LUKS = 'nova.volume.encryptors.luks.LuksEncryptor'


class EncryptedVolumeTypeTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.volumes = self.on.cloud.block_storage
        self.gold = self.volumes.create('volume_type', {'name': 'gold'})

    def encryption(self, type_id: str) -> dict | None:
        return self.volumes.resources['volume_type'][type_id].get(
            'encryption')

    def test_a_type_named_by_name_is_encrypted_and_is_the_id(self):
        res = self.on.created(TYPE, {
            'provider': LUKS, 'cipher': 'aes-xts-plain64', 'key_size': 512,
            'volume_type': 'gold'}, 'evt')
        self.assertEqual(self.gold['id'], res.resource_id)
        stored = self.encryption(self.gold['id'])
        self.assertEqual((LUKS, 'front-end', 'aes-xts-plain64', 512), (
            stored['provider'], stored['control_location'],
            stored['cipher'], stored['key_size']))

    def test_unset_cipher_and_key_size_are_not_sent(self):
        self.on.created(TYPE, {'provider': LUKS,
                               'volume_type': self.gold['id']}, 'evt')
        [create] = [c for c in self.volumes.calls
                    if c[0] == 'set_encryption']
        self.assertEqual(('set_encryption', 'volume_type', self.gold['id'],
                          {'provider': LUKS,
                           'control_location': 'front-end'}, True), create)

    def test_the_specs_change_in_place_the_type_replaces(self):
        res = self.on.created(TYPE, {
            'provider': LUKS, 'cipher': 'aes-xts-plain64', 'key_size': 512,
            'volume_type': 'gold'}, 'evt')
        res, plan = self.on.updated_as_engine(res, {
            'provider': LUKS, 'cipher': 'aes-cbc-essiv', 'key_size': 256,
            'control_location': 'back-end', 'volume_type': 'gold'})
        self.assertEqual(IN_PLACE, plan.decision)
        stored = self.encryption(self.gold['id'])
        self.assertEqual(('back-end', 'aes-cbc-essiv', 256), (
            stored['control_location'], stored['cipher'],
            stored['key_size']))
        self.volumes.create('volume_type', {'name': 'silver'})
        _, plan = self.on.updated_as_engine(res, {
            'provider': LUKS, 'volume_type': 'silver'})
        self.assertEqual(REPLACE, plan.decision)

    def test_a_delete_unencrypts_the_type_and_a_check_sees_it_gone(self):
        res = self.on.created(TYPE, {'provider': LUKS,
                                     'volume_type': 'gold'}, 'evt')
        run_action(res, 'DELETE', res.context.clock)
        self.assertIsNone(self.encryption(self.gold['id']))
        self.assertIn(self.gold['id'], self.volumes.resources['volume_type'])
        res = self.on.created(TYPE, {'provider': LUKS,
                                     'volume_type': 'gold'}, 'evt')
        del self.volumes.resources['volume_type'][self.gold['id']][
            'encryption']
        self.assertIn('could not be found', self.on.failure(res, 'CHECK'))
        run_action(res, 'DELETE', res.context.clock)

    def test_a_type_in_use_refuses_the_change_with_cinders_words(self):
        res = self.on.created(TYPE, {'provider': LUKS,
                                     'volume_type': 'gold'}, 'evt')
        self.volumes.create('volume', {'size': 1, 'volume_type': 'gold'})
        error = self.assertRaises(ResourceFailure, self.on.updated_as_engine,
                                  res, {'provider': LUKS, 'key_size': 256,
                                        'volume_type': 'gold'})
        self.assertIn('Cannot update encryption specs. Volume type in use.',
                      str(error))
        self.assertNotIn('key_size', self.encryption(self.gold['id']))

    def test_a_cipher_heat_does_not_allow_is_refused(self):
        error = self.assertRaises(StackValidationFailed, validated, TYPE, {
            'provider': LUKS, 'cipher': 'rot13', 'volume_type': 'gold'})
        self.assertIn('"rot13" is not an allowed value', str(error))
