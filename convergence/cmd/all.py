"""convergence-all: API, engine and workers in one process.

With no configuration it keeps its state in a SQLite file and talks to
itself over an in-process transport: zero services to run.
"""

import eventlet
from eventlet import wsgi
from oslo_config import cfg
from oslo_log import log as logging

from convergence import api
from convergence.cmd import options
from convergence.engine import process
from convergence.rpc import client as rpc_client
from db import migration

LOG = logging.getLogger(__name__)

cli_opts = [
    cfg.PortOpt('port', help='REST API port (default [heat_api] bind_port).'),
    cfg.StrOpt('bind-host', help='REST API address.'),
    cfg.StrOpt('database-url',
               help='Database URL (default [database] connection).'),
]


def main(argv=None):
    conf = options.load(argv, 'convergence-all', cli_opts)
    if conf.database_url:
        conf.set_override('connection', conf.database_url, group='database')
    # Embedded default: in-process messaging unless a config file names a bus.
    conf.set_default('transport_url', 'fake://')
    options.ensure_sqlite_dir(conf.database.connection)
    migration.db_sync(conf.database.connection)
    transport = rpc_client.get_rpc_transport(conf)
    db = process.database(conf)
    rt = process.build_runtime(conf, db, transport)
    process.start_engine(conf, rt, transport)
    serve_api(conf, transport)


def serve_api(conf, transport):
    host = conf.bind_host or conf.heat_api.bind_host
    port = conf.port or conf.heat_api.bind_port
    app = api.make_app(rpc_client.EngineClient(transport), conf)
    sock = eventlet.listen((host, port))
    LOG.info('Heat orchestration API on http://%s:%s/v1', host, port)
    print('convergence API listening on http://%s:%s/v1' % (host, port),
          flush=True)
    wsgi.server(sock, app, log=LOG, log_output=False)
