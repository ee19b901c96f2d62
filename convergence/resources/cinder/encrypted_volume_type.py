"""OS::Cinder::EncryptedVolumeType: the encryption of a Cinder volume type
(admin only), with Heat 27's properties.

Its id is the volume type's, as in Heat (Cinder keys a type's encryption by
the type).  ``provider``, ``control_location``, ``cipher`` and ``key_size``
change in place (Cinder refuses while a volume of the type exists);
another ``volume_type`` replaces it.  A value left unset is not sent, so
Cinder's own default holds (``cipher`` and ``key_size`` none).
"""

from convergence.resources import constraints as constr
from convergence.resources.cloud_resource import CloudResource
from convergence.resources.properties import INTEGER, STRING, Schema

SPECS = ('provider', 'control_location', 'cipher', 'key_size')


class EncryptedVolumeType(CloudResource):
    """The settings with which volumes of a type are encrypted."""

    service_type = 'volumev3'
    default_client_name = 'cinder'
    entity_label = 'Volume type encryption'
    support_version = '5.0.0'

    properties_schema = {
        'provider': Schema(STRING, 'The class that provides encryption '
                           'support. For example, '
                           'nova.volume.encryptors.luks.LuksEncryptor.',
                           required=True, update_allowed=True),
        'control_location': Schema(
            STRING, 'Notional service where encryption is performed '
            'For example, front-end. For Nova.', default='front-end',
            update_allowed=True, constraints=[
                constr.AllowedValues(['front-end', 'back-end'])]),
        'cipher': Schema(STRING, 'The encryption algorithm or mode. For '
                         'example, aes-xts-plain64.', update_allowed=True,
                         constraints=[constr.AllowedValues(
                             ['aes-xts-plain64', 'aes-cbc-essiv'])]),
        'key_size': Schema(INTEGER, 'Size of encryption key, in bits. For '
                           'example, 128 or 256.', update_allowed=True),
        'volume_type': Schema(STRING, 'Name or id of volume type '
                              '(OS::Cinder::VolumeType).', required=True,
                              constraints=[constr.CustomConstraint(
                                  'cinder.vtype')]),
    }

    def volumes(self):
        return self.cloud().block_storage

    def fetch(self) -> dict | None:
        return self.volumes().encryption(self.resource_id)

    def handle_create(self):
        type_id = self.lookup('cinder.vtype', self.properties['volume_type'],
                              'volume_type')['id']
        self.volumes().set_encryption(type_id, _specs(self.properties),
                                      create=True)
        self.resource_id_set(type_id)

    def handle_update(self, new_properties: dict, prop_diff: dict):
        changes = {k: v for k, v in prop_diff.items() if k in SPECS}
        if changes:
            self.volumes().set_encryption(self.resource_id, changes,
                                          create=False)

    def handle_delete(self):
        if self.resource_id is not None:
            self.volumes().delete_encryption(self.resource_id)
        return None

    def handle_check(self):
        self.existing()


def _specs(props) -> dict:
    return {k: props[k] for k in SPECS if props.get(k) is not None}
