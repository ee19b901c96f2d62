"""Servers and volumes through the engine, on the in-memory cloud.

A server on a port of the stack is replaced (its flavor_update_policy says
REPLACE): the old server gives up the port before its replacement is made
(prepare_for_replace), the replacement takes it, the old one is deleted.
A server deleted behind the stack's back fails the stack check naming it,
and the next update recreates it (issue 14 item 4); a server resized and
a port readdressed behind its back fail the check naming what changed, and
the next update puts both back in place (decision 26).  A volume attached
to the server is detached before either is deleted.
"""

from convergence.tests.scenarios import framework
from convergence.tests.scenarios import member_cloud

NAME = framework.STACK_NAME


def template(flavor: str = 'm1.tiny', volume: bool = False) -> dict:
    resources = {
        'net': {'type': 'OS::Neutron::Net', 'properties': {}},
        'sub': {'type': 'OS::Neutron::Subnet',
                'properties': {'network': {'get_resource': 'net'},
                               'cidr': '10.0.0.0/24'}},
        'port': {'type': 'OS::Neutron::Port',
                 'properties': {'network': {'get_resource': 'net'},
                                'fixed_ips': [
                                    {'subnet': {'get_resource': 'sub'}}]}},
        'server': {'type': 'OS::Nova::Server', 'properties': {
            'flavor': flavor, 'image': 'tiny',
            'flavor_update_policy': 'REPLACE',
            'networks': [{'port': {'get_resource': 'port'}}]}}}
    if volume:
        resources['vol'] = {'type': 'OS::Cinder::Volume',
                            'properties': {'size': 1}}
        resources['att'] = {'type': 'OS::Cinder::VolumeAttachment',
                            'properties': {
                                'instance_uuid': {'get_resource': 'server'},
                                'volume_id': {'get_resource': 'vol'}}}
    return {'heat_template_version': '2018-08-31', 'resources': resources,
            'outputs': {'ip': {'value': {'get_attr': ['server',
                                                      'first_address']}}}}


class NovaCloudScenario(member_cloud.MemberCloudScenario):
    """Given the in-memory cloud with flavors m1.tiny and m1.small and the
    image tiny, a member of project test."""

    services = ('identity', 'network', 'compute', 'volumev3', 'image')

    def setUp(self):
        super().setUp()
        cloud = self.clouds.cloud
        self.compute, self.volumes = cloud.compute, cloud.block_storage
        for flavor_id, name in (('1', 'm1.tiny'), ('2', 'm1.small')):
            self.compute.resources['flavor'][flavor_id] = {'id': flavor_id,
                                                           'name': name}
        cloud.image.add('tiny')

    def servers(self) -> dict:
        return self.compute.resources['server']


