"""Heat's HEAT_CFNTOOLS multipart for AWS::EC2::Instance
(resources/nova/cloud_init.py)."""

import email
import json

import testtools

from convergence.resources.nova import cloud_init


def _parts(message: str) -> list[tuple]:
    return [(p.get_content_type(), p.get_filename(), p.get_payload())
            for p in email.message_from_string(message).get_payload()]


class CfnToolsTest(testtools.TestCase):

    def test_the_parts_in_heats_order(self):
        parts = _parts(cloud_init.cfntools('#!/bin/sh\necho hi',
                                           {'a': 1}, 'ec2-user'))
        self.assertEqual([
            ('text/cloud-config', 'cloud-config'),
            ('text/cloud-boothook', 'boothook.sh'),
            ('text/part-handler', 'part-handler.py'),
            ('text/x-cfninitdata', 'cfn-userdata'),
            ('text/x-shellscript', 'loguserdata.sh'),
            ('text/x-cfninitdata', 'cfn-init-data')],
            [(kind, name) for kind, name, _ in parts])
        self.assertIn('user: ec2-user', parts[0][2])
        self.assertIn('useradd -m ec2-user', parts[1][2])
        self.assertEqual('#!/bin/sh\necho hi', parts[3][2])
        self.assertIn('/var/lib/heat-cfntools/cfn-userdata', parts[4][2])
        self.assertEqual({'a': 1}, json.loads(parts[5][2]))

    def test_no_metadata_no_cfn_init_data_and_empty_user_data(self):
        parts = _parts(cloud_init.cfntools(None, {}, 'ec2-user'))
        self.assertEqual(['cloud-config', 'boothook.sh', 'part-handler.py',
                          'cfn-userdata', 'loguserdata.sh'],
                         [name for _, name, _ in parts])
        self.assertEqual('', parts[3][2])

    def test_no_heat_api_cfn_parts(self):
        """Nothing serves heat-api-cfn here: no URL nothing answers."""
        names = [name for _, name, _ in _parts(
            cloud_init.cfntools('x', {'m': 1}, 'ec2-user'))]
        self.assertNotIn('cfn-metadata-server', names)
        self.assertNotIn('cfn-boto-cfg', names)
