"""Keystone names resolved to ids, and the custom constraints that check
them (``keystone.domain``, ``keystone.project``, ``keystone.user``,
``keystone.role``, ``keystone.group``, ``keystone.service``,
``keystone.region``), as Heat 27's Keystone client plugin finds them.

A project, user, role or group may be named ``<name>{<domain>}`` (the
domain by name or id); an id is tried first, then the name (in that
domain).  Heat's words when nothing matches: ``The KeystoneRole (x) could
not be found.``; an empty value matches nothing.  Validation asks the
requesting user's Keystone (``cloud_lookup``); the action resolves again
through the stack's cloud (``resolve_id``) and fails with the same words.
"""

import re

from convergence.clients import errors
from convergence.resources import cloud_lookup

# Heat's entity names in its EntityNotFound messages.
ENTITIES = {'domain': 'KeystoneDomain', 'project': 'KeystoneProject',
            'user': 'KeystoneUser', 'role': 'KeystoneRole',
            'group': 'KeystoneGroup', 'service': 'KeystoneService',
            'region': 'KeystoneRegion'}
# The kinds a ``{domain}`` suffix may qualify.
DOMAIN_QUALIFIED = ('project', 'user', 'role', 'group')
_DOMAIN_SUFFIX = re.compile(r'\{(.*?)\}$')


class NotFound(errors.NotFound):
    """Nothing in Keystone has the name or id (Heat's EntityNotFound)."""

    def __init__(self, kind: str, name: str):
        super().__init__('The %s (%s) could not be found.'
                         % (ENTITIES[kind], name), 404)


NotFound.__name__ = 'EntityNotFound'


class ServiceNameConflict(errors.CloudError):
    """Several services have the name (Heat's KeystoneServiceNameConflict)."""

    def __init__(self, name: str):
        super().__init__('Keystone has more than one service with same name '
                         '%s. Please use service id instead of name' % name)


ServiceNameConflict.__name__ = 'KeystoneServiceNameConflict'


def split_domain(identity, kind: str, value: str) -> tuple[str, str | None]:
    """``name{domain}`` as (name, the domain's id); (value, None) without
    a suffix.

    Raises:
        NotFound: the domain does not exist (naming the whole value).
    """
    match = _DOMAIN_SUFFIX.search(value)
    if match is None:
        return value, None
    try:
        domain = find(identity, 'domain', match.group(1))
    except errors.CloudError:
        raise NotFound(kind, value)
    return value[:match.start()], domain['id']


def find(identity, kind: str, value) -> dict:
    """Keystone's representation of what ``value`` names.

    Raises:
        NotFound: nothing has that name or id.
        ServiceNameConflict: several services have that name.
        errors.CloudError: Keystone failed.
    """
    value = '' if value is None else str(value)
    domain_id = None
    if kind in DOMAIN_QUALIFIED:
        value, domain_id = split_domain(identity, kind, value)
    if value == '':
        raise NotFound(kind, value)
    found = identity.show(kind, value)
    if found is None and kind != 'region':
        found = _by_name(identity, kind, value, domain_id)
    if found is None:
        raise NotFound(kind, value)
    return found


def _by_name(identity, kind: str, name: str, domain_id) -> dict | None:
    filters = {'name': name}
    if domain_id:
        filters['domain_id'] = domain_id
    named = [item for item in identity.list(kind, filters)
             if item.get('name') == name]
    if kind == 'service' and len(named) > 1:
        raise ServiceNameConflict(name)
    # Heat takes the first of several projects, roles, users or groups.
    return named[0] if named else None


def resolve_id(res, kind: str, value, prop: str) -> str:
    """The id of what property ``prop`` of ``res`` names, through the
    stack's Keystone.

    Raises:
        ResourceFailure: nothing matches (worded as Heat's validation).
    """
    return cloud_lookup.resolve(res.cloud(), 'keystone.%s' % kind, value,
                                res.name, prop)['id']


def _lookup(kind: str):
    return lambda cloud, value: find(cloud.identity, kind, value)


def register() -> None:
    for kind in ENTITIES:
        cloud_lookup.register_lookup(
            'keystone.%s' % kind, _lookup(kind),
            lambda value, kind=kind: NotFound(kind, value).args[0],
            empty_is_checked=True)
