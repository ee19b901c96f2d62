"""OS::Keystone::Domain: a Keystone domain, with Heat 27's properties.

Every property changes in place.  Keystone deletes only a disabled domain
(an enabled one fails the delete with Keystone's 403), as with Heat.
"""

from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import BOOLEAN, STRING, Schema


class Domain(KeystoneResource):
    """A container of projects, users and groups."""

    kind = 'domain'
    entity_label = 'Domain'
    support_version = '8.0.0'

    properties_schema = {
        'name': Schema(STRING, 'The name of the domain.',
                       update_allowed=True),
        'description': Schema(STRING, 'Description of keystone domain.',
                              update_allowed=True),
        'enabled': Schema(BOOLEAN, 'This domain is enabled or disabled.',
                          default=True, update_allowed=True),
    }

    def handle_create(self):
        props = self.properties
        self.create_from({'name': self.name_or_default(props.get('name')),
                          'description': props.get('description'),
                          'enabled': props['enabled']})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        self.update_with({
            'name': self.name_or_default(prop_diff['name'])
            if 'name' in prop_diff else None,
            'description': prop_diff.get('description'),
            'enabled': prop_diff.get('enabled')})
