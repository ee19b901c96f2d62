"""Our engine in this process, wired exactly as ``convergence-all`` wires it.

A temp SQLite file migrated by ``db.migration.db_sync``, the ``inproc://``
transport (or another on request), ``process.build_runtime`` +
``process.start_engine`` (eventlet green threads; the caller has
monkey-patched), driven through
``rpc.client.EngineClient`` calls as the REST API would drive it.

Counting hooks, all outside the engine's code: a SQL listener on
``Database.engine``, the runtime's messenger wrapped to count
``check_resource`` casts, the worker's node function wrapped to count the
nodes run (and know when none is running), and ``show_stack`` run with SQL
counting off so the benchmark's calls are not charged to the engine.
"""

import collections
import os
import sys
import tempfile

from bench import counters
from bench import probe
from convergence import exceptions
from convergence import startup
from convergence.engine import process
from convergence.engine import service as engine_service
from convergence.rpc import client as rpc_client
from convergence.rpc import context as rpc_context
from convergence.worker import check_resource as worker_node
from db import api as db_api

# Seconds an engine RPC call may take before the client gives up.
RPC_TIMEOUT = 600
# Heat's default (512 KiB) refuses 5,000 resources; the bench lifts it.
MAX_TEMPLATE_BYTES = 16 * 1024 * 1024


class _CountingMessenger:
    """The runtime's messenger, with its check_resource casts counted."""

    def __init__(self, messenger, casts: counters.CallCounter):
        self._messenger = messenger
        self.cast_check_resource = casts.wrap(messenger.cast_check_resource)

    def __getattr__(self, name):
        return getattr(self._messenger, name)


class OurEngine:
    """One in-process engine with a fresh database (see module docstring)."""

    def __init__(self, workdir: str | None = None,
                 transport_url: str = 'inproc://'):
        self.workdir = workdir or tempfile.mkdtemp(prefix='convergence-bench-')
        url = 'sqlite:///' + os.path.join(self.workdir, 'bench.sqlite')
        self.conf = _conf(url, os.path.join(self.workdir, 'engine.log'))
        _create_schema(url)
        self.db = db_api.Database(url)
        self.probe = probe.StackProbe(url)
        self.sql = counters.SqlCounter(self.db.engine)
        self.casts, self.nodes = counters.CallCounter(), counters.CallCounter()
        self._instrument_worker()
        transport = rpc_client.get_rpc_transport(self.conf, url=transport_url)
        self.rt = process.build_runtime(self.conf, self.db, transport)
        self.rt.messenger = _CountingMessenger(self.rt.messenger, self.casts)
        self._servers = process.start_engine(self.conf, self.rt, transport)
        process.tune_garbage_collection()
        self.client = rpc_client.EngineClient(transport, timeout=RPC_TIMEOUT)
        self.ctx = rpc_context.RequestContext(project_id='bench',
                                              is_admin=True)

    def _instrument_worker(self) -> None:
        worker_node.check_resource = self.nodes.wrap(
            worker_node.check_resource)
        show = engine_service.EngineService.show_stack
        sql = self.sql

        def show_stack(service, *args, **kwargs):
            with sql.excluded():
                return show(service, *args, **kwargs)
        engine_service.EngineService.show_stack = show_stack

    # --- the Engine protocol of bench.harness ---------------------------------

    def create(self, stack_name: str, template: dict,
               files: dict | None = None) -> dict:
        return self.client.create_stack(
            self.ctx, stack_name, template, {}, files or {},
            {'disable_rollback': True})

    def update(self, identity: dict, template: dict,
               files: dict | None = None) -> None:
        self.client.update_stack(self.ctx, identity, template, {},
                                 files or {}, {'disable_rollback': True})

    def delete(self, identity: dict) -> None:
        self.client.delete_stack(self.ctx, identity)

    def state(self, identity: dict) -> tuple | None:
        try:
            stack = self.client.show_stack(self.ctx, identity,
                                           resolve_outputs=False)[0]
        except exceptions.EntityNotFound:
            return None
        return (stack['stack_action'], stack['stack_status'],
                stack['stack_status_reason'])

    def resource_states(self, identity: dict) -> dict[str, int]:
        rows = self.client.list_stack_resources(self.ctx, identity)
        return dict(collections.Counter(
            '%s_%s' % (r['resource_action'], r['resource_status'])
            for r in rows))

    def stop(self) -> None:
        process.stop(self._servers)
        self.rt.events.flush()


def _conf(url: str, log_file: str):
    conf = startup.load(['--log-file', log_file], 'convergence-bench')
    # oslo.log sends uncaught errors to the log file; the bench user wants them.
    sys.excepthook = sys.__excepthook__
    conf.set_override('connection', url, group='database')
    conf.set_override('max_resources_per_stack', -1)
    conf.set_override('max_stacks_per_tenant', -1)
    conf.set_override('max_template_size', MAX_TEMPLATE_BYTES)
    return conf


def _create_schema(url: str) -> None:
    try:
        from db import migration
    except ImportError:     # before db/migration.py existed
        db_api.Database(url).create_schema()
    else:
        migration.db_sync(url)
