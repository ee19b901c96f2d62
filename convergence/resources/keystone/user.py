"""OS::Keystone::User: a Keystone user, with Heat 27's properties.

Every property changes in place: the fields with Keystone's PATCH, the
``groups`` by adding and removing memberships, the ``roles`` by granting
and revoking (``role_assignments``).  Deleting the user ends its
memberships and grants in Keystone itself.
"""

from convergence.resources import constraints as constr
from convergence.resources.keystone import role_assignments
from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import BOOLEAN, LIST, STRING, Schema

GROUPS = 'groups'
# Resource data: the ids of the groups the user was added to.
MEMBER_OF = 'member_of'


class User(role_assignments.RoleAssignmentMixin, KeystoneResource):
    """An API consumer, owned by a domain."""

    kind = 'user'
    actor = 'user'
    entity_label = 'User'
    support_version = '2015.1'

    properties_schema = {
        'name': Schema(STRING, 'Name of keystone user.', update_allowed=True),
        'domain': Schema(STRING, 'Name or ID of keystone domain.',
                         default='default', update_allowed=True,
                         constraints=[
                             constr.CustomConstraint('keystone.domain')]),
        'description': Schema(STRING, 'Description of keystone user.',
                              default='', update_allowed=True),
        'enabled': Schema(BOOLEAN, 'Keystone user is enabled or disabled.',
                          default=True, update_allowed=True),
        'email': Schema(STRING, 'Email address of keystone user.',
                        update_allowed=True),
        'password': Schema(STRING, 'Password of keystone user.',
                           update_allowed=True),
        'default_project': Schema(
            STRING, 'Name or ID of default project of keystone user.',
            update_allowed=True,
            constraints=[constr.CustomConstraint('keystone.project')]),
        GROUPS: Schema(LIST, 'Keystone user groups.', update_allowed=True,
                       schema=Schema(STRING, 'Keystone user group.',
                                     constraints=[constr.CustomConstraint(
                                         'keystone.group')])),
        role_assignments.ROLES: role_assignments.ROLES_SCHEMA,
    }
    attributes_schema = {
        'name': 'User name.',
        'default_project_id': 'Default project id for user.',
        'domain_id': 'Domain id for user.',
        'enabled': 'Flag of enable user.',
        'password_expires_at': 'Show user password expiration time.',
    }
    attribute_types = {'name': 'string', 'default_project_id': 'string',
                       'domain_id': 'string', 'enabled': 'boolean',
                       'password_expires_at': 'string'}

    def handle_create(self):
        props = self.properties
        made = self.create_from({
            'name': self.name_or_default(props.get('name')),
            'domain_id': self.resolve_id('domain', props['domain'],
                                         'domain'),
            'description': props['description'],
            'enabled': props['enabled'],
            'email': props.get('email'),
            'password': props.get('password'),
            'default_project_id': self.resolve_id(
                'project', props.get('default_project'), 'default_project')})
        self._join(made['id'], self._group_ids(props.get(GROUPS)))
        self.grant_roles(made['id'], self.wanted_grants(
            props.get(role_assignments.ROLES)))

    def _group_ids(self, groups) -> list[str]:
        return [self.resolve_id('group', group, GROUPS)
                for group in groups or ()]

    def _join(self, user_id: str, group_ids: list[str]) -> None:
        member_of = list(self.data_get(MEMBER_OF, []))
        for group_id in group_ids:
            self.identity().add_user_to_group(user_id, group_id)
            if group_id not in member_of:
                member_of.append(group_id)
                self.data_set(MEMBER_OF, list(member_of))

    def _leave(self, user_id: str, group_ids: list[str]) -> None:
        for group_id in group_ids:
            self.identity().remove_user_from_group(user_id, group_id)
        self.data_set(MEMBER_OF, [g for g in self.data_get(MEMBER_OF, [])
                                  if g not in group_ids])

    def handle_update(self, new_properties: dict, prop_diff: dict):
        attrs = {key: prop_diff.get(key)
                 for key in ('description', 'enabled', 'email', 'password')}
        if 'name' in prop_diff:
            attrs['name'] = self.name_or_default(prop_diff['name'])
        if 'domain' in prop_diff:
            attrs['domain_id'] = self.resolve_id(
                'domain', new_properties['domain'], 'domain')
        if prop_diff.get('default_project') is not None:
            attrs['default_project_id'] = self.resolve_id(
                'project', prop_diff['default_project'], 'default_project')
        self.update_with(attrs)
        if GROUPS in prop_diff:
            wanted = self._group_ids(prop_diff[GROUPS])
            current = self.data_get(MEMBER_OF, [])
            self._join(self.resource_id,
                       [g for g in wanted if g not in current])
            self._leave(self.resource_id,
                        [g for g in current if g not in wanted])
        if role_assignments.ROLES in prop_diff:
            self.change_roles(self.resource_id, self.resource_id,
                              new_properties.get(role_assignments.ROLES))
