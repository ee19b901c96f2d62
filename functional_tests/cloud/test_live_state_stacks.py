"""Convergence against reality on a real cloud (decision 34), through our
REST API: each test changes what a stack made through the cloud's own API
(as the project's user), sees ``stack check`` fail naming it, updates the
stack with the same template and finds the cloud as the template says
(checked through the cloud's API), then a clean check.

The project's user has the admin role too (OS::Nova::Flavor is admin
only).  The cloud needs the image and flavor of test_nova_stacks and an
external network (the seed's ``public``); the volume test is skipped when
block storage does not answer.
"""

import os
import uuid

from functional_tests.cloud import stacks

IMAGE = os.environ.get('CONV_CLOUD_IMAGE', 'tiny')
FLAVOR = os.environ.get('CONV_CLOUD_FLAVOR', 'm1.tiny')
RESIZE_FLAVOR = os.environ.get('CONV_CLOUD_RESIZE_FLAVOR', 'm1.small')


def network(cidr: str) -> dict:
    return {
        'net': {'type': 'OS::Neutron::Net', 'properties': {}},
        'sub': {'type': 'OS::Neutron::Subnet',
                'properties': {'network': {'get_resource': 'net'},
                               'cidr': cidr}},
        'port': {'type': 'OS::Neutron::Port', 'depends_on': ['sub'],
                 'properties': {'network': {'get_resource': 'net'}}}}


def server(networks: list, **props) -> dict:
    return {'type': 'OS::Nova::Server', 'depends_on': ['sub'],
            'properties': dict({'image': IMAGE, 'flavor': FLAVOR,
                                'networks': networks}, **props)}


def template(resources: dict) -> dict:
    return {'heat_template_version': '2018-08-31', 'resources': resources}


