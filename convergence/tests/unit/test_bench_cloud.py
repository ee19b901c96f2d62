"""The cloud benchmark's template and its summary (bench/cloud*.py)."""

import testtools

from bench import cloud
from bench import cloud_workload


def _template(n=3, value=cloud_workload.VALUE_BEFORE):
    return cloud_workload.template(n, 'img', 'flv', 'net', value)


class TestCloudTemplate(testtools.TestCase):

    def test_every_server_has_its_port_volume_and_attachment(self):
        resources = _template(3)['resources']
        self.assertEqual(12, len(resources))
        self.assertEqual({'port': {'get_resource': 'port001'}},
                         resources['server001']['properties']['networks'][0])
        self.assertEqual({'instance_uuid': {'get_resource': 'server002'},
                          'volume_id': {'get_resource': 'vol002'}},
                         resources['att002']['properties'])
        self.assertEqual({'network': 'net'},
                         resources['port000']['properties'])
        self.assertEqual(('img', 'flv'), (
            resources['server000']['properties']['image'],
            resources['server000']['properties']['flavor']))

    def test_the_update_changes_only_the_servers_metadata(self):
        before = _template(2)['resources']
        after = _template(2, cloud_workload.VALUE_AFTER)['resources']
        changed = sorted(name for name in before
                         if before[name] != after[name])
        self.assertEqual(['server000', 'server001'], changed)
        props = after['server001']['properties']
        self.assertEqual({'bench': 'v2'}, props['metadata'])
        self.assertEqual(dict(props, metadata={'bench': 'v1'}),
                         before['server001']['properties'])

    def test_no_servers_is_refused(self):
        self.assertRaisesRegex(ValueError, 'at least 1 server, not 0',
                               _template, 0)

    def test_an_unknown_kind_is_refused_by_name(self):
        self.assertRaisesRegex(ValueError, "unknown kind 'disk'",
                               cloud_workload.name, 'disk', 1)

    def test_quotas_leave_room_for_a_failed_rounds_leftovers(self):
        wanted = cloud_workload.quotas(50)
        self.assertEqual(110, wanted['compute']['instances'])
        self.assertEqual(110, wanted['volume']['volumes'])
        self.assertEqual(120, wanted['network']['port'])


class TestSummary(testtools.TestCase):

    def _record(self, engine, op, wall, status='ok'):
        return {'engine': engine, 'n': 5, 'op': op, 'wall_s': wall,
                'status': status, 'round': 'r1'}

    def test_medians_ratio_and_share_of_the_floor(self):
        records = [self._record('floor', 'create', 10.0),
                   self._record('ours', 'create', 12.0),
                   self._record('ours', 'create', 20.0),
                   self._record('ours', 'create', 14.0),
                   self._record('upstream', 'create', 42.0)]
        text = cloud.summary(records, ['floor', 'ours', 'upstream'])
        create = [line for line in text.splitlines()
                  if line.startswith('create')][0].split()
        # ours' median is 14: 42/14 = 3x, floor/ours 71%, floor/heat 24%
        self.assertEqual(['14.0', '(12.0,', '20.0,', '14.0)'], create[3:7])
        self.assertEqual(['3.00x', '71%', '24%'], create[-3:])

    def test_a_failed_phase_is_shown_as_failed_not_timed(self):
        records = [self._record('ours', 'update', None, 'failed')]
        text = cloud.summary(records, ['ours'])
        update = [line for line in text.splitlines()
                  if line.startswith('update')][0].split()
        self.assertEqual(['update', 'failed', '-', '-', '-'], update)

    def test_unknown_engines_are_refused_by_name(self):
        error = self.assertRaises(SystemExit, cloud._engines, 'ours,nova')
        self.assertIn('unknown engines nova', str(error))


class TestCloudCalls(testtools.TestCase):

    LINES = [
        '127.0.0.1 - - [07/Dec/2026:18:20:41 +0000] "GET /v2.1/servers/a '
        'HTTP/1.1" 200 1643 "-" "openstacksdk"',
        '127.0.0.1 - - [07/Dec/2026:18:20:42 +0000] "POST /v2.1/servers '
        'HTTP/1.1" 202 1643 "-" "openstacksdk"',
        '2026-12-07 18:20:42.037 14612 INFO nova.api.openstack.requestlog '
        '"GET /v2.1/servers/a" status: 200',
        '127.0.0.1 - - [07/Dec/2026:18:20:43 +0000] "GET /v2.1/servers/a '
        'HTTP/1.1" 404 111 "-" "openstacksdk"',
        '127.0.0.1 - - [07/Dec/2026:18:20:45 +0000] "DELETE /v2.1/servers/a '
        'HTTP/1.1" 204 0 "-" "openstacksdk"']

    def test_access_lines_in_the_window_by_method(self):
        from bench import cloud_calls
        start = cloud_calls.parse(self.LINES[1])[0]
        self.assertEqual({'POST': 1, 'GET': 1},
                         cloud_calls.count(self.LINES, start + 0.9,
                                           start + 1.5))
        self.assertEqual(
            (1796667642, 'POST'), cloud_calls.parse(self.LINES[1]))
        self.assertIsNone(cloud_calls.parse(self.LINES[2]))
