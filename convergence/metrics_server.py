"""Prometheus metrics of an engine process, over HTTP (``[metrics]``).

Each engine process serves its own ``GET /metrics``: convergence-all on
``[metrics] port``, the N processes of convergence-engine on port, port+1,
... port+N-1 (worker index order).  The parent binds every port before it
forks, so a port in use stops the service at start-up, naming the port.

Counters (``convergence.metrics`` events, of this process):
  convergence_traversals_started_total{action}
  convergence_stack_operations_total{action,outcome}  traversals that
      reached their verdict here (COMPLETE, FAILED, or CHECK's)
  convergence_nodes_started_total, convergence_nodes_finished_total{outcome}
  convergence_node_duration_seconds (histogram, by nothing: one per node)
  convergence_recovery_actions_total{kind}  unlocked, resent, timed_out,
      finished, restarted
  convergence_db_retries_total{call}
Gauges read from the database at each scrape (the same on every process of
one deployment: aggregate them with max, not sum):
  convergence_traversals_in_flight{action}
  convergence_joins_waiting  joins with some but not all reports
Gauges of this process:
  convergence_nodes_running, convergence_nodes_queued
"""

import logging

import eventlet
import eventlet.wsgi
import prometheus_client
from prometheus_client import core as prom_core

from convergence import metrics

LOG = logging.getLogger(__name__)

# Node runs last from milliseconds (a join's report) to an hour (a slow
# resource action); Prometheus's default buckets stop at 10 s.
NODE_SECONDS_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
                        120, 300, 600, 1800, 3600, float('inf'))


class StartupError(Exception):
    """The metrics endpoint cannot be served as configured."""


def listen(conf, count: int = 1) -> list | None:
    """The listening sockets of ``count`` processes; None when disabled.

    Raises StartupError naming the address when one is taken.
    """
    if not conf.metrics.enabled:
        return None
    sockets = []
    for index in range(count):
        address = (conf.metrics.host, conf.metrics.port + index)
        try:
            sockets.append(eventlet.listen(address))
        except OSError as exc:
            for sock in sockets:
                sock.close()
            raise StartupError('[metrics] cannot listen on %s:%d: %s'
                               % (address[0], address[1], exc)) from exc
    return sockets


class PrometheusSink:
    """``metrics.Sink`` onto prometheus_client's metrics in ``registry``."""

    def __init__(self, registry: prom_core.CollectorRegistry):
        def counter(name, doc, labels=()):
            return prometheus_client.Counter(name, doc, labels,
                                             registry=registry)
        self._traversals = counter(
            'convergence_traversals_started',
            'Traversals (stack operations) started by this process.',
            ['action'])
        self._operations = counter(
            'convergence_stack_operations',
            'Stack operations that reached their verdict in this process.',
            ['action', 'outcome'])
        self._nodes_started = counter(
            'convergence_nodes_started',
            'Resource nodes this process started running.')
        self._nodes_finished = counter(
            'convergence_nodes_finished',
            'Resource nodes this process finished, by how they ended.',
            ['outcome'])
        self._node_seconds = prometheus_client.Histogram(
            'convergence_node_duration_seconds',
            'Seconds from a node\'s start to its end (waits included).',
            buckets=NODE_SECONDS_BUCKETS, registry=registry)
        self._recovery = counter(
            'convergence_recovery_actions',
            'Recovery actions of this process, by kind.', ['kind'])
        self._db_retries = counter(
            'convergence_db_retries',
            'Database calls run again after a deadlock or a lost '
            'connection, by call.', ['call'])

    def traversal_started(self, action):
        self._traversals.labels(action).inc()

    def stack_operation_finished(self, action, outcome):
        self._operations.labels(action, outcome).inc()

    def node_started(self):
        self._nodes_started.inc()

    def node_finished(self, outcome, seconds):
        self._nodes_finished.labels(outcome).inc()
        self._node_seconds.observe(seconds)

    def recovery_acted(self, kind, count):
        self._recovery.labels(kind).inc(count)

    def db_retried(self, call, retries):
        self._db_retries.labels(call).inc(retries)


class StateCollector:
    """The gauges read at scrape time: the database's and the dispatcher's."""

    def __init__(self, db):
        self._db = db
        self._nodes = None

    def watch_nodes(self, dispatcher) -> None:
        self._nodes = dispatcher

    def describe(self):
        return []

    def collect(self):
        running = prom_core.GaugeMetricFamily(
            'convergence_traversals_in_flight',
            'Stacks whose traversal is under way (every engine\'s).',
            labels=['action'])
        by_action: dict = {}
        for stack in self._db.stacks_running():
            by_action[stack['action']] = by_action.get(stack['action'], 0) + 1
        for action, count in sorted(by_action.items()):
            running.add_metric([str(action)], count)
        yield running
        yield prom_core.GaugeMetricFamily(
            'convergence_joins_waiting',
            'Joins (sync points) with some but not all predecessors '
            'reported: nodes waiting on a join.',
            value=self._db.sync_points_waiting())
        if self._nodes is not None:
            counts = self._nodes.counts()
            yield prom_core.GaugeMetricFamily(
                'convergence_nodes_running',
                'Nodes holding a slot of this process (max_running_nodes).',
                value=counts['running'])
            yield prom_core.GaugeMetricFamily(
                'convergence_nodes_queued',
                'Nodes of this process waiting for a slot.',
                value=counts['queued'])


class Exporter:
    """This process's metrics, served on ``sock`` from a green thread."""

    def __init__(self, sock, db):
        self.registry = prom_core.CollectorRegistry()
        self.state = StateCollector(db)
        self.registry.register(self.state)
        self._previous = metrics.install(PrometheusSink(self.registry))
        self._sock = sock
        self._serving = eventlet.spawn(
            eventlet.wsgi.server, sock,
            prometheus_client.make_wsgi_app(self.registry),
            log=_QuietLog(), log_output=False)
        host, port = sock.getsockname()[:2]
        LOG.info('Prometheus metrics on http://%s:%s/metrics', host, port)

    def watch_nodes(self, dispatcher) -> None:
        self.state.watch_nodes(dispatcher)

    def stop(self) -> None:
        self._serving.kill()
        self._sock.close()
        metrics.install(self._previous)


class _QuietLog:
    """eventlet.wsgi's access log, dropped: a scrape every 15 s is noise."""

    def write(self, text):
        pass


def start(sockets: list | None, index: int, db) -> Exporter | None:
    """Serve process ``index``'s metrics on its socket of ``listen``'s;
    the others (the sibling processes') are closed here."""
    if sockets is None:
        return None
    for other, sock in enumerate(sockets):
        if other != index:
            sock.close()
    return Exporter(sockets[index], db)