class LiveStateStackTest(stacks.CloudStackTest):

    users_prefix = 'cl-live'
    users_roles = ('member', 'admin')

    def reasons(self, name: str, stack_id: str) -> dict:
        return {n: r['resource_status_reason'] for n, r in self.resources(
            name, stack_id).items() if r['resource_status'] == 'CHECK_FAILED'}

    def converged(self, name: str, stack_id: str, tmpl: dict) -> dict:
        """Update with the same template; the ids after it, once a check
        finds nothing changed."""
        self.update(name, stack_id, tmpl)
        self.wait(name, stack_id, 'UPDATE_COMPLETE')
        stack = self.checked(name, stack_id)
        self.assertEqual('CHECK_COMPLETE', stack['stack_status'],
                         stack['stack_status_reason'])
        return self.ids(name, stack_id)

    def test_interfaces_attached_and_detached_are_put_back(self):
        tmpl = template(dict(network('10.91.0.0/24'), server=server([
            {'port': {'get_resource': 'port'}},
            {'subnet': {'get_resource': 'sub'}}])))
        stack_id = self.create('lv-nets', tmpl)
        self.wait('lv-nets', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('lv-nets', stack_id)
        compute = self.member.compute
        compute.delete_server_interface(ids['port'], server=ids['server'])
        extra = compute.create_server_interface(
            ids['server'], net_id=ids['net']).port_id
        self._wait_ports(ids['server'], lambda ports: ids['port'] not in
                         ports and extra in ports)

        stack = self.checked('lv-nets', stack_id)
        self.assertEqual('CHECK_FAILED', stack['stack_status'])
        reason = self.reasons('lv-nets', stack_id)['server']
        self.assertIn("'networks': expected '[{'port': '%s'}, {'subnet': "
                      "'%s'}]', got '[{'subnet': '%s'}, {'port': '%s'}]'"
                      % (ids['port'], ids['sub'], ids['sub'], extra), reason)

        self.assertEqual(ids, self.converged('lv-nets', stack_id, tmpl))
        ports = self._ports_of(ids['server'])
        self.assertIn(ids['port'], ports)
        self.assertNotIn(extra, ports)
        self.assertEqual(2, len(ports))
        self.delete('lv-nets', stack_id)

    def test_a_replaced_server_keeps_its_subnets_fixed_ip(self):
        """The gap decision 26 left: the old server's port gives the
        address up before the replacement asks for it."""
        nets = [{'subnet': {'get_resource': 'sub'},
                 'fixed_ip': '10.92.0.50'}]
        tmpl = template(dict(network('10.92.0.0/24'), server=server(
            nets, flavor_update_policy='REPLACE')))
        stack_id = self.create('lv-rip', tmpl)
        self.wait('lv-rip', stack_id, 'CREATE_COMPLETE')
        old = self.ids('lv-rip', stack_id)['server']
        tmpl['resources']['server']['properties']['flavor'] = RESIZE_FLAVOR
        self.update('lv-rip', stack_id, tmpl)
        self.wait('lv-rip', stack_id, 'UPDATE_COMPLETE')
        new = self.ids('lv-rip', stack_id)['server']
        self.assertNotEqual(old, new)
        [port] = list(self.member.network.ports(device_id=new))
        self.assertEqual(['10.92.0.50'],
                         [f['ip_address'] for f in port.fixed_ips])
        self.delete('lv-rip', stack_id)

    def test_a_floating_ip_gateway_and_interface_are_put_back(self):
        public = self.users.admin.network.find_network('public')
        if public is None:
            self.skipTest('the cloud has no external network "public"')
        resources = network('10.93.0.0/24')
        resources.update({
            'router': {'type': 'OS::Neutron::Router', 'properties': {
                'external_gateway_info': {'network': public.id}}},
            'face': {'type': 'OS::Neutron::RouterInterface', 'properties': {
                'router': {'get_resource': 'router'},
                'subnet': {'get_resource': 'sub'}}},
            'fip': {'type': 'OS::Neutron::FloatingIP', 'depends_on': ['face'],
                    'properties': {'floating_network': public.id,
                                   'port_id': {'get_resource': 'port'}}}})
        tmpl = template(resources)
        stack_id = self.create('lv-fip', tmpl)
        self.wait('lv-fip', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('lv-fip', stack_id)
        neutron = self.member.network
        # Neutron keeps an interface or a gateway that floating IPs use:
        # the floating IP is dissociated first.
        neutron.update_ip(ids['fip'], port_id=None)
        neutron.remove_interface_from_router(ids['router'],
                                             subnet=ids['sub'])
        neutron.update_router(ids['router'], external_gateway_info={})
        # As Heat's, a check does not look at what requires a resource it
        # found failed: each update converges what its check found, the
        # next check sees what depends on it.
        for name, reason in (
                ('router', "'external_gateway_info': expected '{'network': "
                           "'%s'}', got 'None'" % public.id),
                ('face', 'Router interface %s could not be found'
                         % ids['face']),
                ('fip', "'port_id': expected '%s', got 'None'"
                        % ids['port'])):
            stack = self.checked('lv-fip', stack_id)
            self.assertEqual('CHECK_FAILED', stack['stack_status'])
            reasons = self.reasons('lv-fip', stack_id)
            self.assertEqual([name], list(reasons))
            self.assertIn(reason, reasons[name])
            self.update('lv-fip', stack_id, tmpl)
            self.wait('lv-fip', stack_id, 'UPDATE_COMPLETE')
        stack = self.checked('lv-fip', stack_id)
        self.assertEqual('CHECK_COMPLETE', stack['stack_status'],
                         stack['stack_status_reason'])
        self.assertEqual(ids, self.ids('lv-fip', stack_id))
        self.assertEqual(ids['port'], neutron.get_ip(ids['fip']).port_id)
        self.assertEqual(public.id, neutron.get_router(
            ids['router']).external_gateway_info['network_id'])
        self.assertEqual(1, len([p for p in neutron.ports(
            device_id=ids['router'], network_id=ids['net'])]))
        self.delete('lv-fip', stack_id)

    def test_nova_types_gone_are_recreated_and_a_flavor_put_back(self):
        key = 'lv-key-%s' % uuid.uuid4().hex[:6]
        tmpl = template({
            'sg': {'type': 'OS::Neutron::SecurityGroup', 'properties': {}},
            'rule': {'type': 'OS::Neutron::SecurityGroupRule', 'properties': {
                'security_group': {'get_resource': 'sg'},
                'port_range_min': 22, 'port_range_max': 22}},
            'key': {'type': 'OS::Nova::KeyPair', 'properties': {'name': key}},
            'group': {'type': 'OS::Nova::ServerGroup', 'properties': {}},
            'flavor': {'type': 'OS::Nova::Flavor', 'properties': {
                'ram': 64, 'vcpus': 1, 'is_public': False,
                'extra_specs': {'hw:cpu_policy': 'shared'}}}})
        stack_id = self.create('lv-nova', tmpl)
        self.wait('lv-nova', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('lv-nova', stack_id)
        compute, admin = self.member.compute, self.users.admin.compute
        self.member.network.delete_security_group_rule(ids['rule'])
        compute.delete_keypair(key)
        compute.delete_server_group(ids['group'])
        admin.update_flavor_extra_specs_property(
            ids['flavor'], 'hw:cpu_policy', 'dedicated')
        admin.flavor_add_tenant_access(ids['flavor'],
                                       self.users.admin.current_project_id)

        stack = self.checked('lv-nova', stack_id)
        self.assertEqual('CHECK_FAILED', stack['stack_status'])
        reasons = self.reasons('lv-nova', stack_id)
        self.assertIn('Keypair %s could not be found' % key, reasons['key'])
        self.assertIn(ids['group'], reasons['group'])
        self.assertIn(ids['rule'], reasons['rule'])
        self.assertIn("'extra_specs': expected '{'hw:cpu_policy': "
                      "'shared'}', got '{'hw:cpu_policy': 'dedicated'}'",
                      reasons['flavor'])
        self.assertIn("'tenants': expected", reasons['flavor'])

        after = self.converged('lv-nova', stack_id, tmpl)
        self.assertEqual((ids['key'], ids['flavor']),
                         (after['key'], after['flavor']))
        self.assertEqual(key, compute.get_keypair(key).name)
        self.assertIsNotNone(compute.get_server_group(after['group']))
        self.assertIsNotNone(self.member.network.get_security_group_rule(
            after['rule']))
        flavor = admin.fetch_flavor_extra_specs(ids['flavor'])
        self.assertEqual({'hw:cpu_policy': 'shared'}, flavor.extra_specs)
        self.assertEqual([self.users.project.id], [
            a['tenant_id'] for a in admin.get_flavor_access(ids['flavor'])])
        self.delete('lv-nova', stack_id)
        self.assertIsNone(compute.find_keypair(key))

    def test_a_volume_changed_and_detached_is_put_back(self):
        try:
            list(self.member.block_storage.volumes())
        except Exception as exc:
            self.skipTest('the cloud\'s block storage does not answer: %s'
                          % exc)
        resources = network('10.94.0.0/24')
        resources.update({
            'server': server([{'port': {'get_resource': 'port'}}]),
            'vol': {'type': 'OS::Cinder::Volume', 'properties': {
                'size': 1, 'name': 'lv-vol', 'description': 'kept',
                'metadata': {'role': 'data'}}},
            'att': {'type': 'OS::Cinder::VolumeAttachment', 'properties': {
                'instance_uuid': {'get_resource': 'server'},
                'volume_id': {'get_resource': 'vol'}}}})
        tmpl = template(resources)
        stack_id = self.create('lv-vol', tmpl)
        self.wait('lv-vol', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('lv-vol', stack_id)
        cinder = self.member.block_storage
        self.member.compute.delete_volume_attachment(ids['server'],
                                                     ids['vol'])
        self._wait_volume(ids['vol'], 'available')
        stack = self.checked('lv-vol', stack_id)
        self.assertEqual('CHECK_FAILED', stack['stack_status'])
        self.assertIn(ids['vol'], self.reasons('lv-vol', stack_id)['att'])
        self.assertEqual(ids, self.converged('lv-vol', stack_id, tmpl))
        self.assertEqual(('in-use', ids['server']), (
            cinder.get_volume(ids['vol']).status,
            cinder.get_volume(ids['vol']).attachments[0]['server_id']))

        cinder.update_volume(ids['vol'], name='renamed',
                             description='changed')
        cinder.set_volume_metadata(ids['vol'], role='changed')
        stack = self.checked('lv-vol', stack_id)
        self.assertEqual('CHECK_FAILED', stack['stack_status'])
        self.assertEqual(
            "Error: resources.vol: 'description': expected 'kept', got "
            "'changed'\n'metadata': expected '{'role': 'data'}', got "
            "'{'role': 'changed'}'\n'name': expected 'lv-vol', got "
            "'renamed'", self.reasons('lv-vol', stack_id)['vol'])
        self.assertEqual(ids, self.converged('lv-vol', stack_id, tmpl))
        volume = cinder.get_volume(ids['vol'])
        self.assertEqual(('lv-vol', 'kept', 'data', 'in-use'), (
            volume.name, volume.description, volume.metadata.get('role'),
            volume.status))
        self.delete('lv-vol', stack_id)

    # --- waits on the cloud ---

    def _ports_of(self, server_id: str) -> set:
        return {p.id for p in self.member.network.ports(device_id=server_id)}

    def _wait_ports(self, server_id: str, done) -> None:
        import time
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if done(self._ports_of(server_id)):
                return
            time.sleep(1)
        self.fail('the server\'s ports did not change')

    def _wait_volume(self, volume_id: str, status: str) -> None:
        import time
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.member.block_storage.get_volume(volume_id).status == \
                    status:
                return
            time.sleep(1)
        self.fail('volume %s did not become %s' % (volume_id, status))
