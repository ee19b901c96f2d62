"""OS::Keystone::Role: a Keystone role, with Heat 27's properties.

The ``name`` changes in place; a new ``domain`` makes a new role.
"""

from convergence.resources import constraints as constr
from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import STRING, Schema


class Role(KeystoneResource):
    """A level of authorization, granted on projects or domains."""

    kind = 'role'
    entity_label = 'Role'
    support_version = '2015.1'

    properties_schema = {
        'name': Schema(STRING, 'Name of keystone role.', update_allowed=True),
        'domain': Schema(STRING, 'Name or id of keystone domain.',
                         constraints=[
                             constr.CustomConstraint('keystone.domain')]),
    }

    def handle_create(self):
        props = self.properties
        self.create_from({
            'name': self.name_or_default(props.get('name')),
            'domain_id': self.resolve_id('domain', props.get('domain'),
                                         'domain')})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        if 'name' in prop_diff:
            self.update_with({'name': self.name_or_default(
                prop_diff['name'])})
