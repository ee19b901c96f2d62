"""The custom constraints ``neutron.network``, ``neutron.subnet``,
``neutron.port``, ``neutron.router`` and ``neutron.security_group``: the
value names an existing one, by name or id, as Heat's constraints check it;
and ``net_cidr``, an IP network in CIDR notation (Heat's CIDRConstraint,
with neutron-lib's words).

A create's or update's validation asks the requesting user's Neutron
(``clients.validation``): a name nobody has is a 400 with Heat's message
(``Error validating value 'x': Unable to find network with name or id
'x'``).  Where there is no request cloud (noauth has no cloud types at all;
a nested stack's later operations), the action resolving the name fails the
resource with the same words (``NeutronResource.find_id``).
"""

import ipaddress

from convergence.clients import errors
from convergence.clients import validation
from convergence.template.constraints import ConstraintError, \
    register_custom_constraint

KINDS = ('network', 'subnet', 'port', 'router', 'security_group')


def not_found(kind: str, value) -> str:
    """Heat's (neutronclient's) words for a name or id nobody has."""
    return "Unable to find %s with name or id '%s'" % (kind, value)


def _check(kind: str):
    def exists(value, clock) -> bool:
        cloud = validation.current()
        if cloud is None:
            return True  # the action resolves the name, and checks it then
        reason = validation.remembered(
            ('neutron.%s' % kind, str(value)),
            lambda: _problem(cloud, kind, value))
        if reason:
            raise ConstraintError("Error validating value '%s': %s"
                                  % (value, reason))
        return True
    return exists


def _problem(cloud, kind: str, value) -> str:
    """Why ``value`` names no one ``kind`` in ``cloud``; '' when it does."""
    try:
        found = cloud.network.find(kind, str(value))
    except (errors.Ambiguous, errors.CloudError) as exc:
        return str(exc)
    return '' if found is not None else not_found(kind, value)


def _is_net_cidr(value, clock) -> bool:
    """``net_cidr``: an address, a slash and a prefix length; an IPv4 one
    written as its canonical form (neutron-lib's validate_subnet)."""
    text = str(value)
    try:
        written = ipaddress.ip_interface(text)
    except ValueError:
        written = None
    if written is None or '/' not in text or (
            written.version == 4 and str(written) != text):
        raise ConstraintError("Error validating value '%s': '%s' is not a "
                              "valid IP subnet" % (value, value))
    return True


def register() -> None:
    for kind in KINDS:
        register_custom_constraint('neutron.%s' % kind, _check(kind))
    register_custom_constraint('net_cidr', _is_net_cidr)
