"""The in-memory twin's extra routes of routers (Neutron's extraroute and
extraroute-atomic extensions), a part of ``memory.InMemoryNetwork``.

As Neutron: a router's ``routes`` are a set of {destination, nexthop}; an
add merges exact duplicates, a remove ignores what is not there; every
nexthop must lie in a subnet of one of the router's interfaces and must not
be one of the router's own addresses (400 InvalidRoutes, the whole new set
named); an interface whose subnet a route's nexthop lies in cannot be
detached (409 RouterInterfaceInUseByRoute).
"""

import ipaddress
from collections.abc import Sequence

from convergence.clients import errors


def _key(route: dict) -> tuple[str, str]:
    return route['destination'], route['nexthop']


class ExtraRoutes:
    """The extra-route calls of InMemoryNetwork (its ``resources`` and call
    log)."""

    def extra_routes(self, router_id: str, add: bool,
                     routes: Sequence[dict]) -> dict | None:
        self._enter('router', 'add_extraroutes' if add
                    else 'remove_extraroutes', router_id,
                    [dict(r) for r in routes])
        router = self.resources['router'].get(router_id)
        if router is None:
            if add:
                raise errors.NotFound('Router %s could not be found.'
                                      % router_id, 404)
            return None
        held = [_key(r) for r in router.get('routes', ())]
        if add:
            wanted = held + [k for k in map(_key, routes) if k not in held]
        else:
            gone = set(map(_key, routes))
            wanted = [k for k in held if k not in gone]
        new = [{'destination': d, 'nexthop': n} for d, n in wanted]
        self._check_nexthops(router_id, new)
        router['routes'] = new
        return dict(router, routes=[dict(r) for r in new])

    def _interfaces(self, router_id: str) -> list[tuple[dict, str]]:
        """(subnet, the router's address on it) for each interface."""
        return [(self.resources['subnet'][f['subnet_id']], f['ip_address'])
                for p in self.resources['port'].values()
                if p['device_id'] == router_id
                for f in p['fixed_ips']
                if f['subnet_id'] in self.resources['subnet']]

    def _check_nexthops(self, router_id: str, routes: list[dict]) -> None:
        interfaces = self._interfaces(router_id)
        own = {address for _, address in interfaces}
        for route in routes:
            nexthop = ipaddress.ip_address(route['nexthop'])
            if not any(nexthop in ipaddress.ip_network(s['cidr'])
                       for s, _ in interfaces):
                reason = 'the nexthop is not connected with router'
            elif route['nexthop'] in own:
                reason = 'the nexthop is used by router'
            else:
                continue
            raise errors.BadRequest('Invalid format for routes: %s, %s'
                                    % (routes, reason), 400)

    def _refuse_detach_if_routed(self, router_id: str,
                                 subnet_id: str) -> None:
        subnet = self.resources['subnet'].get(subnet_id)
        router = self.resources['router'].get(router_id) or {}
        if subnet is None:
            return
        cidr = ipaddress.ip_network(subnet['cidr'])
        if any(ipaddress.ip_address(r['nexthop']) in cidr
               for r in router.get('routes', ())):
            raise errors.Conflict(
                'Router interface for subnet %s on router %s cannot be '
                'deleted, as it is required by one or more routes.'
                % (subnet_id, router_id), 409)
