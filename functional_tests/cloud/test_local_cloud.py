"""The local cloud works, checked through its own APIs (openstacksdk).

Each test works as the non-admin demo user and proves that what it made
(and what the cloud made for it, such as a server's port) is gone
afterwards.  Only those ids are checked, so other users of the demo
project (a Heat test run, another session) do not disturb the check.
"""

import uuid

import testtools

from functional_tests.cloud import local_cloud

# Seconds a fake server may take to become ACTIVE or go away (~3 s here).
SERVER_TIMEOUT = 120
# Seconds a fake volume may take to become available or go away.
VOLUME_TIMEOUT = 120


class LocalCloudTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.cloud = local_cloud.get()
        self.demo = self.cloud.connection('demo')
        self.made = []
        # the first clean-up runs last, after the test's own
        self.addCleanup(lambda: self.assertEqual([], self.left()))

    def record(self, kind: str, resource):
        """Note ``resource`` (a ``kind`` of the demo connection) as made."""
        self.made.append((kind, resource.id))
        return resource

    def left(self) -> list[tuple[str, str]]:
        """What the test made that the cloud still has."""
        finders = {'network': self.demo.network.find_network,
                   'subnet': self.demo.network.find_subnet,
                   'port': self.demo.network.find_port,
                   'server': self.demo.compute.find_server,
                   'volume': self.demo.block_storage.find_volume}
        return [(kind, id_) for kind, id_ in self.made
                if finders[kind](id_) is not None]

    def name(self, kind: str) -> str:
        return 'cc-test-%s-%s' % (kind, uuid.uuid4().hex[:8])

    def test_keystone_issues_tokens_for_admin_and_demo(self):
        admin = self.cloud.admin.session()
        roles = {}
        for user in ('admin', 'demo'):
            token = self.cloud.credentials(user).session().get_token()
            # Keystone itself vouches for the token, as a service would ask
            checked = admin.get('/auth/tokens', endpoint_filter={
                'service_type': 'identity', 'interface': 'public'},
                headers={'X-Subject-Token': token}).json()['token']
            self.assertEqual((user, user), (checked['user']['name'],
                                            checked['project']['name']))
            roles[user] = {role['name'] for role in checked['roles']}
        self.assertIn('admin', roles['admin'])
        self.assertIn('member', roles['demo'])
        self.assertNotIn('admin', roles['demo'])

    def test_network_subnet_and_port_are_made_and_deleted(self):
        net = self.record('network', self.demo.network.create_network(
            name=self.name('net')))
        self.addCleanup(self.demo.network.delete_network, net,
                        ignore_missing=True)
        subnet = self.record('subnet', self.demo.network.create_subnet(
            name=self.name('subnet'), network_id=net.id, ip_version=4,
            cidr='10.77.0.0/24'))
        self.addCleanup(self.demo.network.delete_subnet, subnet,
                        ignore_missing=True)
        port = self.record('port', self.demo.network.create_port(
            name=self.name('port'), network_id=net.id,
            fixed_ips=[{'subnet_id': subnet.id}]))
        self.assertEqual(subnet.id, port.fixed_ips[0]['subnet_id'])
        self.assertTrue(port.fixed_ips[0]['ip_address'].startswith('10.77.'))
        self.demo.network.delete_port(port)
        self.demo.network.delete_subnet(subnet)
        self.demo.network.delete_network(net)
        self.assertIsNone(self.demo.network.find_network(net.id))

    def test_a_server_becomes_active_with_a_port_and_is_deleted(self):
        seed = self.cloud.seed
        server = self.record('server', self.demo.compute.create_server(
            name=self.name('server'), image_id=seed.image,
            flavor_id=seed.flavor,
            networks=[{'uuid': seed.private_network}]))
        self.addCleanup(self._delete_server, server)
        server = self.demo.compute.wait_for_server(
            server, status='ACTIVE', wait=SERVER_TIMEOUT)
        ports = [self.record('port', port) for port in
                 self.demo.network.ports(device_id=server.id)]
        self.assertEqual(1, len(ports))
        self.assertEqual(('ACTIVE', seed.private_network),
                         (ports[0].status, ports[0].network_id))
        self.assertIn('private', server.addresses)
        self._delete_server(server)
        self.assertEqual([], list(self.demo.network.ports(
            device_id=server.id)))

    def _delete_server(self, server):
        self.demo.compute.delete_server(server, ignore_missing=True)
        self.demo.compute.wait_for_delete(server, wait=SERVER_TIMEOUT)

    def test_a_volume_becomes_available_and_is_deleted(self):
        volume = self.record('volume', self.demo.block_storage.create_volume(
            name=self.name('volume'), size=1))
        self.addCleanup(self._delete_volume, volume)
        volume = self.demo.block_storage.wait_for_status(
            volume, status='available', failures=['error'],
            wait=VOLUME_TIMEOUT)
        self.assertEqual(1, volume.size)
        self._delete_volume(volume)

    def _delete_volume(self, volume):
        self.demo.block_storage.delete_volume(volume, ignore_missing=True)
        self.demo.block_storage.wait_for_delete(volume, wait=VOLUME_TIMEOUT)
