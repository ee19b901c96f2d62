"""The cloud ports' implementations, real and twin, method by method
(``typing.Protocol`` checks nothing at run time)."""

import testtools

from convergence import ports
from convergence.clients import clouds
from convergence.clients import memory
from convergence.clients import network
from convergence.tests.unit.db.test_ports import mismatches


class CloudPortsTest(testtools.TestCase):

    def test_the_real_clouds_and_the_twin_satisfy_ports_clouds(self):
        self.assertEqual([], mismatches(ports.Clouds, clouds.CloudClients(
            None, None)))
        self.assertEqual([], mismatches(ports.Clouds,
                                        memory.InMemoryClouds()))

    def test_both_networks_satisfy_ports_network_api(self):
        self.assertEqual([], mismatches(ports.NetworkAPI,
                                        network.SdkNetwork(None, 0)))
        self.assertEqual([], mismatches(ports.NetworkAPI,
                                        memory.InMemoryNetwork()))

    def test_both_clouds_satisfy_ports_cloud(self):
        self.assertEqual([], mismatches(ports.Cloud, clouds.OpenStackCloud(
            None, None, None)))
        self.assertEqual([], mismatches(ports.Cloud, memory.InMemoryCloud()))
