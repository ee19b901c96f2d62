"""A replaced server's fixed IPs (server_replace, decision 34): given up
before the replacement is made, taken back on a rollback."""

import testtools

from convergence.resources.nova import server_replace
from convergence.tests.unit.resources.nova.seeded import seeded_cloud

SERVER = 'OS::Nova::Server'


class FixedIPHandOverTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.props = {'flavor': 'm1.tiny', 'image': 'tiny', 'networks': [
            {'subnet': self.on.subnet_id, 'fixed_ip': '10.0.0.50'}]}

    def addresses(self, server) -> list:
        return [f['ip_address'] for p in self.on.network.resources[
            'port'].values() if p['device_id'] == server.resource_id
            for f in p['fixed_ips']]

    def test_the_address_goes_to_the_replacement_and_comes_back(self):
        old = self.on.created(SERVER, self.props, 'server')
        server_replace.prepare(old)
        self.assertEqual([], self.addresses(old))
        new = self.on.created(SERVER, self.props, 'server')
        self.assertEqual(['10.0.0.50'], self.addresses(new))
        server_replace.restore(old, new.resource_id)
        self.assertEqual((['10.0.0.50'], []),
                         (self.addresses(old), self.addresses(new)))
        self.assertNotIn(server_replace.RELEASED_FIXED_IPS, old.context.data)

    def test_entries_on_a_port_or_without_an_address_keep_theirs(self):
        self.assertEqual({'10.0.0.7'}, server_replace.asked_addresses([
            {'network': 'n', 'fixed_ip': '10.0.0.7'},
            {'port': 'p', 'fixed_ip': '10.0.0.8'}, {'subnet': 's'}]))
        plain = self.on.created(SERVER, dict(self.props, networks=[
            {'subnet': self.on.subnet_id}]), 'plain')
        before = self.addresses(plain)
        server_replace.prepare(plain)
        self.assertEqual(before, self.addresses(plain))
