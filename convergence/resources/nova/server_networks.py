"""Which interfaces an update of a server's ``networks`` detaches and which
it attaches (Heat's ServerNetworkMixin.calculate_networks), as pure logic.

The entries are the template's, with every name already an id (network,
subnet, port; ``uuid`` spelt ``network``).  The interfaces are Nova's
(``port_id``, ``net_id``, ``fixed_ips``).  As Heat:

- the old entries are first matched with the interfaces the server has, so
  that an entry that named only a network learns its port, address and
  subnet;
- a new entry matching an old one (a port by its port, an address by its
  address, otherwise the old entry agreeing with the most of its keys) is
  kept as it is: no detach, no attach;
- every old entry left over is detached (its port), every new one left over
  attached: its port, an internal port made on its subnet, or a port Nova
  makes on its network (at its fixed IP);
- a server that had no networks (Nova's ``auto``) or a string network has
  all its interfaces detached; new networks that are none at all attach
  one interface on the network Nova picks, ``allocate_network: none``
  attaches nothing.
"""

import copy
from dataclasses import dataclass, field

# The keys of a networks entry (``uuid`` already spelt ``network``).
(NETWORK, FIXED_IP, PORT, SUBNET, FLOATING_IP, ALLOCATE, TAG) = (
    'network', 'fixed_ip', 'port', 'subnet', 'floating_ip',
    'allocate_network', 'tag')
ENTRY_KEYS = (NETWORK, FIXED_IP, PORT, SUBNET, FLOATING_IP, ALLOCATE, TAG)
# What an interface tells of an entry (Heat's _IFACE_MANAGED_KEYS).
IFACE_KEYS = (PORT, NETWORK, FIXED_IP, SUBNET)


@dataclass
class Attach:
    """One interface to attach: ``port`` given, or an internal port to make
    on ``subnet`` (``internal``), or a port Nova makes on ``network``."""

    port: str | None = None
    network: str | None = None
    subnet: str | None = None
    fixed_ip: str | None = None
    floating_ip: str | None = None
    internal: bool = False
    index: int = 0


@dataclass
class NetworkChanges:
    """The ports to detach (in order), the floating IPs to dissociate and
    what to attach."""

    detach: list[str] = field(default_factory=list)
    dissociate: list[str] = field(default_factory=list)
    attach: list[Attach] = field(default_factory=list)


def calculate(old_nets: list | None, new_nets: list | None,
              interfaces: list[dict]) -> NetworkChanges:
    """What turns the server's interfaces from ``old_nets`` to
    ``new_nets`` (both lists of entries with ids; not modified)."""
    old = copy.deepcopy(old_nets or [])
    new = copy.deepcopy(new_nets or [])
    changes = NetworkChanges()
    new_string = _string_network(new)
    if new_string:
        changes.detach = [iface['port_id'] for iface in interfaces]
        if new_string == 'auto':
            changes.attach.append(Attach())
        return changes
    if not old and not new:
        return changes
    if not old or _string_network(old):
        changes.detach = [iface['port_id'] for iface in interfaces]
        kept = []
    else:
        kept = _exclude_unchanged(old, new, interfaces)
        for net in old:
            if net.get(PORT):
                changes.detach.append(net[PORT])
            if net.get(FLOATING_IP):
                changes.dissociate.append(net[FLOATING_IP])
    if not new and not kept:
        changes.attach.append(Attach())
    for index, net in enumerate(new):
        changes.attach.append(_attach(index, net))
    return changes


def _attach(index: int, net: dict) -> Attach:
    if net.get(PORT):
        return Attach(port=net[PORT], floating_ip=net.get(FLOATING_IP),
                      index=index)
    return Attach(network=net.get(NETWORK), subnet=net.get(SUBNET),
                  fixed_ip=net.get(FIXED_IP),
                  floating_ip=net.get(FLOATING_IP),
                  internal=bool(net.get(SUBNET)), index=index)


def _string_network(nets: list) -> str | None:
    for net in nets:
        if net.get(ALLOCATE):
            return net[ALLOCATE]
    return None


def _exclude_unchanged(old: list, new: list, interfaces: list) -> list:
    """Heat's _exclude_not_updated_networks: the old entries a new one
    matches, removed from both lists."""
    _learn_from_interfaces(old, interfaces)
    for net in old + new:
        for key in ENTRY_KEYS:
            net[key] = net.get(key) or None
    kept = []
    for new_net in list(new):
        reduced = {k: v for k, v in new_net.items()
                   if k not in IFACE_KEYS or v is not None}
        match = best_match(old, reduced)
        if match is not None:
            kept.append(match)
            new.remove(new_net)
            old.remove(match)
    return kept


def _learn_from_interfaces(old: list, interfaces: list) -> None:
    """Each old entry takes the port, network, address and subnet of the
    interface that best matches what it said."""
    left = [_iface_entry(iface) for iface in interfaces]
    # Entries naming a port or an address first, so that an entry naming
    # only a network cannot take the interface they name.
    for net in sorted(old, key=lambda n: not (n.get(PORT)
                                              or n.get(FIXED_IP))):
        reduced = {k: v for k, v in net.items()
                   if k in IFACE_KEYS and v is not None}
        match = best_match(left, reduced)
        if match is not None:
            net.update(match)
            left.remove(match)


def _iface_entry(iface: dict) -> dict:
    fixed = (iface.get('fixed_ips') or [{}])[0]
    return {PORT: iface.get('port_id'), NETWORK: iface.get('net_id'),
            FIXED_IP: fixed.get('ip_address'), SUBNET: fixed.get('subnet_id')}


def best_match(candidates: list, wanted: dict) -> dict | None:
    """Heat's _find_best_match: by port, else by fixed IP, else the
    candidate holding ``wanted`` that agrees on the most keys."""
    for key in (PORT, FIXED_IP):
        if wanted.get(key) is not None:
            return next((c for c in candidates if c.get(key) == wanted[key]
                         and _holds(c, wanted)), None)
    best, most = None, 0
    for candidate in candidates:
        if not _holds(candidate, wanted):
            continue
        agreeing = sum(1 for k, v in wanted.items() if candidate.get(k) == v)
        if agreeing > most:
            best, most = candidate, agreeing
    return best


def _holds(candidate: dict, wanted: dict) -> bool:
    return all(k in candidate and candidate[k] == v
               for k, v in wanted.items())
