"""convergence-engine: heat-engine's RPC API plus the convergence workers.

Forks ``num_engine_workers`` engine processes (unset: max(4, CPUs), as
heat-engine), each with its own engine id; with one, the engine runs in this
process.  SIGTERM or SIGINT stops every engine gracefully.
"""

import os
import signal
import sys

import eventlet
from oslo_log import log as logging

from convergence import metrics_server
from convergence import startup
from convergence.cmd import supervisor
from convergence.engine import process
from convergence.rpc import client as rpc_client

LOG = logging.getLogger(__name__)


def main(argv=None):
    conf = startup.load(argv, 'convergence-engine')
    workers = worker_count(conf.num_engine_workers)
    metric_sockets = listen_metrics(conf, workers)
    if workers == 1:
        run_engine(conf, metric_sockets)
        return
    sys.exit(supervisor.Supervisor(
        workers,
        lambda index: run_engine(conf, metric_sockets, index)).run())


def listen_metrics(conf, workers: int) -> list | None:
    """Every engine process's metrics socket (``[metrics]``), bound before
    anything runs: a port in use stops the service here."""
    try:
        return metrics_server.listen(conf, workers)
    except metrics_server.StartupError as exc:
        sys.exit(str(exc))


def worker_count(configured: int | None) -> int:
    """``num_engine_workers``, or max(4, CPUs) when unset or 0 (as Heat)."""
    if configured is None or configured == 0:
        return max(4, os.cpu_count() or 1)
    if configured < 0:
        sys.exit('num_engine_workers must be positive (or unset for '
                 'max(4, CPUs)), not %d' % configured)
    return configured


def run_engine(conf, metric_sockets=None, index: int = 0) -> None:
    """One engine until SIGTERM or SIGINT, then a graceful stop.

    ``index``: which of ``metric_sockets`` (one per engine process) is this
    process's.
    """
    stop_requested = stop_signals()
    transport = rpc_client.get_rpc_transport(conf)
    rt = process.build_runtime(conf, process.database(conf), transport)
    exporter = metrics_server.start(metric_sockets, index, rt.db)
    started = process.start_engine(conf, rt, transport)
    if exporter is not None:
        exporter.watch_nodes(started.nodes)
    process.tune_garbage_collection()
    signum = stop_requested.wait()
    LOG.info('engine %s got signal %d', rt.engine_id, signum)
    process.shutdown(rt, started, conf.graceful_shutdown_timeout or None)
    transport.cleanup()


def stop_signals() -> eventlet.event.Event:
    """An event sent the signal number of the first SIGTERM or SIGINT.

    Later ones change nothing: a worker gets SIGTERM from its parent and,
    when a whole process group is signalled, directly too.
    """
    requested = eventlet.event.Event()
    first: dict = {}

    def handler(signum, frame):
        # The second signal may interrupt the first one's send(): only
        # the handler whose token setdefault (one C call) keeps sends.
        token = object()
        if first.setdefault('token', token) is token:
            requested.send(signum)
    for signum in supervisor.STOP_SIGNALS:
        signal.signal(signum, handler)
    return requested
