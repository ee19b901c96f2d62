"""Assembling an engine process: database, runtime, RPC servers."""

import logging
import uuid

import eventlet

from convergence import definitions
from convergence import events
from convergence import runtime
from convergence.engine import service
from convergence.recovery import liveness
from convergence.recovery import sweeper
from convergence.rpc import servers
from convergence.worker import service as worker_service
from db import api as db_api

LOG = logging.getLogger(__name__)


def database(conf) -> db_api.Database:
    return db_api.Database(conf.database.connection)


def build_runtime(conf, db, transport) -> runtime.Runtime:
    """The production runtime: real DB, oslo.messaging casts, green threads."""
    settings = runtime.Settings(
        stack_action_timeout=conf.stack_action_timeout,
        max_events_per_stack=conf.max_events_per_stack)
    event_log = events.EventLog(db, conf.max_events_per_stack, buffered=True)
    rt = runtime.Runtime(
        db=db, messenger=servers.RpcMessenger(transport),
        engine_id=str(uuid.uuid4()), events=event_log,
        definitions=definitions.DefinitionCache(db), settings=settings,
        spawn=_green_spawn, sleep=eventlet.sleep)
    event_log.start(rt.spawn)
    return rt


def start_engine(conf, rt, transport) -> list:
    """Start this process's engine and worker RPC servers."""
    engine = service.EngineService(rt, conf)
    started = [servers.engine_server(conf, transport, engine, rt.engine_id),
               servers.worker_server(conf, transport,
                                     worker_service.WorkerEndpoint(rt),
                                     rt.engine_id)]
    for server in started:
        server.start()
    rt.spawn(_heartbeat, rt, conf)
    rt.spawn(sweeper.Sweeper(rt, conf.periodic_interval, liveness.down_time(
        conf.periodic_interval)).run_forever)
    LOG.info('engine %s started on %s', rt.engine_id, conf.host)
    return started


def _heartbeat(rt, conf) -> None:
    """Report this engine alive every ``periodic_interval`` seconds."""
    values = {'host': conf.host, 'hostname': conf.host,
              'binary': 'convergence-engine', 'topic': 'engine',
              'report_interval': conf.periodic_interval}
    while True:
        try:
            rt.db.service_report(rt.engine_id, values)
        except Exception:
            LOG.exception('heartbeat of engine %s failed', rt.engine_id)
        eventlet.sleep(conf.periodic_interval)


def stop(servers_started: list) -> None:
    for server in servers_started:
        server.stop()
    for server in servers_started:
        server.wait()


def _green_spawn(func, *args, **kwargs):
    return eventlet.spawn(_logged, func, *args, **kwargs)


def _logged(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except Exception:
        LOG.exception('task %s failed', getattr(func, '__name__', func))
