"""Assembling an engine process: database, runtime, RPC servers; its stop."""

import dataclasses
import gc
import logging
import uuid

import eventlet

from convergence import definitions
from convergence.clients import clouds
from convergence.clients import stack_domain
from convergence import events
from convergence import notifications
from convergence import runtime
from convergence.engine import heartbeat
from convergence.engine import host_lock
from convergence.engine import service
from convergence.recovery import liveness
from convergence.recovery import sweeper
from convergence.resources import plugin_loader
from convergence.software_config import agent_urls
from convergence.rpc import servers
from convergence.worker import dispatch
from convergence.worker import service as worker_service
from db import api as db_api

LOG = logging.getLogger(__name__)

# Middle-generation collections between two full ones (CPython: 10).
FULL_COLLECTION_AFTER = 100


def database(conf) -> db_api.Database:
    return db_api.Database(conf.database.connection)


def agent_settings(conf) -> agent_urls.AgentSettings:
    """The engine-served URLs' settings (software_config.agent_urls): the
    API's address as servers reach it and the default transports."""
    public = conf.heat_api.public_url or 'http://%s:%d' % (
        conf.heat_api.bind_host, conf.heat_api.bind_port)
    return agent_urls.AgentSettings(
        public_url=public.rstrip('/'),
        default_signal_transport=conf.default_deployment_signal_transport,
        default_config_transport=conf.default_software_config_transport)


def build_runtime(conf, db, transport) -> runtime.Runtime:
    """The production runtime: real DB, oslo.messaging casts, green threads."""
    settings = runtime.Settings(
        stack_action_timeout=conf.stack_action_timeout,
        max_nested_stack_depth=conf.max_nested_stack_depth,
        max_resources_per_stack=conf.max_resources_per_stack,
        max_template_size=conf.max_template_size,
        agents=agent_settings(conf))
    notifier = notifications.build(conf, db)
    event_log = events.EventLog(db, conf.max_events_per_stack, buffered=True,
                                notifier=notifier)
    rt = runtime.Runtime(
        db=db, messenger=servers.RpcMessenger(transport),
        engine_id=str(uuid.uuid4()), events=event_log,
        definitions=definitions.DefinitionCache(db), settings=settings,
        spawn=_green_spawn, sleep=eventlet.sleep,
        call_later=_green_later, notifier=notifier,
        clouds=_cloud_clients(conf, db))
    event_log.start(rt.spawn)
    return rt


def _cloud_clients(conf, db) -> clouds.CloudClients:
    """The engine's clouds; a start-up error (exit) when the stack user
    domain options are set but cannot work."""
    try:
        return clouds.CloudClients(conf, db)
    except stack_domain.StackDomainConfigError as exc:
        problem = str(exc)
    LOG.error('%s', problem)
    raise SystemExit('%s: %s' % (conf.prog or 'convergence', problem))


@dataclasses.dataclass
class Started:
    """What ``start_engine`` started, for ``stop``."""

    servers: list
    nodes: dispatch.NodeDispatcher
    heartbeat: heartbeat.Heartbeat
    host_lock: host_lock.HostLock


def node_dispatcher(conf, rt) -> dispatch.NodeDispatcher:
    """The dispatcher of this engine's nodes; their waits free their slot."""
    nodes = dispatch.NodeDispatcher(rt.spawn, conf.max_running_nodes)
    rt.clock_factory = nodes.clock_factory(rt.clock_factory)
    rt.sleep = nodes.sleep(rt.sleep)
    return nodes


def start_engine(conf, rt, transport) -> Started:
    """Start this process's engine and worker RPC servers."""
    plugin_loader.load_plugins(conf.plugin_dirs)
    lock = host_lock.HostLock(rt.engine_id)
    try:
        # Alive before it takes any message: a fresh engine is never taken
        # for a dead one (and its locks for abandoned ones) by another's
        # recovery.
        heartbeat.report_alive(rt, conf)
    except Exception:
        lock.release()
        raise
    in_process_bus = str(conf.transport_url or '').startswith('inproc:')
    predecessors = _proven_gone(rt, in_process_bus)
    engine = service.EngineService(rt, conf)
    nodes = node_dispatcher(conf, rt)
    rpc_servers = [
        servers.engine_server(conf, transport, engine, rt.engine_id),
        servers.worker_server(conf, transport,
                              worker_service.WorkerEndpoint(rt, nodes),
                              rt.engine_id)]
    for server in rpc_servers:
        server.start()
    started = Started(rpc_servers, nodes, heartbeat.Heartbeat(rt, conf), lock)
    rt.spawn(started.heartbeat.run)
    # With the in-process bus, whatever a predecessor had in flight died
    # with it: nothing but this engine's first pass will re-send it.
    rt.spawn(sweeper.Sweeper(rt, conf.periodic_interval, liveness.down_time(
        conf.periodic_interval)).run_forever, predecessors, in_process_bus)
    LOG.info('engine %s started on %s', rt.engine_id, conf.host)
    return started


