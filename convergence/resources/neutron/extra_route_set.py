"""OS::Neutron::ExtraRouteSet: a set of a router's extra routes, with Heat
27's properties and behaviour (decision 35).

The routes are added and removed through Neutron's extraroute-atomic calls,
which change exactly the routes named, so other stacks' (and other users')
routes on the same router are never touched.  A route already on the router
is refused before anything changes (Heat's PhysicalResourceExists, naming
it ``<router>,<destination>=<nexthop>``).  The resource id is the router's
id.  An update is a deep diff of the routes this resource put on the
router (its data remembers them) and the new ones: the routes the new
template drops are removed, then the ones it adds are added (a new one
already on the router is refused); a route in both stays on the
router throughout (and is put back if it went missing behind the stack's
back).  A delete removes only the routes this resource added, and
succeeds when the router or a route is gone.  A check
fails when the router is gone or one of the template's routes is no longer
on it; routes the template does not name are not ours and not compared.
"""

from convergence.clients import errors
from convergence.resources import constraints as constr
from convergence.resources import live_state
from convergence.resources.failures import resource_failure
from convergence.resources.neutron import base
from convergence.resources.properties import LIST, MAP, STRING, Schema

ROUTER, ROUTES, DESTINATION, NEXTHOP = ('router', 'routes', 'destination',
                                        'nexthop')
# The data key holding the routes this resource put on the router.
OWNED = 'routes'


def route_keys(routes) -> list[tuple[str, str]]:
    """(destination, nexthop) of each route, duplicates dropped, in order."""
    keys: list[tuple[str, str]] = []
    for route in routes or ():
        key = (route[DESTINATION], route[NEXTHOP])
        if key not in keys:
            keys.append(key)
    return keys


def as_routes(keys) -> list[dict]:
    """Neutron's route dicts of (destination, nexthop) keys."""
    return [{DESTINATION: d, NEXTHOP: n} for d, n in keys]


def already_there(router_id: str, held, adding) -> str | None:
    """Heat's name of the first route to add that the router holds
    already (``<router>,<destination>=<nexthop>``), or None."""
    held = set(route_keys(held))
    for destination, nexthop in route_keys(adding):
        if (destination, nexthop) in held:
            return '%s,%s=%s' % (router_id, destination, nexthop)
    return None


class ExtraRouteSet(base.NeutronResource):
    """Extra routes of one router, added and removed atomically."""

    entity = 'router'
    support_version = '14.0.0'

    properties_schema = {
        ROUTER: Schema(STRING, 'The router id.', required=True, constraints=[
            constr.CustomConstraint('neutron.router')]),
        ROUTES: Schema(
            LIST, 'A set of route dictionaries for the router.', default=[],
            update_allowed=True, schema=Schema(MAP, schema={
                DESTINATION: Schema(
                    STRING, 'The destination network in CIDR notation.',
                    required=True,
                    constraints=[constr.CustomConstraint('net_cidr')]),
                NEXTHOP: Schema(
                    STRING, 'The next hop for the destination.',
                    required=True,
                    constraints=[constr.CustomConstraint('ip_addr')]),
            })),
    }
    attributes_schema = {}

    # --- the router's routes ---

    def _held(self, router_id: str) -> list[dict]:
        """The routes on the router now.

        Raises:
            NotFound: the router is gone.
        """
        router = self.network().show('router', router_id)
        if router is None:
            raise errors.NotFound('Router %s could not be found.'
                                  % router_id, 404)
        return router.get(ROUTES) or []

    def _refuse_taken(self, router_id: str, held, adding) -> None:
        taken = already_there(router_id, held, adding)
        if taken is not None:
            raise resource_failure(
                self.name, 'PhysicalResourceExists',
                'The physical resource for (%s) exists.' % taken)

    def _owned(self) -> list[tuple[str, str]]:
        """The routes this resource put on the router (its properties' for
        a row from before the data was kept, an adopted one)."""
        owned = self.data_get(OWNED)
        if owned is None:
            return route_keys(self.properties_before().get(ROUTES))
        return [tuple(key) for key in owned]

    def _change(self, router_id: str, add: bool, keys) -> None:
        """Add or remove ``keys`` on the router and remember what is ours."""
        if not keys:
            return
        self.network().extra_routes(router_id, add, as_routes(keys))
        owned = self._owned()
        owned = owned + [k for k in keys if k not in owned] if add else [
            k for k in owned if k not in keys]
        self.data_set(OWNED, [list(k) for k in owned])

    # --- actions ---

    def handle_create(self):
        router_id = self.find_id('router', self.properties[ROUTER], ROUTER)
        wanted = route_keys(self.properties[ROUTES])
        self._refuse_taken(router_id, self._held(router_id),
                           as_routes(wanted))
        self.data_set(OWNED, [])
        self._change(router_id, True, wanted)
        # A set of routes has no id of its own: Heat names it by the
        # router's.  Set only once the routes are on: a create that failed
        # before has nothing of ours to remove on delete.
        self.resource_id_set(router_id)
        return None

    def check_create_complete(self, token) -> bool:
        return True

    def handle_update(self, new_properties: dict, prop_diff: dict):
        router_id = self.resource_id
        # Heat's deep diff, of the routes this resource put on the router
        # (its old properties' unless an action failed half-way).
        owned = self._owned()
        new = route_keys(new_properties.get(ROUTES))
        held = route_keys(self._held(router_id))
        self._refuse_taken(router_id, as_routes(held), as_routes(
            k for k in new if k not in owned))
        # Remove first, then add (Heat's order: never a routing table
        # with both the old and the new next hop of a destination).
        self._change(router_id, False, [k for k in owned if k not in new])
        # The new ones, and a kept one that went missing behind our back.
        self._change(router_id, True, [k for k in new if k not in held])
        return None

    def check_update_complete(self, token) -> bool:
        return True

    def handle_delete(self):
        if self.resource_id is None:
            return None
        owned = self._owned()
        if owned:
            self.network().extra_routes(self.resource_id, False,
                                        as_routes(owned))
        return None

    def check_delete_complete(self, token) -> bool:
        return True

    # --- check (live_state) ---

    def show_resource(self) -> dict | None:
        """The router as Neutron holds it; None when it is gone."""
        if self.resource_id is None:
            return None
        return self.network().show('router', self.resource_id)

    def handle_check(self):
        shown = self.show_resource()
        if shown is None:
            raise errors.NotFound('Router %s could not be found.'
                                  % self.resource_id, 404)
        live_state.check(self, shown)

    def expected_live(self) -> dict:
        return {ROUTES: as_routes(route_keys(self.properties.get(ROUTES)))}

    def live_properties(self, shown: dict) -> dict:
        """The template's routes the router still holds (the others on it
        are not ours to compare)."""
        ours = route_keys(self.properties.get(ROUTES))
        held = route_keys(shown.get(ROUTES))
        return {ROUTES: as_routes(k for k in ours if k in held)}

    # --- attributes ---

    def get_reference_id(self) -> str:
        return str(self.resource_id) if self.resource_id else str(self.name)

    def get_attribute(self, name: str) -> object:
        if name == base.SHOW_ATTRIBUTE:
            return None  # a set of routes has no representation of its own
        return super().get_attribute(name)
