"""OS::Keystone::Service: a service of Keystone's catalog, with Heat 27's
properties; every one changes in place."""

from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import BOOLEAN, STRING, Schema


class Service(KeystoneResource):
    """A catalog entry that endpoints belong to."""

    kind = 'service'
    entity_label = 'Service'
    support_version = '5.0.0'

    properties_schema = {
        'name': Schema(STRING, 'Name of keystone service.',
                       update_allowed=True),
        'description': Schema(STRING, 'Description of keystone service.',
                              update_allowed=True),
        'type': Schema(STRING, 'Type of keystone Service.',
                       update_allowed=True, required=True),
        'enabled': Schema(BOOLEAN, 'This service is enabled or disabled.',
                          default=True, update_allowed=True),
    }

    def handle_create(self):
        props = self.properties
        self.create_from({'name': self.name_or_default(props.get('name')),
                          'description': props.get('description'),
                          'type': props['type'],
                          'enabled': props['enabled']})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        attrs = {key: prop_diff.get(key)
                 for key in ('description', 'type', 'enabled')}
        if 'name' in prop_diff:
            attrs['name'] = self.name_or_default(prop_diff['name'])
        self.update_with(attrs)
