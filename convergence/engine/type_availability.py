"""Which resource types the caller's cloud offers (Heat's
``is_service_available``, test_conditional_exposure).

A cloud type names the service it needs (``service_type``, e.g. ``network``)
and Heat's client name (``default_client_name``, e.g. ``neutron``); it is
available when the request's catalog has an endpoint of that type
(``ports.Clouds.catalog``).  Without a catalog (noauth mode, or an engine
with no clouds) every cloud type is unavailable, and the error says why.
Types that need no service are always available.
"""

from convergence import exceptions
from convergence import resources

# Heat's reason for a catalog without the service, and ours for no catalog.
NOT_IN_CATALOG = 'Service endpoint not in service catalog.'
NO_CATALOG = ('there is no service catalog: the request carries no Keystone '
              'token (noauth mode).')


def catalog_of(rt, ctxt) -> frozenset | None:
    """The service types of the request's catalog; None without one."""
    if rt.clouds is None:
        return None
    return rt.clouds.catalog(ctxt)


def unavailable(cls, type_name: str,
                catalog: frozenset | None) -> exceptions.ResourceTypeUnavailable | None:
    """The error refusing ``type_name`` (class ``cls``), or None."""
    service = getattr(cls, 'service_type', None)
    if service is None or (catalog is not None and service in catalog):
        return None
    return exceptions.ResourceTypeUnavailable(
        service_name=cls.default_client_name, resource_type=type_name,
        reason=NOT_IN_CATALOG if catalog is not None else NO_CATALOG)


def is_available(type_name: str, catalog: frozenset | None) -> bool:
    """Whether a registered type may be listed and used."""
    return unavailable(resources.get_class(type_name), type_name,
                       catalog) is None


def check_definition(stack_def, catalog: frozenset | None) -> None:
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
            continue  # validation names it
        error = unavailable(cls, type_name, catalog)
        if error is not None:
            raise error
