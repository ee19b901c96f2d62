"""Which services a Keystone token's catalog offers (pure).

The catalog is the token's own (``token.catalog`` of a v3 token, as
keystonemiddleware hands it on): a service counts when it has an endpoint of
the wanted interface in the wanted region (any region when none is asked).
"""

from typing import Callable, Iterable


def service_types(token_info: dict | None,
                  interface_of: Callable[[str], str],
                  region: str | None) -> frozenset | None:
    """The service types with a usable endpoint (of the interface
    ``interface_of(type)`` names); None when ``token_info`` holds no catalog
    at all (no token: noauth, or a token without one)."""
    catalog = _catalog(token_info)
    if catalog is None:
        return None
    return frozenset(
        service.get('type') for service in catalog
        if _has_endpoint(service.get('endpoints') or (),
                         interface_of(service.get('type')), region))


def _catalog(token_info: dict | None) -> list | None:
    if not isinstance(token_info, dict):
        return None
    token = token_info.get('token')
    if isinstance(token, dict) and isinstance(token.get('catalog'), list):
        return token['catalog']
    return None


def _has_endpoint(endpoints: Iterable[dict], interface: str,
                  region: str | None) -> bool:
    for endpoint in endpoints:
        if endpoint.get('interface') != interface:
            continue
        if region is None or region in (endpoint.get('region'),
                                        endpoint.get('region_id')):
            return True
    return False
