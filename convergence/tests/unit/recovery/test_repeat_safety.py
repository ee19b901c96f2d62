"""Which interrupted actions the sweeper drives again in place."""

import testtools

from convergence.recovery import sweeper


def _row(type_name: str, action: str = 'CREATE', physical_id: str = 'p'):
    return {'type': type_name, 'action': action,
            'physical_resource_id': physical_id}


class TestRepeatIsSafe(testtools.TestCase):

    def test_a_type_safe_to_repeat_is_repeated_whatever_it_did(self):
        self.assertTrue(sweeper._repeat_is_safe(
            _row('OS::Heat::RandomString', 'UPDATE', '')))

    def test_a_cloud_create_with_its_id_recorded_is_resumed(self):
        for type_name in ('OS::Nova::Server', 'OS::Cinder::Volume',
                          'OS::Cinder::VolumeAttachment', 'OS::Neutron::Port',
                          'OS::Neutron::Net', 'OS::Neutron::Subnet'):
            self.assertTrue(sweeper._repeat_is_safe(_row(type_name)),
                            type_name)

    def test_a_cloud_create_without_its_id_is_replaced(self):
        for type_name in ('OS::Cinder::Volume', 'OS::Neutron::Port'):
            self.assertFalse(sweeper._repeat_is_safe(_row(
                type_name, physical_id='')), type_name)

    def test_a_create_that_marks_what_it_makes_is_resumed_without_its_id(
            self):
        # a server is tagged with its row's uuid, and found by it
        self.assertTrue(sweeper._repeat_is_safe(_row('OS::Nova::Server',
                                                     physical_id='')))

    def test_other_cloud_actions_are_not_repeated(self):
        self.assertFalse(sweeper._repeat_is_safe(_row('OS::Nova::Server',
                                                      'UPDATE')))

    def test_a_create_that_does_more_after_the_request_is_not_resumed(self):
        # a security group's rules are made after the group itself
        self.assertFalse(sweeper._repeat_is_safe(
            _row('OS::Neutron::SecurityGroup')))

    def test_an_unknown_type_is_not_repeated(self):
        self.assertFalse(sweeper._repeat_is_safe(_row('OS::No::Such')))
