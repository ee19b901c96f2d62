"""An in-memory cloud seeded as the minicloud is: flavors m1.tiny and
m1.small, image tiny, a network private with a subnet."""

from convergence.tests.unit.resources.neutron.fixtures import OnCloud


def seeded_cloud() -> OnCloud:
    on = OnCloud()
    compute = on.cloud.compute
    flavors = (('1', 'm1.tiny', 512), ('2', 'm1.small', 2048))
    for flavor_id, name, ram in flavors:
        compute.resources['flavor'][flavor_id] = {
            'id': flavor_id, 'name': name, 'ram': ram, 'vcpus': 1,
            'disk': 1}
    on.image_id = on.cloud.image.add('tiny')['id']
    on.other_image_id = on.cloud.image.add('tiny2')['id']
    net = on.network.create('network', {'name': 'private'})
    on.net_id = net['id']
    on.subnet_id = on.network.create('subnet', {
        'network_id': net['id'], 'cidr': '10.0.0.0/24'})['id']
    on.network.calls.clear()
    return on


def run_until_done(res, action: str, **kwargs):
    """run_action, on the plugin's fake clock."""
    from convergence.resources.runner import run_action
    run_action(res, action, res.context.clock, **kwargs)
