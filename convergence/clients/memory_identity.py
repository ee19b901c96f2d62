"""The in-memory twin of Keystone (cloud_ports.IdentityAPI), for unit tests.

Seeded as a new Keystone is: the domain ``default`` (named ``Default``) and
the roles ``admin``, ``member`` and ``reader``.  It keeps the rules the
types meet, in Keystone's words: a name is unique in its domain (409); a
grant needs its role, actor and target (404); an enabled domain cannot be
deleted (403), and deleting a domain deletes its projects, users and
groups; deleting a user or group drops its grants and memberships; a
project's or user's domain cannot change (400).
"""

import copy
import uuid

from convergence.clients import errors
from convergence.clients import memory_calls

DEFAULT_DOMAIN = 'default'
# Kinds whose names are unique per domain (the rest: unique globally or
# not at all, as in Keystone).
DOMAIN_SCOPED = ('project', 'user', 'group', 'role')
KINDS = ('domain', 'project', 'user', 'role', 'group', 'service',
         'endpoint', 'region')


class InMemoryIdentity(memory_calls.CallLog):
    """cloud_ports.IdentityAPI over dicts."""

    def __init__(self):
        super().__init__()
        self.resources: dict[str, dict[str, dict]] = {k: {} for k in KINDS}
        # (role_id, actor, actor_id, scope, scope_id)
        self.grants: set[tuple] = set()
        # (user_id, group_id)
        self.members: set[tuple] = set()
        self.resources['domain'][DEFAULT_DOMAIN] = {
            'id': DEFAULT_DOMAIN, 'name': 'Default', 'enabled': True,
            'description': 'The default domain'}
        for name in ('admin', 'member', 'reader'):
            self.add('role', name=name, domain_id=None)

    def add(self, kind: str, **fields) -> dict:
        """One already in Keystone (tests' seed data)."""
        item = dict({'id': uuid.uuid4().hex}, **fields)
        self.resources[kind][item['id']] = item
        return dict(item)

    def _get(self, kind: str, item_id: str) -> dict:
        item = self.resources[kind].get(item_id)
        if item is None:
            raise errors.NotFound('Could not find %s: %s.' % (kind, item_id),
                                  404)
        return item

    def _unique(self, kind: str, item: dict, own_id: str | None) -> None:
        if kind not in DOMAIN_SCOPED and kind != 'domain':
            return
        for other in self.resources[kind].values():
            if other['id'] != own_id and other.get('name') == item.get(
                    'name') and other.get('domain_id') == item.get(
                    'domain_id'):
                raise errors.Conflict(
                    'Conflict occurred attempting to store %s - Duplicate '
                    'entry found with name %s%s.' % (
                        kind, item['name'], ' at domain ID %s' % item[
                            'domain_id'] if item.get('domain_id') else ''),
                    409)

    def create(self, kind: str, attrs: dict) -> dict:
        self._enter(kind, 'create', copy.deepcopy(attrs))
        item = dict(copy.deepcopy(attrs))
        item.setdefault('id', uuid.uuid4().hex)
        if kind in ('project', 'user', 'group'):
            item['domain_id'] = item.get('domain_id') or DEFAULT_DOMAIN
            self._get('domain', item['domain_id'])
        if kind == 'project':
            item.setdefault('parent_id', item['domain_id'])
            if item['parent_id'] != item['domain_id']:
                self._get('project', item['parent_id'])
            item.setdefault('is_domain', False)
            item.setdefault('tags', [])
        if kind == 'user':
            item.pop('password', None)
            item['password_expires_at'] = None
        if kind == 'endpoint':
            self._get('service', item['service_id'])
        if kind == 'region' and item['id'] in self.resources['region']:
            raise errors.Conflict('Conflict occurred attempting to store '
                                  'region - Duplicate ID, %s.' % item['id'],
                                  409)
        self._unique(kind, item, None)
        self.resources[kind][item['id']] = item
        return copy.deepcopy(item)

    def show(self, kind: str, resource_id: str) -> dict | None:
        self._enter(kind, 'show', resource_id)
        item = self.resources[kind].get(resource_id)
        return None if item is None else copy.deepcopy(item)

    def find(self, kind: str, name_or_id: str,
             domain_id: str | None = None) -> dict | None:
        self._enter(kind, 'find', name_or_id, domain_id)
        items = self.resources[kind]
        if name_or_id in items:
            return copy.deepcopy(items[name_or_id])
        named = [i for i in items.values() if i.get('name') == name_or_id
                 and (domain_id is None or i.get('domain_id') == domain_id)]
        if len(named) > 1:
            raise errors.Ambiguous(
                "Multiple %s matches found for name '%s', use an ID to be "
                "more specific." % (kind, name_or_id))
        return copy.deepcopy(named[0]) if named else None

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        self._enter(kind, 'update', resource_id, copy.deepcopy(attrs))
        item = self._get(kind, resource_id)
        if 'domain_id' in attrs and attrs['domain_id'] != item.get(
                'domain_id'):
            raise errors.BadRequest('Update of `domain_id` is not allowed.',
                                    400)
        changed = dict(item, **copy.deepcopy(attrs))
        changed.pop('password', None)
        self._unique(kind, changed, resource_id)
        item.clear()
        item.update(changed)
        return copy.deepcopy(item)

    def delete(self, kind: str, resource_id: str) -> bool:
        self._enter(kind, 'delete', resource_id)
        item = self.resources[kind].get(resource_id)
        if item is None:
            return False
        if kind == 'domain':
            if item.get('enabled', True):
                raise errors.Forbidden(
                    'Cannot delete a domain that is enabled, please disable '
                    'it first.', 403)
            for owned in ('project', 'user', 'group'):
                for other in list(self.resources[owned].values()):
                    if other.get('domain_id') == resource_id:
                        self._forget(owned, other['id'])
        self._forget(kind, resource_id)
        return True

    def _forget(self, kind: str, item_id: str) -> None:
        del self.resources[kind][item_id]
        self.grants = {g for g in self.grants
                       if (kind, item_id) not in ((g[1], g[2]), (g[3], g[4]))
                       and (kind != 'role' or g[0] != item_id)}
        self.members = {m for m in self.members
                        if (kind, item_id) not in (('user', m[0]),
                                                   ('group', m[1]))}

    def grant(self, role_id: str, actor: str, actor_id: str, scope: str,
              scope_id: str) -> None:
        self._enter('role', 'grant', role_id, actor, actor_id, scope,
                    scope_id)
        for kind, item_id in (('role', role_id), (actor, actor_id),
                              (scope, scope_id)):
            self._get(kind, item_id)
        self.grants.add((role_id, actor, actor_id, scope, scope_id))

    def revoke(self, role_id: str, actor: str, actor_id: str, scope: str,
               scope_id: str) -> bool:
        self._enter('role', 'revoke', role_id, actor, actor_id, scope,
                    scope_id)
        grant = (role_id, actor, actor_id, scope, scope_id)
        if grant not in self.grants:
            return False
        self.grants.remove(grant)
        return True

    def role_assignments(self, actor: str, actor_id: str) -> list[dict]:
        self._enter('role', 'role_assignments', actor, actor_id)
        return [{'role': {'id': g[0]}, g[1]: {'id': g[2]},
                 'scope': {g[3]: {'id': g[4]}}}
                for g in sorted(self.grants) if g[1:3] == (actor, actor_id)]

    def add_user_to_group(self, user_id: str, group_id: str) -> None:
        self._enter('group', 'add_user', user_id, group_id)
        self._get('user', user_id)
        self._get('group', group_id)
        self.members.add((user_id, group_id))

    def remove_user_from_group(self, user_id: str, group_id: str) -> bool:
        self._enter('group', 'remove_user', user_id, group_id)
        if (user_id, group_id) not in self.members:
            return False
        self.members.remove((user_id, group_id))
        return True

    def user_groups(self, user_id: str) -> list[dict]:
        self._enter('group', 'user_groups', user_id)
        self._get('user', user_id)
        return [copy.deepcopy(self.resources['group'][g])
                for u, g in sorted(self.members) if u == user_id]

    # Last: the name hides the builtin in the rest of the class body.
    def list(self, kind: str, filters: dict | None = None) -> list[dict]:
        self._enter(kind, 'list', dict(filters or {}))
        return [copy.deepcopy(item) for item in self.resources[kind].values()
                if all(item.get(k) == v for k, v in (filters or {}).items())]
