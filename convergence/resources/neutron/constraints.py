"""The custom constraints ``neutron.network``, ``neutron.subnet`` and
``neutron.port``: the value names an existing one, by name or id.

Where a check runs with the stack's cloud at hand (an action's clock that
carries ``network``, a ports.NetworkAPI) it asks Neutron; where it has none
(the API validating a template, before any credentials exist) the value is
looked up when the action resolves it (``NeutronResource.find_id``), which
fails the resource with Heat's message ("Unable to find network with name
or id 'x'").
"""

from convergence.clients import errors
from convergence.template.constraints import register_custom_constraint

KINDS = ('network', 'subnet', 'port', 'router', 'security_group')


def _check(kind: str):
    def exists(value, clock) -> bool:
        network = getattr(clock, 'network', None)
        if network is None:
            return True  # resolved, and so checked, by the action
        try:
            return network.find(kind, str(value)) is not None
        except errors.Ambiguous:
            return False
    return exists


def register() -> None:
    for kind in KINDS:
        register_custom_constraint('neutron.%s' % kind, _check(kind))
