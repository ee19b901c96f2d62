"""convergence-all: API, engine and workers in one process.

With no configuration it keeps its state in a SQLite file and talks to
itself over an in-process transport (``inproc://``, convergence/rpc/
inproc.py): zero services to run.  It runs one engine (``num_engine_workers``
is for convergence-engine); SIGTERM or SIGINT stops it gracefully.
"""

import eventlet
from oslo_config import cfg
from oslo_log import log as logging

from convergence import metrics_server
from convergence import startup
from convergence.api import auth
from convergence.api import pipeline
from convergence.api import server as api_server
from convergence.cmd import engine as engine_cmd
from convergence.cmd import options
from convergence.engine import process
from convergence.rpc import client as rpc_client
from db import migration

LOG = logging.getLogger(__name__)

# Connections the kernel queues until accepted (Heat's default): a burst
# of connections is not answered with dropped SYNs and 1 s retries.
LISTEN_BACKLOG = 4096

cli_opts = [
    cfg.PortOpt('port', help='REST API port (default [heat_api] bind_port).'),
    cfg.StrOpt('bind-host', help='REST API address.'),
    cfg.StrOpt('database-url',
               help='Database URL (default [database] connection).'),
]


def main(argv=None):
    conf = startup.load(argv, 'convergence-all', cli_opts)
    if conf.database_url:
        conf.set_override('connection', conf.database_url, group='database')
    # Embedded default: in-process messaging unless a config file names a bus.
    conf.set_default('transport_url', 'inproc://')
    # The API's address as given here is [heat_api]'s for what reads it
    # (a wait condition handle's signal endpoint).
    if conf.port:
        conf.set_override('bind_port', conf.port, group='heat_api')
    if conf.bind_host:
        conf.set_override('bind_host', conf.bind_host, group='heat_api')
    # The agents' URLs point at this process's API, where it listens.
    conf.set_default('public_url', 'http://%s:%d' % _address(conf),
                     group='heat_api')
    options.ensure_sqlite_dir(conf.database.connection)
    migration.db_sync(conf.database.connection)
    transport = rpc_client.get_rpc_transport(conf)
    stop_requested = engine_cmd.stop_signals()
    app = api_app(conf, transport)
    sock = api_socket(conf)
    metric_sockets = engine_cmd.listen_metrics(conf, 1)
    db = process.database(conf)
    rt = process.build_runtime(conf, db, transport)
    exporter = metrics_server.start(metric_sockets, 0, rt.db)
    started = process.start_engine(conf, rt, transport)
    if exporter is not None:
        exporter.watch_nodes(started.nodes)
    process.tune_garbage_collection()
    serving = eventlet.spawn(serve, conf, sock, app)
    stop_requested.wait()
    serving.kill()
    process.shutdown(rt, started, conf.graceful_shutdown_timeout or None)


def _address(conf) -> tuple[str, int]:
    """Where the REST API listens: the command line's, else [heat_api]."""
    return (conf.bind_host or conf.heat_api.bind_host,
            conf.port or conf.heat_api.bind_port)


def api_socket(conf):
    """The REST API's listening socket (fails early if the port is taken)."""
    host, port = _address(conf)
    sock = eventlet.listen((host, port), backlog=LISTEN_BACKLOG)
    LOG.info('Heat orchestration API on http://%s:%s/v1', host, port)
    print('convergence API listening on http://%s:%s/v1' % (host, port),
          flush=True)
    return sock


def api_app(conf, transport):
    """The API pipeline; a start-up error (exit 1) when the configuration
    asks for an authentication that cannot be had."""
    try:
        return pipeline.build(rpc_client.EngineClient(transport), conf)
    except auth.AuthConfigError as err:
        problem = str(err)
    LOG.error('%s', problem)
    raise SystemExit('%s: %s' % (conf.prog, problem))


def serve(conf, sock, app) -> None:
    api_server.serve(sock, app, conf, log=LOG)


def serve_api(conf, transport) -> None:
    """The REST API until the process ends (convergence-api)."""
    app = api_app(conf, transport)
    serve(conf, api_socket(conf), app)
