"""The interface steps of a server's ``networks`` update (Heat's
interface_detach / interface_attach updaters and their checks).

A step is data in the update's token (``detach`` / ``attach`` below); the
server plugin starts it, then looks once per call until Nova is done:

- a detach is done when Neutron no longer binds the port to the server and
  no fixed address of the server carries the port's MAC (Nova's detach is
  asynchronous, and ``addresses`` lags behind it);  an internal port of the
  server is deleted only then, as Heat does, so that Nova never sees its
  port vanish while still bound;
- an attach is done when the port's fixed addresses show in the server's
  ``addresses``; a port Nova made on a network gets the server's security
  groups, and an entry's floating IP is associated with the port.
"""

DETACH, ATTACH = 'detach', 'attach'
# Looks at an interface Nova is still detaching or attaching before the
# update fails (the plugin's poll delay apart).
MAX_LOOKS = 120


class InterfaceFailed(Exception):
    """Nova did not finish detaching or attaching an interface."""


def detach(port_id: str, internal: bool) -> dict:
    return {'step': DETACH, 'port': port_id, 'internal': internal,
            'started': False}


def attach(port_id: str | None, network_id: str | None,
           fixed_ip: str | None, floating_ip: str | None,
           security_groups: list | None) -> dict:
    return {'step': ATTACH, 'port': port_id, 'network': network_id,
            'fixed_ip': fixed_ip, 'floating_ip': floating_ip,
            'security_groups': security_groups, 'started': False}


def start(server, step: dict) -> None:
    """Ask Nova for the step (``server``: the Server plugin)."""
    compute, server_id = server.compute(), server.resource_id
    if step['step'] == DETACH:
        compute.detach_interface(server_id, step['port'])
    else:
        made = compute.attach_interface(server_id, port_id=step['port'],
                                        net_id=step['network'],
                                        fixed_ip=step['fixed_ip'])
        if not step['port']:
            step['port'] = made['port_id']
            if step['security_groups']:
                server.cloud().network.update('port', made['port_id'], {
                    'security_groups': step['security_groups']})
    step['started'] = True


def finished(server, step: dict) -> bool:
    """Whether Nova is done with the step (and what follows it is done)."""
    step['looks'] = step.get('looks', 0) + 1
    if step['looks'] > MAX_LOOKS:
        raise InterfaceFailed('Failed to %s interface (%s) %s server (%s)' % (
            step['step'], step['port'],
            'from' if step['step'] == DETACH else 'to', server.resource_id))
    network = server.cloud().network
    port = network.show('port', step['port'])
    shown = server.compute().show('server', server.resource_id) or {}
    macs_shown = {entry.get('OS-EXT-IPS-MAC:mac_addr')
                  for entries in (shown.get('addresses') or {}).values()
                  for entry in entries}
    if step['step'] == DETACH:
        if port is not None and (port.get('device_id') == server.resource_id
                                 or port.get('mac_address') in macs_shown):
            return False
        if step['internal']:
            server.delete_internal_port(step['port'])
        return True
    if port is None or port.get('device_id') != server.resource_id:
        return False
    if port.get('fixed_ips') and port.get('mac_address') not in macs_shown:
        return False
    if step['floating_ip']:
        network.update('floatingip', step['floating_ip'],
                       {'port_id': step['port']})
    return True