def _proven_gone(rt, in_process_bus: bool) -> set[str]:
    """The engines on this machine that provably ended (host_lock); their
    service rows are deleted, so every engine counts them gone at once.

    With the in-process bus this process is the only engine there can be
    (no other process can reach its bus), so every other engine is gone
    unless a live process still holds its lock: the predecessor of a
    restarted ``convergence-all`` is taken over at once even when its lock
    file did not survive (a reboot that emptied the temporary directory).
    """
    others = [s['engine_id'] for s in rt.db.service_list()
              if s['engine_id'] != rt.engine_id]
    gone = {e for e in others if host_lock.is_gone(e)}
    if in_process_bus:
        gone.update(e for e in others if not host_lock.is_held(e))
    for engine_id in gone:
        LOG.warning('engine %s ended on this machine; taking over its work',
                    engine_id)
        rt.db.service_delete(engine_id)
    return gone


def tune_garbage_collection() -> None:
    """Keep full garbage collections rare and short in a running engine.

    An engine keeps its modules, configuration, plugins and RPC machinery
    for life, some 150,000 objects, and each full collection walked them
    all again: 0.07 to 0.15 s at a time, several times during a 2,000-resource
    stack, enough to make a 100-resource stack's create take half again as
    long when one fell into it.  Frozen (``gc.freeze``), they are never
    scanned again; a full collection covers only what came after.

    What comes after is mostly nodes in flight: thousands of resources
    waiting on slow actions are thousands of live green threads, and
    CPython's default (a full collection after every 10 middle ones) walked
    them 7 times while 5,000 started, 0.5 s of a 4.4 s run with pauses of
    up to 0.17 s, and found nothing to free: a node leaves no cyclic
    garbage (test_inproc checks the in-process bus), reference counting
    frees it all.  With a full collection after every
    ``FULL_COLLECTION_AFTER`` middle ones, that run spent 0.1 s collecting,
    0.003 s at most at a time, at the same peak memory (234 MB).
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)


def stop(started: Started, timeout: float | None = None) -> bool:
    """Take no more messages; wait up to ``timeout`` s for nodes in flight.

    Returns whether every node finished.  The heartbeat stops too, so
    that ``shutdown`` can delete the service row for good, and the host
    lock is let go: whatever is left unfinished may be taken over.
    """
    for server in started.servers:
        server.stop()
    for server in started.servers:
        server.wait()
    finished = started.nodes.wait_idle(timeout)
    if not finished:
        LOG.warning('engine stopping with nodes unfinished after %s s: %s',
                    timeout, started.nodes.counts())
    started.heartbeat.stop()
    started.host_lock.release()
    return finished


def shutdown(rt, started: Started, timeout: float | None) -> None:
    """Stop gracefully, then say goodbye: events written, service row gone.

    Without its row the engine counts as gone at once, so other engines'
    recovery takes over whatever it still held instead of waiting for its
    heartbeat to age.
    """
    LOG.info('engine %s stopping (waiting up to %s s for %s)',
             rt.engine_id, timeout, started.nodes.counts())
    stop(started, timeout)
    rt.events.flush()
    rt.db.service_delete(rt.engine_id)
    LOG.info('engine %s stopped', rt.engine_id)


def _green_spawn(func, *args, **kwargs):
    return eventlet.spawn(_logged, func, *args, **kwargs)


def _green_later(seconds: float, func, *args):
    """A timer on the hub: nothing waits for it until it fires."""
    return eventlet.spawn_after(seconds, _logged, func, *args)


def _logged(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except Exception:
        LOG.exception('task %s failed', getattr(func, '__name__', func))