class NovaStackTest(NovaCloudScenario):

    def test_a_replacement_takes_the_port_its_predecessor_gave_up(self):
        self.create(template())
        self.assertTrue(self.state().startswith('CREATE_COMPLETE'),
                        self.state())
        [old] = list(self.servers())
        [port] = list(self.network.resources['port'])
        self.update(template(flavor='m1.small'))
        self.assertTrue(self.state().startswith('UPDATE_COMPLETE'),
                        self.state())
        [new] = list(self.servers())
        self.assertNotEqual(old, new)
        self.assertEqual(({'id': '2'}, new), (
            self.servers()[new]['flavor'],
            self.network.resources['port'][port]['device_id']))
        self.assertIn(('detach_interface', 'server', old, port),
                      self.compute.calls)

    def test_a_server_gone_behind_the_stacks_back_is_recreated(self):
        self.create(template())
        [old] = list(self.servers())
        del self.servers()[old]
        self.network.resources['port'][list(self.network.resources[
            'port'])[0]]['device_id'] = ''
        self.scenario.call(self.scenario.engine_service.stack_check,
                           self.user, self.scenario._identity(NAME))
        self.scenario.run()
        self.assertIn('CHECK_FAILED', self.state())
        self.assertIn('Instance %s could not be found.' % old, self.state())
        self.update(template())
        self.assertTrue(self.state().startswith('UPDATE_COMPLETE'),
                        self.state())
        [new] = list(self.servers())
        self.assertNotEqual(old, new)
        self.assertEqual('ACTIVE', self.servers()[new]['status'])

    def test_what_changed_behind_the_stacks_back_is_updated_back(self):
        tmpl = template()
        # The server beside the port, not on it: both are checked.
        tmpl['resources']['server']['properties'].update(
            flavor_update_policy='RESIZE', networks=[
                {'network': {'get_resource': 'net'}}])
        tmpl['resources']['server']['depends_on'] = ['sub']
        tmpl['resources']['port']['properties']['fixed_ips'][0][
            'ip_address'] = '10.0.0.11'
        self.create(tmpl)
        [server] = list(self.servers())
        port = next(p['id'] for p in self.network.resources['port'].values()
                    if p['device_id'] != server)
        self.servers()[server]['flavor'] = {'id': '2'}
        self.network.update('port', port, {'fixed_ips': [
            {'subnet_id': list(self.network.resources['subnet'])[0],
             'ip_address': '10.0.0.12'}]})
        self.check()
        self.assertIn('CHECK_FAILED', self.state())
        resources = {r['name']: r for r in self.scenario.db.resources_of_stack(
            self.scenario.db.stack_get_by_name('test', NAME)['id'])}
        self.assertEqual(
            "Error: resources.server: 'flavor': expected 'm1.tiny', got "
            "'m1.small'", resources['server']['status_reason'])
        self.assertIn("'fixed_ips': expected", resources['port'][
            'status_reason'])
        self.assertIn("'ip_address': '10.0.0.12'", resources['port'][
            'status_reason'])
        self.update(tmpl)
        self.assertTrue(self.state().startswith('UPDATE_COMPLETE'),
                        self.state())
        self.assertEqual([server], list(self.servers()))
        self.assertIn(port, self.network.resources['port'])
        self.assertEqual(({'id': '1'}, '10.0.0.11'), (
            self.servers()[server]['flavor'], self.network.resources[
                'port'][port]['fixed_ips'][0]['ip_address']))
        self.check()
        self.assertTrue(self.state().startswith('CHECK_COMPLETE'),
                        self.state())

    def test_a_changed_port_marked_unhealthy_is_replaced_as_in_heat(self):
        tmpl = template()
        self.create(tmpl)
        [port] = [p for p in self.network.resources['port'].values()]
        self.network.update('port', port['id'], {'name': 'renamed'})
        self.check()
        self.assertIn('CHECK_FAILED', self.state())
        self.scenario.call(
            self.scenario.engine_service.resource_mark_unhealthy, self.user,
            self.scenario._identity(NAME), 'port', True, 'replace it')
        self.update(tmpl)
        self.assertTrue(self.state().startswith('UPDATE_COMPLETE'),
                        self.state())
        self.assertNotIn(port['id'], self.network.resources['port'])

    def test_networks_change_in_place_through_the_engine(self):
        tmpl = template()
        props = tmpl['resources']['server']['properties']
        props['networks'] = [{'network': {'get_resource': 'net'}}]
        self.create(tmpl)
        [server] = list(self.servers())
        [kept] = [p for p in self.network.resources['port'].values()
                  if p['device_id'] == server]
        props['networks'] = [{'network': {'get_resource': 'net'}},
                             {'subnet': {'get_resource': 'sub'}}]
        self.update(tmpl)
        self.assertTrue(self.state().startswith('UPDATE_COMPLETE'),
                        self.state())
        self.assertEqual([server], list(self.servers()))
        attached = {p['id'] for p in self.network.resources['port'].values()
                    if p['device_id'] == server}
        self.assertEqual(2, len(attached))
        self.assertIn(kept['id'], attached)

    def test_an_attached_volume_is_detached_before_anything_is_deleted(self):
        self.create(template(volume=True))
        self.assertTrue(self.state().startswith('CREATE_COMPLETE'),
                        self.state())
        [volume] = list(self.volumes.resources['volume'].values())
        [server] = list(self.servers())
        self.assertEqual('in-use', volume['status'])
        self.scenario.call(self.scenario.engine_service.delete_stack,
                           self.user, self.scenario._identity(NAME))
        self.scenario.run()
        self.assertEqual(({}, {}, {}), (
            self.servers(), self.volumes.resources['volume'],
            self.network.resources['port']))
        detach = self.compute.calls.index(
            ('detach_volume', 'server', server, volume['id']))
        self.assertLess(detach, self.compute.calls.index(
            ('delete', 'server', server)))


