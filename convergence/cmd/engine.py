"""convergence-engine: heat-engine's RPC API plus the convergence workers."""

import signal

import eventlet
from oslo_log import log as logging

from convergence.cmd import options
from convergence.engine import process
from convergence.rpc import client as rpc_client

LOG = logging.getLogger(__name__)


def main(argv=None):
    conf = options.load(argv, 'convergence-engine')
    transport = rpc_client.get_rpc_transport(conf)
    rt = process.build_runtime(conf, process.database(conf), transport)
    started = process.start_engine(conf, rt, transport)
    stopping = eventlet.event.Event()
    signal.signal(signal.SIGTERM, lambda *a: stopping.send())
    signal.signal(signal.SIGINT, lambda *a: stopping.send())
    stopping.wait()
    LOG.info('engine %s stopping', rt.engine_id)
    process.stop(started)
    rt.events.flush()
    rt.db.service_delete(rt.engine_id)
