"""Keystone through an openstacksdk Connection (cloud_ports.IdentityAPI).

Keystone's own v3 REST resources (domains, projects, users, roles, groups,
services, endpoints, regions), the role grants of users and groups on
projects and domains, and group membership, as plain dicts with Keystone's
field names.
"""

from urllib import parse

from convergence.clients import rest

# kind -> (collection path, body key, list key), as Keystone's v3 API
# names them.
KINDS = {
    'domain': ('domains', 'domain', 'domains'),
    'project': ('projects', 'project', 'projects'),
    'user': ('users', 'user', 'users'),
    'role': ('roles', 'role', 'roles'),
    'group': ('groups', 'group', 'groups'),
    'service': ('services', 'service', 'services'),
    'endpoint': ('endpoints', 'endpoint', 'endpoints'),
    'region': ('regions', 'region', 'regions'),
}

# What a grant's actor and target are in Keystone's paths.
ACTORS = {'user': 'users', 'group': 'groups'}
SCOPES = {'project': 'projects', 'domain': 'domains'}


def grant_path(actor: str, actor_id: str, scope: str, scope_id: str,
               role_id: str) -> str:
    """``/projects/<p>/users/<u>/roles/<r>`` and its three siblings."""
    return '/%s/%s/%s/%s/roles/%s' % (SCOPES[scope], scope_id,
                                      ACTORS[actor], actor_id, role_id)


class SdkIdentity(rest.RestService):
    """cloud_ports.IdentityAPI on ``proxy`` (an openstacksdk identity proxy)."""

    def create(self, kind: str, attrs: dict) -> dict:
        path, key, _ = KINDS[kind]
        return self.call('create %s' % kind, 'POST', '/' + path,
                         json={key: attrs}).json()[key]

    def show(self, kind: str, resource_id: str) -> dict | None:
        path, key, _ = KINDS[kind]
        body = self.get_or_none('show %s' % kind, '/%s/%s' % (
            path, parse.quote(resource_id, safe='')))
        return None if body is None else body[key]

    def find(self, kind: str, name_or_id: str,
             domain_id: str | None = None) -> dict | None:
        found = self.show(kind, name_or_id) if name_or_id else None
        if found is not None:
            return found
        filters = {'name': name_or_id}
        if domain_id:
            filters['domain_id'] = domain_id
        return rest.unique(kind, name_or_id, [
            item for item in self.list(kind, filters)
            if item.get('name') == name_or_id])

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        path, key, _ = KINDS[kind]
        return self.call('update %s' % kind, 'PATCH',
                         '/%s/%s' % (path, resource_id),
                         json={key: attrs}).json()[key]

    def delete(self, kind: str, resource_id: str) -> bool:
        path, _, _ = KINDS[kind]
        return self.delete_or_false('delete %s' % kind,
                                    '/%s/%s' % (path, resource_id))

    def grant(self, role_id: str, actor: str, actor_id: str, scope: str,
              scope_id: str) -> None:
        self.call('grant role', 'PUT', grant_path(
            actor, actor_id, scope, scope_id, role_id))

    def revoke(self, role_id: str, actor: str, actor_id: str, scope: str,
               scope_id: str) -> bool:
        return self.delete_or_false('revoke role', grant_path(
            actor, actor_id, scope, scope_id, role_id))

    def role_assignments(self, actor: str, actor_id: str) -> list[dict]:
        return self.call('list role assignments', 'GET', '/role_assignments',
                         params={'%s.id' % actor: actor_id}
                         ).json()['role_assignments']

    def add_user_to_group(self, user_id: str, group_id: str) -> None:
        self.call('add user to group', 'PUT',
                  '/groups/%s/users/%s' % (group_id, user_id))

    def remove_user_from_group(self, user_id: str, group_id: str) -> bool:
        return self.delete_or_false(
            'remove user from group',
            '/groups/%s/users/%s' % (group_id, user_id))

    def user_groups(self, user_id: str) -> list[dict]:
        return self.call('list groups of user', 'GET',
                         '/users/%s/groups' % user_id).json()['groups']

    # Last: the name hides the builtin in the rest of the class body.
    def list(self, kind: str, filters: dict | None = None) -> list[dict]:
        path, _, list_key = KINDS[kind]
        return self.call('list %s' % kind, 'GET', '/' + path,
                         params=filters or {}).json()[list_key]
