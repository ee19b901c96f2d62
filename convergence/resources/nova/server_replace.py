"""What a server being replaced hands its replacement, and takes back on a
rollback (Heat's prepare_ports_for_replace and
restore_ports_after_rollback, and decision 34's fixed IPs).

- The ports the template gives are detached from the old server (and
  waited for) so that the replacement can take them.
- The fixed IPs the template's other entries ask for (``subnet`` or
  ``network`` with ``fixed_ip``: a port made for the server holds them)
  are released from the old server's ports, as a replaced Port releases
  its own, so that the replacement's ports can have the same addresses
  instead of meeting "IP address in use".  What was released is kept in
  the old resource's data (``RELEASED_FIXED_IPS``: port id -> its fixed
  IPs) and given back on a rollback, after the replacement's ports let the
  addresses go.
"""

from convergence.clients import errors
from convergence.resources.nova import server_update

# Looks at a port being detached before giving up, DETACH_POLL_DELAY
# seconds apart.
DETACH_POLLS = 60
DETACH_POLL_DELAY = 1.0
RELEASED_FIXED_IPS = 'released_fixed_ips'


def prepare(server) -> None:
    ports = template_ports(server)
    for port_id in ports:
        server.compute().detach_interface(server.resource_id, port_id)
    for port_id in ports:
        wait_released(server, port_id)
    _release_addresses(server, set(ports))


def restore(server, replacement_id: str | None) -> None:
    ports = template_ports(server)
    if replacement_id:
        for port_id in ports:
            server.compute().detach_interface(replacement_id, port_id)
        for port_id in ports:
            wait_released(server, port_id, replacement_id)
        _take_addresses_from(server, replacement_id, set(ports))
    for port_id in ports:
        port = server.cloud().network.show('port', port_id)
        if port is not None and not port.get('device_id'):
            server.compute().attach_interface(server.resource_id,
                                              port_id=port_id)
    network = server.cloud().network
    for port_id, fixed_ips in (server.data_get(RELEASED_FIXED_IPS)
                               or {}).items():
        try:
            network.update('port', port_id, {'fixed_ips': fixed_ips})
        except errors.NotFound:
            pass  # the old server's port went with it
    server.data_delete(RELEASED_FIXED_IPS)


def template_ports(server) -> list[str]:
    return [server.network_id('port', net['port'], 'networks')
            for net in server.properties.get('networks') or ()
            if net.get('port')]


def wait_released(server, port_id: str,
                  server_id: str | None = None) -> None:
    server_id = server_id or server.resource_id
    network = server.cloud().network
    for _ in range(DETACH_POLLS):
        port = network.show('port', port_id)
        if port is None or port.get('device_id') != server_id:
            return
        server.context.clock.wait(DETACH_POLL_DELAY)
    raise server_update.UpdateFailed(
        'Failed to detach interface (%s) from server (%s)'
        % (port_id, server_id))


def asked_addresses(networks) -> set[str]:
    """The fixed IPs the entries without a port ask for."""
    return {net['fixed_ip'] for net in networks or ()
            if net.get('fixed_ip') and not net.get('port')}


def kept(fixed_ips: list[dict], addresses: set[str]) -> list[dict]:
    """A port's fixed IPs without ``addresses``."""
    return [f for f in fixed_ips if f.get('ip_address') not in addresses]


def _release_addresses(server, handed_over: set[str]) -> None:
    addresses = asked_addresses(server.properties.get('networks'))
    if not addresses:
        return
    released = dict(server.data_get(RELEASED_FIXED_IPS) or {})
    network = server.cloud().network
    for iface in server.compute().interfaces(server.resource_id):
        port_id = iface.get('port_id')
        port = None if port_id in handed_over else network.show(
            'port', port_id)
        if port is None:
            continue
        fixed = port.get('fixed_ips') or []
        remaining = kept(fixed, addresses)
        if remaining != fixed:
            released[port_id] = fixed
            network.update('port', port_id, {'fixed_ips': remaining})
    server.data_set(RELEASED_FIXED_IPS, released)


def _take_addresses_from(server, replacement_id: str,
                         handed_over: set[str]) -> None:
    """The replacement's ports let go of the addresses this server gave
    up (it may be gone already)."""
    released = server.data_get(RELEASED_FIXED_IPS) or {}
    addresses = {f.get('ip_address') for fixed in released.values()
                 for f in fixed}
    if not addresses:
        return
    network = server.cloud().network
    try:
        interfaces = server.compute().interfaces(replacement_id)
    except errors.NotFound:
        return
    for iface in interfaces:
        port = None if iface.get('port_id') in handed_over else \
            network.show('port', iface.get('port_id'))
        if port is None:
            continue
        fixed = port.get('fixed_ips') or []
        if kept(fixed, addresses) != fixed:
            network.update('port', port['id'],
                           {'fixed_ips': kept(fixed, addresses)})
