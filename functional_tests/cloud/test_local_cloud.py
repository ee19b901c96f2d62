"""The local cloud works, checked through its own APIs (openstacksdk).

Each test works as the non-admin demo user and proves what it made is gone
afterwards: the demo project's servers, ports, networks, subnets and
volumes are the same after the test as before it.
"""

import uuid

import testtools

from functional_tests.cloud import local_cloud

# Seconds a fake server may take to become ACTIVE or go away (~3 s here).
SERVER_TIMEOUT = 120
# Seconds a fake volume may take to become available or go away.
VOLUME_TIMEOUT = 120


def inventory(conn) -> dict[str, set[str]]:
    """The ids of what the connection's project owns, by kind."""
    project = conn.current_project_id
    return {
        'servers': {s.id for s in conn.compute.servers()},
        'ports': {p.id for p in conn.network.ports(project_id=project)},
        'networks': {n.id for n in conn.network.networks(
            project_id=project)},
        'subnets': {s.id for s in conn.network.subnets(project_id=project)},
        'volumes': {v.id for v in conn.block_storage.volumes()},
    }


class LocalCloudTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.cloud = local_cloud.get()
        self.demo = self.cloud.connection('demo')
        self.before = inventory(self.demo)

    def tearDown(self):
        super().tearDown()
        # after every addCleanup ran: nothing the test made is left
        self.assertEqual(self.before, inventory(self.demo))

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
        net = self.demo.network.create_network(name=self.name('net'))
        self.addCleanup(self.demo.network.delete_network, net,
                        ignore_missing=True)
        subnet = self.demo.network.create_subnet(
            name=self.name('subnet'), network_id=net.id, ip_version=4,
            cidr='10.77.0.0/24')
        self.addCleanup(self.demo.network.delete_subnet, subnet,
                        ignore_missing=True)
        port = self.demo.network.create_port(
            name=self.name('port'), network_id=net.id,
            fixed_ips=[{'subnet_id': subnet.id}])
        self.assertEqual(subnet.id, port.fixed_ips[0]['subnet_id'])
        self.assertTrue(port.fixed_ips[0]['ip_address'].startswith('10.77.'))
        self.demo.network.delete_port(port)
        self.demo.network.delete_subnet(subnet)
        self.demo.network.delete_network(net)
        self.assertIsNone(self.demo.network.find_network(net.id))

    def test_a_server_becomes_active_with_a_port_and_is_deleted(self):
        seed = self.cloud.seed
        server = self.demo.compute.create_server(
            name=self.name('server'), image_id=seed.image,
            flavor_id=seed.flavor,
            networks=[{'uuid': seed.private_network}])
        self.addCleanup(self._delete_server, server)
        server = self.demo.compute.wait_for_server(
            server, status='ACTIVE', wait=SERVER_TIMEOUT)
        ports = list(self.demo.network.ports(device_id=server.id))
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
        volume = self.demo.block_storage.create_volume(
            name=self.name('volume'), size=1)
        self.addCleanup(self._delete_volume, volume)
        volume = self.demo.block_storage.wait_for_status(
            volume, status='available', failures=['error'],
            wait=VOLUME_TIMEOUT)
        self.assertEqual(1, volume.size)
        self._delete_volume(volume)

    def _delete_volume(self, volume):
        self.demo.block_storage.delete_volume(volume, ignore_missing=True)
        self.demo.block_storage.wait_for_delete(volume, wait=VOLUME_TIMEOUT)