class DeadEngineTest(NovaStackTest):
    """An engine dies while the cloud builds what it asked for (issue 14
    item 5): the id it got back is on the row already, so the engine that
    recovers the row waits for that server instead of making another one
    (Heat fails the resource, and its replacement meets the port the first
    server still holds)."""

    def test_a_server_building_when_its_engine_died_is_waited_for(self):
        self.compute.fail('server', 'show', framework.SimulatedDeath(
            'the engine dies waiting for the server'))
        self.create(template())
        self.assertTrue(self.state().startswith('CREATE_IN_PROGRESS'),
                        self.state())
        [made] = list(self.servers())
        [row] = self.scenario.rows('server')
        self.assertEqual((made, 'engine-1'),
                         (row['physical_resource_id'], row['engine_id']))
        self.scenario.recover()
        self.scenario.run()
        self.assertTrue(self.state().startswith('CREATE_COMPLETE'),
                        self.state())
        self.assertEqual([made], list(self.servers()))
        self.assertEqual(1, sum(1 for call in self.compute.calls
                                if call[:2] == ('create', 'server')))
        [row] = self.scenario.rows('server')
        self.assertEqual(('CREATE', 'COMPLETE', made), (
            row['action'], row['status'], row['physical_resource_id']))

    def test_a_volume_attaching_when_its_engine_died_is_waited_for(self):
        self.volumes.fail('volume', 'show', framework.SimulatedDeath(
            'the engine dies waiting for the volume'))
        self.create(template(volume=True))
        self.scenario.recover()
        self.scenario.run()
        self.assertTrue(self.state().startswith('CREATE_COMPLETE'),
                        self.state())
        self.assertEqual(1, len(self.volumes.resources['volume']))
        self.assertEqual(1, sum(1 for call in self.volumes.calls
                                if call[:2] == ('create', 'volume')))

    def test_a_server_made_in_the_request_its_engine_died_in_is_found(self):
        """The engine dies inside Nova's create request: Nova made the
        server, the id never came back, nothing is on the row.  The
        engine that recovers the row finds the server by its row's tag
        and waits for it: nothing is made twice or left behind."""
        made_once = self.compute.create

        def made_then_died(kind, attrs):
            made = made_once(kind, attrs)
            if kind == 'server':
                self.compute.create = made_once
                raise framework.SimulatedDeath('the engine dies before '
                                               'Nova answers')
            return made
        self.compute.create = made_then_died
        self.create(template())
        [made] = list(self.servers())
        [row] = self.scenario.rows('server')
        self.assertEqual((None, 'engine-1'),
                         (row['physical_resource_id'], row['engine_id']))
        self.assertEqual(['convergence-%s' % row['uuid']],
                         self.servers()[made]['tags'])
        self.scenario.recover()
        self.scenario.run()
        self.assertTrue(self.state().startswith('CREATE_COMPLETE'),
                        self.state())
        self.assertEqual([made], list(self.servers()))
        [row] = self.scenario.rows('server')
        self.assertEqual(('CREATE', 'COMPLETE', made), (
            row['action'], row['status'], row['physical_resource_id']))
        self.scenario.call(self.scenario.engine_service.delete_stack,
                           self.user, self.scenario._identity(NAME))
        self.scenario.run()
        self.assertEqual({}, self.servers())
