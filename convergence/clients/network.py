"""Neutron through an openstacksdk Connection (cloud_ports.NetworkAPI).

The calls go through the Connection's network proxy (its endpoint found in
the credentials' catalog for the stack's region and ``[clients_neutron]``'s
interface, the API version discovered) as Neutron's own REST resources, so
every field a template gives (``value_specs`` included) reaches Neutron
under Neutron's name and the answer comes back as Neutron wrote it.
Transient failures are retried (``retry``).
"""

import time
from collections.abc import Sequence
from typing import Callable

from convergence.clients import errors
from convergence.clients import http
from convergence.clients import retry

# kind -> (collection path, body key), as Neutron's API v2.0 names them.
KINDS = {
    'network': ('networks', 'network'),
    'subnet': ('subnets', 'subnet'),
    'port': ('ports', 'port'),
    'router': ('routers', 'router'),
    'security_group': ('security-groups', 'security_group'),
    'security_group_rule': ('security-group-rules', 'security_group_rule'),
    'floatingip': ('floatingips', 'floatingip'),
}


class SdkNetwork:
    """cloud_ports.NetworkAPI on ``proxy`` (an openstacksdk network proxy)."""

    def __init__(self, proxy, retry_limit: int,
                 sleep: Callable[[float], None] = time.sleep):
        self.proxy = proxy
        self.retry_limit = retry_limit
        self.sleep = sleep

    def _call(self, what: str, method: str, url: str,
              conflict_is_transient: bool = False, **kwargs):
        return retry.retried(
            lambda: http.request(self.proxy, method, url, **kwargs),
            self.retry_limit, self.sleep, what, conflict_is_transient)

    def create(self, kind: str, attrs: dict) -> dict:
        path, key = KINDS[kind]
        response = self._call('create %s' % kind, 'POST', '/' + path,
                              json={key: attrs})
        return response.json()[key]

    def show(self, kind: str, resource_id: str) -> dict | None:
        path, key = KINDS[kind]
        try:
            response = self._call('show %s' % kind, 'GET',
                                  '/%s/%s' % (path, resource_id))
        except errors.NotFound:
            return None
        return response.json()[key]

    def list(self, kind: str, filters: dict) -> list[dict]:
        path, _key = KINDS[kind]
        response = self._call('list %s' % kind, 'GET', '/' + path,
                              params=filters)
        return response.json()[path.replace('-', '_')]

    def find(self, kind: str, name_or_id: str) -> dict | None:
        for field in ('id', 'name'):
            found = self.list(kind, {field: name_or_id})
            if len(found) > 1:
                raise errors.Ambiguous(
                    'Multiple %s matches found for name \'%s\', use an ID '
                    'to be more specific.' % (kind, name_or_id))
            if found:
                return found[0]
        return None

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        path, key = KINDS[kind]
        response = self._call('update %s' % kind, 'PUT',
                              '/%s/%s' % (path, resource_id),
                              json={key: attrs})
        return response.json()[key]

    def delete(self, kind: str, resource_id: str) -> bool:
        path, _key = KINDS[kind]
        try:
            # Conflicts while dependants finish going away are repeated.
            self._call('delete %s' % kind, 'DELETE',
                       '/%s/%s' % (path, resource_id),
                       conflict_is_transient=True)
        except errors.NotFound:
            return False
        return True

    def router_interface(self, router_id: str, add: bool,
                         subnet_id: str | None = None,
                         port_id: str | None = None) -> dict | None:
        body = {'subnet_id': subnet_id} if subnet_id else {'port_id': port_id}
        verb = 'add' if add else 'remove'
        try:
            response = self._call(
                '%s router interface' % verb, 'PUT',
                '/routers/%s/%s_router_interface' % (router_id, verb),
                conflict_is_transient=not add, json=body)
        except errors.NotFound:
            if add:
                raise
            return None
        return response.json()

    def extra_routes(self, router_id: str, add: bool,
                     routes: Sequence[dict]) -> dict | None:
        # Neutron's extraroute-atomic: the router's routes change by exactly
        # these in one transaction, so other writers' routes are never lost.
        verb = 'add' if add else 'remove'
        try:
            response = self._call(
                '%s extra routes' % verb, 'PUT',
                '/routers/%s/%s_extraroutes' % (router_id, verb),
                json={'router': {'routes': list(routes)}})
        except errors.NotFound:
            if add:
                raise
            return None
        return response.json()['router']
