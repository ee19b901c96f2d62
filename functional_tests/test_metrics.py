"""Prometheus metrics of a real convergence-all, scraped over HTTP.

A stack with a slow leaf and a fast one joined by a third resource: while
the slow leaf creates, the traversal is in flight and the join waits on its
second report; after, the operation, its nodes and their latencies are
counted.  A convergence-engine with two forked workers (RabbitMQ, MariaDB)
serves one endpoint per worker, on consecutive ports, whose figures add up
to the stack's.  A metrics port in use stops convergence-all and
convergence-engine at start-up, naming the port.
"""

import os
import socket
import subprocess

import fixtures
from heatclient import client as heat_client
from prometheus_client import parser
import requests
import testtools
from testtools import content

from functional_tests import deployment
from functional_tests import processes
from functional_tests import server as server_mod
from functional_tests import stack_views
from functional_tests import templates
from functional_tests import waiting

SLOW_LEAF_SECONDS = 6

JOINED = templates.HOT + """
resources:
  fast:
    type: OS::Heat::TestResource
    properties:
      value: fast
  slow:
    type: OS::Heat::TestResource
    properties:
      value: slow
      action_wait_secs: {create: %d}
  join:
    type: OS::Heat::TestResource
    properties:
      value: {list_join: [',', [{get_attr: [fast, output]},
                                {get_attr: [slow, output]}]]}
""" % SLOW_LEAF_SECONDS


def sample(figures: dict, name: str, **labels) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(port: int) -> dict:
    """{(name, sorted labels): value} of every sample at ``port``."""
    text = requests.get('http://127.0.0.1:%d/metrics' % port,
                        timeout=10).text
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in parser.text_string_to_metric_families(text)
            for sample in family.samples}


class MetricsOfConvergenceAll(testtools.TestCase, stack_views.HeatHelpers):

    def setUp(self):
        super().setUp()
        self.metrics_port = server_mod.free_port()
        self.server = self.useFixture(server_mod.ServerFixture(
            sections={'metrics': {'enabled': 'true',
                                  'port': self.metrics_port}}))
        self.addOnException(lambda exc_info: self.addDetail(
            'server-log', content.text_content(self.server.log_tail())))
        self.heat = heat_client.Client('1', endpoint=self.server.endpoint,
                                       token='x')

    def sample(self, figures: dict, name: str, **labels) -> float:
        return sample(figures, name, **labels)

    def test_a_create_moves_the_figures(self):
        before = scrape(self.metrics_port)
        self.assertEqual(0, self.sample(before, 'convergence_nodes_started_total'))
        self.heat.stacks.create(stack_name='watched', template=JOINED)

        def join_waits():
            figures = scrape(self.metrics_port)
            return (self.sample(figures, 'convergence_joins_waiting') >= 1
                    and figures)
        during = waiting.wait_until(join_waits, 30,
                                    'the join to wait on the slow leaf')
        self.assertEqual(1, self.sample(during,
                                        'convergence_traversals_in_flight',
                                        action='CREATE'))
        self.assertEqual(1, self.sample(during,
                                        'convergence_traversals_started_total',
                                        action='CREATE'))

        self.wait_status('watched', 'CREATE_COMPLETE')
        after = scrape(self.metrics_port)
        self.assertEqual(1, self.sample(
            after, 'convergence_stack_operations_total', action='CREATE',
            outcome='COMPLETE'))
        self.assertEqual(0, self.sample(after,
                                        'convergence_traversals_in_flight',
                                        action='CREATE'))
        self.assertEqual(0, self.sample(after, 'convergence_joins_waiting'))
        self.assertEqual(3, self.sample(after,
                                        'convergence_nodes_started_total'))
        self.assertEqual(3, self.sample(
            after, 'convergence_nodes_finished_total', outcome='done'))
        self.assertEqual(3, self.sample(
            after, 'convergence_node_duration_seconds_count'))
        # The slow leaf's node lasted its wait; the others did not.
        self.assertEqual(2, self.sample(
            after, 'convergence_node_duration_seconds_bucket', le='5.0'))
        self.assertGreaterEqual(
            self.sample(after, 'convergence_node_duration_seconds_sum'),
            SLOW_LEAF_SECONDS)
        self.assertEqual(0, self.sample(after, 'convergence_nodes_running'))


class MetricsOfForkedEngineWorkers(testtools.TestCase,
                                   stack_views.HeatHelpers):

    WORKERS = 2

    def setUp(self):
        super().setUp()
        # Two consecutive free ports, the workers' (retried if taken).
        self.metrics_port = waiting.wait_until(_two_free_ports, 10,
                                               'two consecutive free ports')
        self.deployment = deployment.Deployment(
            backend='mariadb', engines=1,
            config={'num_engine_workers': self.WORKERS,
                    'periodic_interval': 2},
            sections={'metrics': {'enabled': 'true',
                                  'port': self.metrics_port}})
        self.useFixture(self.deployment)
        self.heat = self.deployment.client_for(self)

    def test_each_worker_serves_its_own_figures(self):
        self.heat.stacks.create(stack_name='forked',
                                template=templates.fan_in(4, 0, 0),
                                parameters={'foo': 'one'})
        self.wait_status('forked', 'CREATE_COMPLETE')
        figures = [scrape(self.metrics_port + i) for i in range(self.WORKERS)]

        def total(name, **labels):
            return sum(sample(f, name, **labels) for f in figures)
        self.assertEqual(5, total('convergence_nodes_started_total'))
        self.assertEqual(5, total('convergence_nodes_finished_total',
                                  outcome='done'))
        self.assertEqual(1, total('convergence_traversals_started_total',
                                  action='CREATE'))
        self.assertEqual(1, total('convergence_stack_operations_total',
                                  action='CREATE', outcome='COMPLETE'))
        # The database's figures: the same on every worker.
        for worker_figures in figures:
            self.assertEqual(0, sample(worker_figures,
                                       'convergence_joins_waiting'))


def _two_free_ports() -> int | None:
    """A port free with the next one, or None (try again)."""
    port = server_mod.free_port()
    with socket.socket() as first, socket.socket() as second:
        try:
            first.bind(('127.0.0.1', port))
            second.bind(('127.0.0.1', port + 1))
        except OSError:
            return None
    return port


class MetricsPortInUse(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.taken = socket.socket()
        self.addCleanup(self.taken.close)
        self.taken.bind(('127.0.0.1', 0))
        self.taken.listen()
        self.port = self.taken.getsockname()[1]
        directory = self.useFixture(fixtures.TempDir()).path
        self.config = os.path.join(directory, 'convergence.conf')
        with open(self.config, 'w') as conf:
            conf.write('[DEFAULT]\ntransport_url = inproc://\n'
                       '[database]\nconnection = sqlite:///%s\n'
                       '[metrics]\nenabled = true\nport = %d\n'
                       % (os.path.join(directory, 'c.sqlite'), self.port))

    def assertRefused(self, script: str, *args: str) -> None:
        result = subprocess.run(
            [processes.console_script(script), '--config-file', self.config,
             *args], capture_output=True, text=True, timeout=60)
        self.assertNotEqual(0, result.returncode)
        self.assertIn('[metrics] cannot listen on 127.0.0.1:%d' % self.port,
                      result.stderr)

    def test_convergence_all_refuses_to_start(self):
        self.assertRefused('convergence-all', '--port',
                           str(server_mod.free_port()))

    def test_convergence_engine_refuses_to_start(self):
        self.assertRefused('convergence-engine')
