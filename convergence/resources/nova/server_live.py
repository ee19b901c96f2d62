"""A server's ``networks`` as Nova holds them, in the template's words
(decision 34; Heat's _get_live_networks), as pure logic.

Each template entry is matched with an interface the server has: one
naming a port takes that port's interface, one naming a fixed IP the
interface holding it, and the others (network, subnet) an interface on
that network or subnet no other entry took.  An entry that finds its
interface is told as the template says it (the words stay the
template's, so a check does not fail on a name written for an id); an
interface no entry takes is told by its port (``{'port': <id>}``).  So an
interface attached behind the stack's back shows as an extra entry, one
detached as a missing entry, and an update from these entries detaches
the one and attaches the other (``server_networks.calculate``).

A server whose networks are none at all or a string (Nova's ``auto``,
``none``) is not compared: Nova chose its interfaces.
"""

from convergence.resources.nova.server_networks import (
    FIXED_IP, NETWORK, PORT, SUBNET)


def observable(entries) -> bool:
    """Whether the template's networks say which interfaces to have."""
    return bool(entries) and not any(
        net.get('allocate_network') for net in entries)


def live_networks(entries: list[dict], ids: list[dict],
                  interfaces: list[dict], own_ports=()) -> list[dict]:
    """The template's ``entries`` each with its interface found, then one
    ``{'port': id}`` per interface left over.  ``ids``: the same entries
    with ids for names (``network``, ``subnet``, ``port``);
    ``own_ports``: the ports the server made for its entries (a subnet
    entry's internal port), which their entries take before any other
    interface on the same subnet (one attached behind the stack's back)."""
    own = set(own_ports)
    left = sorted(interfaces, key=lambda iface: iface.get('port_id')
                  not in own)
    found: dict[int, dict] = {}
    # Entries naming a port or an address first: an entry naming only a
    # network must not take the interface they name.
    order = sorted(range(len(entries)), key=lambda i: not (
        ids[i].get(PORT) or ids[i].get(FIXED_IP)))
    for index in order:
        match = next((iface for iface in left
                      if _serves(iface, ids[index])), None)
        if match is not None:
            left.remove(match)
            found[index] = entries[index]
    told = [found[i] for i in range(len(entries)) if i in found]
    return told + [{PORT: iface.get('port_id')} for iface in left]


def _serves(iface: dict, wanted: dict) -> bool:
    """The interface is what the entry asks for: every key it gives."""
    fixed = iface.get('fixed_ips') or ()
    if wanted.get(PORT) and iface.get('port_id') != wanted[PORT]:
        return False
    if wanted.get(NETWORK) and iface.get('net_id') != wanted[NETWORK]:
        return False
    if wanted.get(SUBNET) and not any(
            f.get('subnet_id') == wanted[SUBNET] for f in fixed):
        return False
    if wanted.get(FIXED_IP) and not any(
            f.get('ip_address') == wanted[FIXED_IP] for f in fixed):
        return False
    return True
