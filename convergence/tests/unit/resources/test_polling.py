"""How often a cloud wait looks again (polling)."""

import testtools

from convergence.resources import polling
from convergence.resources.cloud_resource import CloudResource
from convergence.resources.neutron.base import NeutronResource
from convergence.resources.remote_stack import RemoteStack


class DelayTest(testtools.TestCase):

    def test_soon_at_first_then_less_often_up_to_the_longest(self):
        self.assertEqual([0.5, 0.75, 1.125, 1.6875, 2.53125, 3.796875, 4.0,
                          4.0], [polling.delay(n) for n in range(1, 9)])

    def test_each_plugin_instance_counts_its_own_looks(self):
        first, second = polling.BackingOff(), polling.BackingOff()
        self.assertEqual([0.5, 0.75], [first.poll_delay(None),
                                       first.poll_delay(None)])
        self.assertEqual(0.5, second.poll_delay(None))

    def test_the_cloud_types_back_off(self):
        for cls in (CloudResource, NeutronResource, RemoteStack):
            self.assertIs(polling.BackingOff.poll_delay, cls.poll_delay,
                          cls.__name__)
