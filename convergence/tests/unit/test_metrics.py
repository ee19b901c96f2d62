"""What the engine counts (convergence.metrics) and how it is exported."""

import socket
import types

# Green: the exporter serves from a green thread of this (unpatched) process.
from eventlet.green.urllib import request as green_request
from oslo_db import exception as db_exc
import prometheus_client
import testtools

from convergence import metrics
from convergence import metrics_server
from convergence.recovery import sweeper
from convergence.tests.scenarios import framework
from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import Template
from db import retry


def _chain(b_props: dict | None = None) -> Template:
    return Template({'A': RsrcDef({'a': 'one'}),
                     'B': RsrcDef(dict({'b': GetAtt('A', 'a')},
                                       **(b_props or {})))})


class CountingTestCase(testtools.TestCase):
    """Each test counts into a fresh in-memory sink."""

    def setUp(self):
        super().setUp()
        self.counts = metrics.Counts()
        previous = metrics.install(self.counts)
        self.addCleanup(metrics.install, previous)


class TestStackOperations(CountingTestCase, framework.ScenarioTestCase):

    def test_a_create_counts_its_nodes_and_its_verdict(self):
        s = self.scenario
        s.create_stack('foo', _chain())
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({'CREATE': 1}, dict(self.counts.traversals_started))
        self.assertEqual({('CREATE', 'COMPLETE'): 1},
                         dict(self.counts.stack_operations))
        self.assertEqual(2, self.counts.nodes_started)
        self.assertEqual({'done': 2}, dict(self.counts.nodes_finished))
        self.assertEqual(2, len(self.counts.node_seconds))
        self.assertTrue(all(s >= 0 for s in self.counts.node_seconds))

    def test_a_failed_node_and_a_failed_operation_are_counted_so(self):
        s = self.scenario
        s.create_stack('foo', _chain({'fail': True}))
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual({('CREATE', 'FAILED'): 1},
                         dict(self.counts.stack_operations))
        self.assertEqual({'done': 1, 'failed': 1},
                         dict(self.counts.nodes_finished))

    def test_an_update_after_a_create_is_a_second_operation(self):
        s = self.scenario
        s.create_stack('foo', _chain())
        s.run()
        s.update_stack('foo', Template({'A': RsrcDef({'a': 'two'})}))
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual({('CREATE', 'COMPLETE'): 1,
                          ('UPDATE', 'COMPLETE'): 1},
                         dict(self.counts.stack_operations))
        self.assertEqual({'CREATE': 1, 'UPDATE': 1},
                         dict(self.counts.traversals_started))


class TestRecoveryAndRetries(CountingTestCase):

    def test_a_recovery_pass_counts_each_kind_it_did(self):
        done = sweeper.Pass(unlocked=2, resent=3).counted()
        self.assertEqual(2, done.unlocked)
        self.assertEqual({'unlocked': 2, 'resent': 3},
                         dict(self.counts.recovery_actions))

    def test_each_retry_of_a_db_call_is_counted_under_its_name(self):
        failures = [db_exc.DBDeadlock(), db_exc.DBConnectionError()]

        @retry.retried
        def flaky_call():
            if failures:
                raise failures.pop(0)
            return 'answer'

        self.assertEqual('answer', flaky_call())
        self.assertEqual({'flaky_call': 2}, dict(self.counts.db_retries))

    def test_a_call_that_works_at_once_counts_no_retry(self):
        @retry.retried
        def steady_call():
            return 1

        steady_call()
        self.assertEqual({}, dict(self.counts.db_retries))


class _Database:
    """The two reads StateCollector makes, answering fixed figures."""

    def stacks_running(self):
        return [{'action': 'CREATE'}, {'action': 'CREATE'},
                {'action': 'DELETE'}]

    def sync_points_waiting(self):
        return 4


class _Nodes:
    def counts(self):
        return {'running': 3, 'queued': 7, 'in_flight': 10}


def _conf(port: int, enabled: bool = True):
    return types.SimpleNamespace(metrics=types.SimpleNamespace(
        enabled=enabled, host='127.0.0.1', port=port))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class TestPrometheusExport(testtools.TestCase):

    def setUp(self):
        super().setUp()
        previous = metrics.sink()
        self.addCleanup(metrics.install, previous)

    def test_events_and_state_appear_in_the_exposition(self):
        registry = prometheus_client.CollectorRegistry()
        previous = metrics.install(metrics_server.PrometheusSink(registry))
        self.addCleanup(metrics.install, previous)
        state = metrics_server.StateCollector(_Database())
        state.watch_nodes(_Nodes())
        registry.register(state)
        metrics.stack_operation_finished('CREATE', 'COMPLETE')
        metrics.node_started()
        metrics.node_finished('done', 0.2)
        metrics.recovery_acted('resent', 2)
        metrics.db_retried('stack_cas', 1)

        def value(name, **labels):
            return registry.get_sample_value(name, labels)
        self.assertEqual(1, value('convergence_stack_operations_total',
                                  action='CREATE', outcome='COMPLETE'))
        self.assertEqual(1, value('convergence_nodes_started_total'))
        self.assertEqual(1, value('convergence_nodes_finished_total',
                                  outcome='done'))
        self.assertEqual(1, value('convergence_node_duration_seconds_bucket',
                                  le='0.25'))
        self.assertEqual(0, value('convergence_node_duration_seconds_bucket',
                                  le='0.1'))
        self.assertEqual(2, value('convergence_recovery_actions_total',
                                  kind='resent'))
        self.assertEqual(1, value('convergence_db_retries_total',
                                  call='stack_cas'))
        self.assertEqual(2, value('convergence_traversals_in_flight',
                                  action='CREATE'))
        self.assertEqual(1, value('convergence_traversals_in_flight',
                                  action='DELETE'))
        self.assertEqual(4, value('convergence_joins_waiting'))
        self.assertEqual(3, value('convergence_nodes_running'))
        self.assertEqual(7, value('convergence_nodes_queued'))

    def test_disabled_listens_nowhere(self):
        self.assertIsNone(metrics_server.listen(_conf(_free_port(), False)))
        self.assertIsNone(metrics_server.start(None, 0, _Database()))

    def test_a_port_in_use_is_a_start_up_error_naming_it(self):
        taken = socket.socket()
        self.addCleanup(taken.close)
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        error = self.assertRaises(metrics_server.StartupError,
                                  metrics_server.listen, _conf(port), 1)
        self.assertIn('127.0.0.1:%d' % port, str(error))

    def test_each_process_serves_its_own_port(self):
        sockets = metrics_server.listen(_conf(_free_port()), 1)
        exporter = metrics_server.start(sockets, 0, _Database())
        self.addCleanup(exporter.stop)
        metrics.node_started()
        port = sockets[0].getsockname()[1]
        with green_request.urlopen('http://127.0.0.1:%d/metrics'
                                   % port, timeout=10) as response:
            text = response.read().decode()
        self.assertIn('convergence_nodes_started_total 1.0', text)
        self.assertIn('convergence_joins_waiting 4.0', text)
