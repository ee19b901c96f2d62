"""Names of Nova, Glance and Cinder things resolved to ids, and the custom
constraints that check them (``nova.flavor``, ``nova.keypair``,
``nova.server``, ``nova.host``, ``glance.image``, ``cinder.volume``,
``cinder.vtype``), with Heat 27's messages (Nova's for a host: Heat's
check searches hypervisors by pattern, ours the nova-compute services an
aggregate takes).

A create's or update's validation asks the requesting user's cloud
(``clients.validation``): a name nobody has is a 400 with Heat's words
(``Error validating value 'x': No images matching {'name': 'x'}.``).  Where
there is no request cloud, the action resolving the name fails the resource
with the same words (``resolve``).
"""

import ipaddress
from typing import Callable

from convergence.clients import errors
from convergence.clients import validation
from convergence.resources.failures import resource_failure
from convergence.template.constraints import ConstraintError, \
    register_custom_constraint


def _entity_not_found(entity: str) -> Callable[[str], str]:
    return lambda value: 'The %s (%s) could not be found.' % (entity, value)


# constraint name -> (how to find it in a cloud, Heat's not-found words,
# Heat's several-match words or None for the cloud's own).
LOOKUPS: dict[str, tuple] = {
    'nova.flavor': (lambda cloud, v: cloud.compute.find('flavor', v),
                    lambda v: "No Flavor matching {'name': '%s'}. "
                              "(HTTP 404)" % v, None),
    'nova.keypair': (lambda cloud, v: cloud.compute.show('keypair', v),
                     _entity_not_found('Key'), None),
    'nova.server': (lambda cloud, v: cloud.compute.find('server', v),
                    _entity_not_found('Server'), None),
    'nova.host': (lambda cloud, v: cloud.compute.compute_host(v),
                  lambda v: 'Compute host %s could not be found.' % v, None),
    'glance.image': (lambda cloud, v: cloud.image.find(v),
                     lambda v: "No images matching {'name': '%s'}." % v,
                     lambda v: "No images unique match found for "
                               "{'name': '%s'}." % v),
    'cinder.volume': (lambda cloud, v: cloud.block_storage.find('volume', v),
                      _entity_not_found('Volume'), None),
    'cinder.vtype': (lambda cloud, v: cloud.block_storage.find(
        'volume_type', v), _entity_not_found('VolumeType'), None),
}

# The constraints this module defines (register_lookup adds others).
_OWN = tuple(LOOKUPS)


def problem(cloud, constraint: str, value) -> tuple[dict | None, str]:
    """What ``value`` names in ``cloud`` and, when nothing (or several)
    does, Heat's reason; ('', found) when found."""
    find, not_found, ambiguous = LOOKUPS[constraint]
    try:
        found = find(cloud, str(value))
    except errors.Ambiguous as exc:
        return None, ambiguous(value) if ambiguous else str(exc)
    except errors.CloudError as exc:
        return None, str(exc)
    if found is None:
        return None, not_found(value)
    return found, ''


def resolve(cloud, constraint: str, value, resource_name: str,
            prop: str) -> dict:
    """The cloud's representation of what a property names.

    Raises:
        ResourceFailure: nothing or several match, worded as Heat's
            validation (``StackValidationFailed: resources.<n>: Property
            error: ...``).
    """
    found, reason = problem(cloud, constraint, value)
    if found is not None:
        return found
    raise resource_failure(
        resource_name, 'StackValidationFailed',
        "Property error: %s.properties.%s: Error validating value '%s': %s"
        % (resource_name, prop, value, reason))


def _check(constraint: str, empty_is_checked: bool = False):
    def exists(value, clock) -> bool:
        cloud = validation.current()
        if cloud is None or value is None or (
                value == '' and not empty_is_checked):
            return True  # the action resolves the name, and checks it then
        found, reason = validation.remembered(
            (constraint, str(value)),
            lambda: problem(cloud, constraint, value))
        if found is None:
            raise ConstraintError("Error validating value '%s': %s"
                                  % (value, reason))
        return True
    return exists


def _is_ip_address(value, clock) -> bool:
    """``ip_addr``: an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True


def register_lookup(constraint: str, find: Callable, not_found: Callable,
                    ambiguous: Callable | None = None,
                    empty_is_checked: bool = False) -> None:
    """Add a constraint of another service (``keystone.role``...):
    ``find(cloud, value)`` gives the representation or None, and raises
    errors.Ambiguous or errors.CloudError with the reason; an empty value
    is looked up too when ``empty_is_checked`` (Heat's Keystone
    constraints), else left to the action."""
    LOOKUPS[constraint] = (find, not_found, ambiguous)
    register_custom_constraint(constraint, _check(constraint,
                                                  empty_is_checked))


def register() -> None:
    for name in _OWN:
        register_custom_constraint(name, _check(name))
    register_custom_constraint('ip_addr', _is_ip_address)
