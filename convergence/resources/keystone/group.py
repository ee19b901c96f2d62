"""OS::Keystone::Group: a Keystone group, with Heat 27's properties.

Every property changes in place; ``roles`` are granted to the group and
revoked as they change (``role_assignments``).  Deleting the group ends its
grants and memberships in Keystone itself.
"""

from convergence.resources import constraints as constr
from convergence.resources.keystone import role_assignments
from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import STRING, Schema


class Group(role_assignments.RoleAssignmentMixin, KeystoneResource):
    """A collection of users, owned by a domain."""

    kind = 'group'
    actor = 'group'
    entity_label = 'Group'
    support_version = '2015.1'

    properties_schema = {
        'name': Schema(STRING, 'Name of keystone group.',
                       update_allowed=True),
        'domain': Schema(STRING, 'Name or id of keystone domain.',
                         default='default', update_allowed=True,
                         constraints=[
                             constr.CustomConstraint('keystone.domain')]),
        'description': Schema(STRING, 'Description of keystone group.',
                              default='', update_allowed=True),
        role_assignments.ROLES: role_assignments.ROLES_SCHEMA,
    }

    def handle_create(self):
        props = self.properties
        made = self.create_from({
            'name': self.name_or_default(props.get('name')),
            'domain_id': self.resolve_id('domain', props['domain'],
                                         'domain'),
            'description': props['description']})
        self.grant_roles(made['id'], self.wanted_grants(
            props.get(role_assignments.ROLES)))

    def handle_update(self, new_properties: dict, prop_diff: dict):
        attrs = {'description': prop_diff.get('description')}
        if 'name' in prop_diff:
            attrs['name'] = self.name_or_default(prop_diff['name'])
        if 'domain' in prop_diff:
            attrs['domain_id'] = self.resolve_id(
                'domain', new_properties['domain'], 'domain')
        self.update_with(attrs)
        if role_assignments.ROLES in prop_diff:
            self.change_roles(self.resource_id, self.resource_id,
                              new_properties.get(role_assignments.ROLES))
