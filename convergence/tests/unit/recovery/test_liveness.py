import datetime

import testtools

from convergence.recovery import liveness

NOW = datetime.datetime(2026, 11, 21, 12, 0, 0)


def _service(engine_id, seconds_ago):
    updated = None if seconds_ago is None else (
        NOW - datetime.timedelta(seconds=seconds_ago))
    return {'engine_id': engine_id, 'updated_at': updated}


class TestLiveness(testtools.TestCase):

    def test_down_time_is_three_heartbeats_unless_configured(self):
        self.assertEqual(180.0, liveness.down_time(60))
        self.assertEqual(10.0, liveness.down_time(60, configured=10))

    def test_live_engines_have_a_fresh_heartbeat(self):
        services = [_service('fresh', 1), _service('edge', 30),
                    _service('stale', 31), _service('never', None)]
        self.assertEqual({'fresh', 'edge'},
                         liveness.live_engines(services, NOW, 30))

    def test_each_stack_has_exactly_one_keeper_among_live_engines(self):
        live = {'e1', 'e2', 'e3'}
        keepers = {}
        for index in range(300):
            stack_id = 'stack-%d' % index
            mine = [e for e in sorted(live)
                    if liveness.looks_after(stack_id, live, e)]
            self.assertEqual(1, len(mine), stack_id)
            keepers[mine[0]] = keepers.get(mine[0], 0) + 1
        self.assertEqual(live, set(keepers))
        self.assertTrue(all(count > 50 for count in keepers.values()),
                        keepers)

    def test_an_engine_that_is_not_live_looks_after_nothing(self):
        self.assertFalse(liveness.looks_after('s', {'e1'}, 'e2'))
        self.assertTrue(liveness.looks_after('s', {'e1'}, 'e1'))


class TestCertainlyGone(testtools.TestCase):

    def test_proven_and_unregistered_holders_are_gone(self):
        services = [_service('alive', 1), _service('proven', 1)]
        self.assertEqual({'proven', 'no-row'}, liveness.certainly_gone(
            {'alive', 'proven', 'no-row'}, services, {'proven'}))
