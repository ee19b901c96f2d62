"""Convergence against reality for servers' interfaces, keypairs, floating
IPs and volumes through the engine, on the in-memory cloud (decision 34).

A stack check fails naming what changed behind the stack's back (an
interface attached or detached, a floating IP moved, a volume renamed),
and the next update puts the template's state back in place; what is gone
(a keypair) is recreated, and the old row's cleanup leaves the new one
alone though it has the same physical id.  A server replaced with a
``subnet`` + ``fixed_ip`` entry hands its address over to its
replacement.
"""

from convergence.tests.scenarios import test_nova_scenarios as nova

NAME = nova.NAME


def template(networks=None, server_props=None, extra=None) -> dict:
    props = {'flavor': 'm1.tiny', 'image': 'tiny',
             'key_name': {'get_resource': 'key'},
             'networks': networks or [{'port': {'get_resource': 'port'}}]}
    props.update(server_props or {})
    resources = {
        'net': {'type': 'OS::Neutron::Net', 'properties': {}},
        'sub': {'type': 'OS::Neutron::Subnet',
                'properties': {'network': {'get_resource': 'net'},
                               'cidr': '10.0.0.0/24'}},
        'port': {'type': 'OS::Neutron::Port',
                 'properties': {'network': {'get_resource': 'net'},
                                'fixed_ips': [
                                    {'subnet': {'get_resource': 'sub'}}]}},
        'key': {'type': 'OS::Nova::KeyPair', 'properties': {'name': 'k1'}},
        'server': {'type': 'OS::Nova::Server', 'depends_on': ['sub'],
                   'properties': props}}
    resources.update(extra or {})
    return {'heat_template_version': '2018-08-31', 'resources': resources}


class LiveStateTest(nova.NovaCloudScenario):
    """The in-memory cloud of the Nova scenarios; every create and update
    here must complete."""

    def create(self, tmpl: dict) -> None:
        super().create(tmpl)
        self.assertTrue(self.state().startswith('CREATE_COMPLETE'),
                        self.state())

    def update(self, tmpl: dict) -> None:
        super().update(tmpl)
        self.assertTrue(self.state().startswith('UPDATE_COMPLETE'),
                        self.state())

    def rows(self) -> dict:
        stack = self.scenario.db.stack_get_by_name('test', NAME)
        return {r['name']: r for r in self.scenario.db.resources_of_stack(
            stack['id']) if r['replaced_by'] is None}

    def attached(self, server_id: str) -> set:
        return {p['id'] for p in self.network.resources['port'].values()
                if p['device_id'] == server_id}

    # --- the tests ---

    def test_interfaces_changed_behind_the_stacks_back_are_put_back(self):
        tmpl = template()
        self.create(tmpl)
        rows = self.rows()
        server, port = (rows['server']['physical_resource_id'],
                        rows['port']['physical_resource_id'])
        self.compute.detach_interface(server, port)
        self.network.resources['port'][port]['device_id'] = ''
        extra = self.compute.attach_interface(
            server, net_id=rows['net']['physical_resource_id'])['port_id']
        self.check()
        self.assertIn('CHECK_FAILED', self.state())
        self.assertEqual(
            "Error: resources.server: 'networks': expected '[{'port': "
            "'%s'}]', got '[{'port': '%s'}]'" % (port, extra),
            self.rows()['server']['status_reason'])
        self.update(tmpl)
        self.assertEqual(server, self.rows()['server'][
            'physical_resource_id'])
        self.assertEqual({port}, self.attached(server))
        self.check()
        self.assertTrue(self.state().startswith('CHECK_COMPLETE'),
                        self.state())

    def test_a_keypair_gone_is_recreated_and_kept(self):
        tmpl = template()
        self.create(tmpl)
        del self.compute.resources['keypair']['k1']
        self.check()
        self.assertIn("Keypair k1 could not be found", self.rows()['key'][
            'status_reason'])
        self.update(tmpl)
        self.assertIn('k1', self.compute.resources['keypair'])
        self.check()
        self.assertTrue(self.state().startswith('CHECK_COMPLETE'),
                        self.state())

    def test_a_replaced_server_hands_its_fixed_ip_over(self):
        networks = [{'subnet': {'get_resource': 'sub'},
                     'fixed_ip': '10.0.0.50'}]
        tmpl = template(networks, {'flavor_update_policy': 'REPLACE'})
        self.create(tmpl)
        old = self.rows()['server']['physical_resource_id']
        self.update(template(networks, {'flavor_update_policy': 'REPLACE',
                                        'flavor': 'm1.small'}))
        new = self.rows()['server']['physical_resource_id']
        self.assertNotEqual(old, new)
        [port] = self.attached(new)
        self.assertEqual(['10.0.0.50'], [
            f['ip_address'] for f in self.network.resources['port'][port][
                'fixed_ips']])
        self.assertNotIn(old, self.compute.resources['server'])

    def test_a_floating_ip_and_a_volume_changed_are_put_back(self):
        public = self.network.create('network', {
            'name': 'public', 'router:external': True})
        self.network.create('subnet', {'network_id': public['id'],
                                       'cidr': '172.24.4.0/24'})
        extra = {
            'other': {'type': 'OS::Neutron::Port', 'depends_on': ['sub'],
                      'properties': {'network': {'get_resource': 'net'}}},
            'fip': {'type': 'OS::Neutron::FloatingIP', 'properties': {
                'floating_network': 'public',
                'port_id': {'get_resource': 'port'}}},
            'vol': {'type': 'OS::Cinder::Volume', 'properties': {
                'size': 1, 'name': 'v1', 'metadata': {'a': 'b'}}}}
        tmpl = template(extra=extra)
        self.create(tmpl)
        rows = self.rows()
        fip, port, other, vol = (rows[n]['physical_resource_id'] for n in (
            'fip', 'port', 'other', 'vol'))
        self.network.update('floatingip', fip, {'port_id': other})
        self.volumes.update('volume', vol, {'name': 'renamed'})
        self.volumes.set_metadata(vol, {'a': 'c'})
        self.check()
        rows = self.rows()
        self.assertEqual("Error: resources.fip: 'port_id': expected '%s', "
                         "got '%s'" % (port, other),
                         rows['fip']['status_reason'])
        self.assertEqual("Error: resources.vol: 'metadata': expected "
                         "'{'a': 'b'}', got '{'a': 'c'}'\n'name': expected "
                         "'v1', got 'renamed'", rows['vol']['status_reason'])
        self.update(tmpl)
        self.assertEqual((port, 'v1', {'a': 'b'}), (
            self.network.resources['floatingip'][fip]['port_id'],
            self.volumes.resources['volume'][vol]['name'],
            self.volumes.resources['volume'][vol]['metadata']))
        self.assertEqual((fip, vol), (
            self.rows()['fip']['physical_resource_id'],
            self.rows()['vol']['physical_resource_id']))
        self.check()
        self.assertTrue(self.state().startswith('CHECK_COMPLETE'),
                        self.state())
