"""Which resource types the caller's cloud offers (Heat's
``is_service_available``, test_conditional_exposure).

A cloud type names the service it needs (``service_type``, e.g. ``network``)
and Heat's client name (``default_client_name``, e.g. ``neutron``); it is
available when the request's catalog has an endpoint of that type
(``cloud_ports.Clouds.catalog``).  Without a catalog (noauth mode, an engine
without a ``[trustee]`` to act for the user later) every cloud type is
unavailable, and the error says why.
Types that need no service are always available.  A type Heat has and we
do not build (``heat_only_types``) is refused the same way when its service
is absent (as by Heat: ServiceBasedExposureTest's OS::Manila::Share), and by
name as not implemented when it is present; it is never listed.
As in Heat, the types of nested stacks are checked too, with the catalog
of the request whose validation reaches them (``checking_children_with``).
"""

import contextlib
import contextvars
import dataclasses

from convergence import exceptions
from convergence import resources
from convergence.clients import errors
from convergence.resources import heat_only_types

# Heat's reason for a catalog without the service, and ours for no catalog.
NOT_IN_CATALOG = 'Service endpoint not in service catalog.'
NO_CATALOG = ('there is no service catalog: the request carries no Keystone '
              'token (noauth mode).')
NO_CLOUDS = 'this engine has no cloud clients.'

# The catalog the request being validated checks its nested stacks with.
_CHILDREN_CATALOG: contextvars.ContextVar = contextvars.ContextVar(
    'catalog_of_this_validation', default=None)


@dataclasses.dataclass(frozen=True)
class Catalog:
    """The service types a request may use; ``services`` None when there
    is no catalog at all, ``reason`` saying why."""

    services: frozenset | None
    reason: str = NO_CATALOG


def catalog_of(rt, ctxt) -> Catalog:
    """The request's catalog, as the engine's clouds read it."""
    if rt.clouds is None:
        return Catalog(None, NO_CLOUDS)
    try:
        services = rt.clouds.catalog(ctxt)
    except errors.CloudUnavailable as exc:
        return Catalog(None, str(exc))
    return Catalog(services)


def unavailable(cls, type_name: str, catalog: Catalog
                ) -> exceptions.ResourceTypeUnavailable | None:
    """The error refusing ``type_name`` (class ``cls``), or None."""
    return _refusal(getattr(cls, 'service_type', None),
                    getattr(cls, 'default_client_name', None), type_name,
                    catalog)


def unavailable_unbuilt(type_name: str, catalog: Catalog
                        ) -> exceptions.ResourceTypeUnavailable | None:
    """As ``unavailable``, for a type Heat has and we do not build (None
    for any other type, and when its service is there)."""
    heat_only = heat_only_types.of(type_name)
    if heat_only is None:
        return None
    return _refusal(heat_only.service_type, heat_only.default_client_name,
                    type_name, catalog)


def _refusal(service: str | None, client: str | None, type_name: str,
             catalog: Catalog) -> exceptions.ResourceTypeUnavailable | None:
    services = catalog.services
    if service is None or (services is not None and service in services):
        return None
    return exceptions.ResourceTypeUnavailable(
        service_name=client, resource_type=type_name,
        reason=NOT_IN_CATALOG if services is not None else catalog.reason)


def is_available(type_name: str, catalog: Catalog) -> bool:
    """Whether a registered type may be listed and used."""
    return unavailable(resources.get_class(type_name), type_name,
                       catalog) is None


def check_definition(stack_def, catalog: Catalog) -> None:
    """Refuse a stack whose template uses an unavailable type.

    Raises:
        ResourceTypeUnavailable: the first such resource's type, in the
            template's order.
    """
    files = stack_def.template.files
    for name in stack_def.resource_names():
        type_name = stack_def.resource_definition(name).type
        try:
            cls = resources.get_class(type_name, files)
        except exceptions.ResourceTypeNotFound:
            # Validation names it (not found, or not implemented here).
            error = unavailable_unbuilt(type_name, catalog)
        else:
            error = unavailable(cls, type_name, catalog)
        if error is not None:
            raise error


@contextlib.contextmanager
def checking_children_with(catalog: Catalog):
    """Let the validation inside check every nested stack's types against
    ``catalog`` too (Heat checks each resource's service as it validates
    it, at any depth)."""
    token = _CHILDREN_CATALOG.set(catalog)
    try:
        yield
    finally:
        _CHILDREN_CATALOG.reset(token)


def check_child(stack_def) -> None:
    """``check_definition`` of a nested stack with the catalog of the
    validation it is part of; nothing outside one (a child created by its
    parent's node was checked with the request that made the parent)."""
    catalog = _CHILDREN_CATALOG.get()
    if catalog is not None:
        check_definition(stack_def, catalog)


def children_services() -> list | None:
    """The services the nested stacks are checked against (what a
    remembered validation depends on), or None."""
    catalog = _CHILDREN_CATALOG.get()
    if catalog is None:
        return None
    return [sorted(catalog.services) if catalog.services is not None
            else None, catalog.reason]
