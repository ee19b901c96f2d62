"""A SOFTWARE_CONFIG server's user_data: Heat's cloud-init multipart with
the user's parts and the os-collect-config metadata as cfn-init-data."""

import email
import json

import testtools

from convergence.resources.nova import server_software_config as sw


def _parts(user_data: str) -> list[tuple]:
    message = email.message_from_string(user_data)
    return [(part.get_content_type(), part.get_filename(),
             part.get_payload()) for part in message.get_payload()]


class UserDataTest(testtools.TestCase):

    METADATA = {'os-collect-config': {'collectors': ['ec2', 'request'],
                                      'request': {'metadata_url': 'u'}},
                'deployments': []}

    def test_the_metadata_rides_as_cfn_init_data_after_the_users_script(self):
        parts = _parts(sw.user_data('#!/bin/sh\necho hi', self.METADATA))
        self.assertEqual(
            [('text/cloud-config', 'cloud-config'),
             ('text/part-handler', 'part-handler.py'),
             ('text/plain', None),
             ('text/x-cfninitdata', 'cfn-init-data')],
            [p[:2] for p in parts])
        self.assertEqual('#!/bin/sh\necho hi', parts[2][2])
        self.assertEqual(self.METADATA, json.loads(parts[3][2]))
        self.assertIn("'text/x-cfninitdata'", parts[1][2])

    def test_a_multipart_user_data_gives_each_of_its_parts(self):
        given = sw.user_data('#!/bin/sh\necho a', {})
        parts = _parts(sw.user_data(given, self.METADATA))
        # cloud-config and part handler, the given message's four, then
        # the metadata.
        self.assertEqual(7, len(parts))
        self.assertEqual('#!/bin/sh\necho a', parts[4][2])
        self.assertEqual(self.METADATA, json.loads(parts[-1][2]))

    def test_no_user_data_is_only_heats_parts(self):
        parts = _parts(sw.user_data('', self.METADATA))
        self.assertEqual(['cloud-config', 'part-handler.py',
                          'cfn-init-data'], [p[1] for p in parts])
