"""Heat's implicit dependencies between network resources (its
``add_dependencies`` of Port, Server, Router, FloatingIP and
ExtraRouteSet), from the template alone.

A port or a server cannot know which subnet of its network Neutron will
take an address from, so it waits for every subnet of the template on that
network; a router's gateway waits for the subnets of its external network;
a floating IP waits for the router whose gateway is on its floating
network, and for the router interface on the subnet of a port it is
given; a set of extra routes waits for every interface of its router (a
route's next hop must be on one).  "The same network" means the same property value in the template
(``{get_resource: net}`` on both sides, or the same literal), as Heat
compares the values; a server entry that names no network (a port or a
subnet only) and a subnet whose network is not known wait as Heat's do.
"""

from collections.abc import Mapping

SUBNET, PORT, SERVER, ROUTER, INTERFACE, FLOATING_IP, ROUTE_SET = (
    'OS::Neutron::Subnet', 'OS::Neutron::Port', 'OS::Nova::Server',
    'OS::Neutron::Router', 'OS::Neutron::RouterInterface',
    'OS::Neutron::FloatingIP', 'OS::Neutron::ExtraRouteSet')


def implicit(types: Mapping[str, str], props: Mapping[str, Mapping],
             explicit: Mapping[str, set]) -> dict[str, set[str]]:
    """Each resource -> the resources it implicitly requires.

    ``types``: each resource's type; ``props``: its properties as the
    template writes them; ``explicit``: what it requires already.
    """
    found: dict[str, set[str]] = {}
    for name, kind in types.items():
        rule = _RULES.get(kind)
        if rule is not None:
            required = rule(name, types, props, explicit) - {name}
            if required:
                found[name] = required
    return found


def _of(kind: str, types: Mapping[str, str]) -> list[str]:
    return [name for name, t in types.items() if t == kind]


def _network(props: Mapping, *keys: str):
    for key in keys:
        if isinstance(props, Mapping) and props.get(key) is not None:
            return props[key]
    return None


def _subnets_on(network, types, props) -> set[str]:
    return {s for s in _of(SUBNET, types)
            if _network(props[s], 'network', 'network_id') == network}


def _port(name, types, props, explicit) -> set[str]:
    network = _network(props[name], 'network', 'network_id')
    return _subnets_on(network, types, props) if network is not None else set()


def _server(name, types, props, explicit) -> set[str]:
    networks = props[name].get('networks') if isinstance(
        props[name], Mapping) else None
    if not isinstance(networks, list) or not networks:
        return set()
    required = set()
    for subnet in _of(SUBNET, types):
        subnet_net = _network(props[subnet], 'network', 'network_id')
        for entry in networks:
            net = _network(entry, 'network', 'uuid')
            if subnet_net is None or net is None or net == subnet_net:
                required.add(subnet)
                break
    return required


def _gateway_network(router_props):
    gateway = router_props.get('external_gateway_info') if isinstance(
        router_props, Mapping) else None
    return _network(gateway, 'network') if isinstance(gateway,
                                                      Mapping) else None


def _router(name, types, props, explicit) -> set[str]:
    network = _gateway_network(props[name])
    return _subnets_on(network, types, props) if network is not None else set()


def _floating_ip(name, types, props, explicit) -> set[str]:
    own = props[name] if isinstance(props[name], Mapping) else {}
    network = _network(own, 'floating_network', 'floating_network_id')
    required = {r for r in _of(ROUTER, types) if network is not None
                and _gateway_network(props[r]) == network}
    port_subnets = [fixed.get('subnet') or fixed.get('subnet_id')
                    for port in explicit.get(name, ())
                    if types.get(port) == PORT
                    for fixed in _fixed_ips(props[port])]
    for interface in _of(INTERFACE, types):
        subnet = _network(props[interface], 'subnet', 'subnet_id')
        if subnet is not None and subnet in port_subnets:
            required.add(interface)
    return required


def _extra_route_set(name, types, props, explicit) -> set[str]:
    router = _network(props[name], 'router')
    if router is None:
        return set()
    return {i for i in _of(INTERFACE, types)
            if _network(props[i], 'router', 'router_id') == router}


def _fixed_ips(port_props) -> list[Mapping]:
    fixed = port_props.get('fixed_ips') if isinstance(port_props,
                                                      Mapping) else None
    return [f for f in fixed if isinstance(f, Mapping)] if isinstance(
        fixed, list) else []


_RULES = {PORT: _port, SERVER: _server, ROUTER: _router,
          FLOATING_IP: _floating_ip, ROUTE_SET: _extra_route_set}
