"""OS::Nova::KeyPair: a Nova keypair, with Heat 27's properties.

Without ``public_key`` Nova generates the pair; ``save_private_key`` keeps
the private key in the resource's data for the ``private_key`` attribute
(else it is an empty string).  Every property change replaces the keypair.
Heat's ``user`` (a keypair for another user, admin only) is not
implemented: refused by name.
"""

from convergence.resources import constraints as constr
from convergence.resources.cloud_resource import CloudResource, \
    refuse_not_implemented
from convergence.resources.properties import BOOLEAN, STRING, Schema

PRIVATE_KEY = 'private_key'


class KeyPair(CloudResource):
    """A keypair to inject into servers (its id is its name)."""

    service_type = 'compute'
    default_client_name = 'nova'
    entity_label = 'Keypair'
    support_version = '2014.1'

    properties_schema = {
        'name': Schema(STRING, 'The name of the key pair.', required=True,
                       constraints=[constr.Length(min=1, max=255)]),
        'save_private_key': Schema(BOOLEAN, 'True if the system should '
                                   'remember a generated private key; False '
                                   'otherwise.', default=False),
        'public_key': Schema(STRING, 'The public key. This allows users to '
                             'supply the public key from a pre-existing key '
                             'pair. If not supplied, a new key pair will be '
                             'generated.'),
        'type': Schema(STRING, 'Keypair type. Supported since Nova api '
                       'version 2.2.', constraints=[
                           constr.AllowedValues(['ssh', 'x509'])]),
        'user': Schema(STRING, 'ID or name of user to whom to add key-pair '
                       '(not implemented here).'),
    }
    attributes_schema = {
        'public_key': 'The public key.',
        'private_key': 'The private key if it has been saved.',
    }
    attribute_types = {'public_key': 'string', 'private_key': 'string'}

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        refuse_not_implemented(props, ('user',), 'OS::Nova::KeyPair')
        return props

    def fetch(self) -> dict | None:
        return self.cloud().compute.show('keypair', self.resource_id)

    def handle_create(self):
        body = {'name': self.properties['name']}
        if self.properties.get('public_key'):
            body['public_key'] = self.properties['public_key']
        if self.properties.get('type'):
            body['type'] = self.properties['type']
        made = self.cloud().compute.create('keypair', body)
        if self.properties.get('save_private_key') and \
                made.get(PRIVATE_KEY):
            self.data_set(PRIVATE_KEY, made[PRIVATE_KEY])
        self.resource_id_set(made['name'])

    def handle_delete(self):
        if self.resource_id is None:
            return None
        self.cloud().compute.delete('keypair', self.resource_id)
        return None

    def handle_check(self):
        self.existing()

    def _resolve_attribute(self, name: str) -> object:
        if name == PRIVATE_KEY:
            return self.data_get(PRIVATE_KEY, '')
        return str((self.attributes() or {}).get(name) or '')
