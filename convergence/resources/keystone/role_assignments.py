"""Roles of a user or group on projects and domains (Heat 27's
KeystoneRoleAssignmentMixin), and OS::Keystone::UserRoleAssignment and
OS::Keystone::GroupRoleAssignment.

``roles`` is a list of ``{role, project}`` or ``{role, domain}`` (names or
ids; exactly one of project and domain).  What was granted is kept in the
resource's data as ids, so an update grants what is new and revokes what is
gone even when a name now means something else, and a delete revokes what
this resource granted; a grant already gone, or an actor already deleted,
is no error.
"""

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import LIST, MAP, STRING, Schema
from convergence.template.unresolved import contains_unresolved

ROLES = 'roles'
SCOPES = ('project', 'domain')
# Resource data: the grants made, as [role id, scope, scope id].
GRANTED = 'role_assignments'

ROLES_SCHEMA = Schema(
    LIST, 'List of role assignments.', update_allowed=True,
    schema=Schema(MAP, 'Map between role with either project or domain.',
                  schema={
                      'role': Schema(STRING, 'Keystone role.', required=True,
                                     constraints=[constr.CustomConstraint(
                                         'keystone.role')]),
                      'project': Schema(STRING, 'Keystone project.',
                                        constraints=[constr.CustomConstraint(
                                            'keystone.project')]),
                      'domain': Schema(STRING, 'Keystone domain.',
                                       constraints=[constr.CustomConstraint(
                                           'keystone.domain')]),
                  }))


def check_roles(roles) -> None:
    """Heat's rule: each role names exactly one of project and domain.

    Raises:
        StackValidationFailed: with Heat's words.
    """
    for item in roles or ():
        if not isinstance(item, dict) or contains_unresolved(item):
            continue
        project, domain = item.get('project'), item.get('domain')
        if project is not None and domain is not None:
            raise StackValidationFailed('Cannot define the following '
                                        'properties at the same time: '
                                        'project, domain.')
        if project is None and domain is None:
            raise StackValidationFailed('Either project or domain must be '
                                        'specified for role %s'
                                        % item.get('role'))


class RoleAssignmentMixin:
    """Grants of ``roles`` to one actor (``actor``: user or group)."""

    actor = ''

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        check_roles(props.get(ROLES))

    def wanted_grants(self: KeystoneResource, roles) -> list[list]:
        """``roles`` as [role id, scope, scope id], resolved now."""
        wanted = []
        for item in roles or ():
            scope = 'project' if item.get('project') is not None \
                else 'domain'
            grant = [self.resolve_id('role', item['role'], ROLES),
                     scope, self.resolve_id(scope, item[scope], ROLES)]
            if grant not in wanted:
                wanted.append(grant)
        return wanted

    def granted(self) -> list[list]:
        return [list(g) for g in self.data_get(GRANTED, [])]

    def grant_roles(self, actor_id: str, grants: list[list]) -> None:
        """Grant each, keeping every one made in the data at once (a
        failure halfway leaves the data true for the delete)."""
        made = self.granted()
        for role_id, scope, scope_id in grants:
            self.identity().grant(role_id, self.actor, actor_id, scope,
                                  scope_id)
            if [role_id, scope, scope_id] not in made:
                made.append([role_id, scope, scope_id])
                self.data_set(GRANTED, list(made))

    def revoke_roles(self, actor_id: str | None, grants: list[list]) -> None:
        """Revoke each (those already gone, or of a gone actor, too)."""
        kept = [g for g in self.granted() if g not in grants]
        if actor_id is not None:
            for role_id, scope, scope_id in grants:
                try:
                    self.identity().revoke(role_id, self.actor, actor_id,
                                           scope, scope_id)
                except errors.NotFound:
                    pass  # the role or the target went first
        self.data_set(GRANTED, kept)

    def change_roles(self, old_actor: str | None, new_actor: str,
                     roles) -> None:
        """Make the grants ``roles``: to ``new_actor``, revoking those of
        ``old_actor`` that are no longer wanted (all when it changed)."""
        wanted = self.wanted_grants(roles)
        current = self.granted()
        same_actor = old_actor == new_actor
        self.revoke_roles(old_actor, [g for g in current if not same_actor
                                      or g not in wanted])
        self.grant_roles(new_actor, [g for g in wanted if not same_actor
                                     or g not in current])


class _RoleAssignment(RoleAssignmentMixin, KeystoneResource):
    """Grants to a user or group the template names (``actor`` property).
    As in Heat it has no physical id: ``get_resource`` gives its name."""

    support_version = '5.0.0'
    # Resource data: the id of the actor the grants were made to.
    ACTOR_ID = 'actor_id'

    def actor_id(self, value) -> str:
        return self.resolve_id(self.actor, value, self.actor)

    def fetch(self) -> dict | None:
        return None  # nothing of its own in Keystone

    def show_resource(self) -> dict | None:
        return None

    def handle_create(self):
        actor_id = self.actor_id(self.properties[self.actor])
        self.data_set(self.ACTOR_ID, actor_id)
        self.grant_roles(actor_id, self.wanted_grants(
            self.properties.get(ROLES)))

    def handle_update(self, new_properties: dict, prop_diff: dict):
        new_actor = self.actor_id(new_properties[self.actor])
        self.change_roles(self.data_get(self.ACTOR_ID), new_actor,
                          new_properties.get(ROLES))
        self.data_set(self.ACTOR_ID, new_actor)

    def handle_delete(self):
        actor_id = self.data_get(self.ACTOR_ID)
        if actor_id is not None and self.identity().show(
                self.actor, actor_id) is None:
            actor_id = None  # gone, and its grants with it
        self.revoke_roles(actor_id, self.granted())
        return None

    def check_delete_complete(self, token) -> bool:
        return True

    def handle_check(self):
        actor_id = self.data_get(self.ACTOR_ID)
        if actor_id is None or self.identity().show(self.actor,
                                                    actor_id) is None:
            raise errors.NotFound('%s %s could not be found.' % (
                self.actor.capitalize(), actor_id), 404)


class UserRoleAssignment(_RoleAssignment):
    """Roles of a user on projects and domains."""

    actor = 'user'
    properties_schema = {
        'user': Schema(STRING, 'Name or id of keystone user.', required=True,
                       update_allowed=True, constraints=[
                           constr.CustomConstraint('keystone.user')]),
        ROLES: ROLES_SCHEMA,
    }


class GroupRoleAssignment(_RoleAssignment):
    """Roles of a group on projects and domains."""

    actor = 'group'
    properties_schema = {
        'group': Schema(STRING, 'Name or id of keystone group.',
                        required=True, update_allowed=True, constraints=[
                            constr.CustomConstraint('keystone.group')]),
        ROLES: ROLES_SCHEMA,
    }
