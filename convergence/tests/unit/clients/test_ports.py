"""The cloud ports' implementations, real and twin, method by method
(``typing.Protocol`` checks nothing at run time)."""

from oslo_config import cfg
import testtools

from convergence import config
from convergence import cloud_ports
from convergence.clients import clouds
from convergence.clients import memory
from convergence.clients import memory_stack_domain
from convergence.clients import stack_domain
from convergence.clients import stack_users
from convergence.clients import network
from convergence.tests.unit.db.test_ports import mismatches


class CloudPortsTest(testtools.TestCase):

    def test_the_real_clouds_and_the_twin_satisfy_ports_clouds(self):
        self.assertEqual([], mismatches(cloud_ports.Clouds, clouds.CloudClients(
            config.register(cfg.ConfigOpts()), None)))
        self.assertEqual([], mismatches(cloud_ports.Clouds,
                                        memory.InMemoryClouds()))

    def test_the_stack_users_satisfy_ports_and_both_domains_agree(self):
        self.assertEqual([], mismatches(cloud_ports.StackUsers,
                                        stack_users.StackUsers(
                                            None, None, 't', 's')))
        real = stack_domain.KeystoneStackDomain
        twin = memory_stack_domain.InMemoryStackDomain
        public = {name for name in dir(real) if not name.startswith('_')}
        self.assertEqual(set(), public - set(dir(twin)))

    def test_both_networks_satisfy_ports_network_api(self):
        self.assertEqual([], mismatches(cloud_ports.NetworkAPI,
                                        network.SdkNetwork(None, 0)))
        self.assertEqual([], mismatches(cloud_ports.NetworkAPI,
                                        memory.InMemoryNetwork()))

    def test_both_clouds_satisfy_ports_cloud(self):
        self.assertEqual([], mismatches(cloud_ports.Cloud, clouds.OpenStackCloud(
            None, None, None)))
        self.assertEqual([], mismatches(cloud_ports.Cloud, memory.InMemoryCloud()))
