"""Upstream Heat, measured like ours.  Runs INSIDE Heat's virtualenv.

    <heat-venv>/bin/python bench/heat_driver.py --sizes 100,500 \\
        --shapes independent,chain,layered [--nested tree,group] \\
        [--nested-sizes 100] [--db-url postgresql+psycopg2://...] \\
        [--timeout 1800]

One in-process ``heat.engine.service.EngineService`` (its engine and
convergence worker RPC servers, 64 executor threads) over the stock
oslo.messaging ``fake://`` driver, with a fresh SQLite file (or a database
``--db-url`` names, dropped and created afresh), driven through
``heat.rpc.client.EngineClient``.  Prints one JSON record per phase.

With nested workloads the worker has ``NESTED_THREADS`` executor threads:
Heat's parent resource holds a worker thread while its child stack
converges (``check_create_complete`` polls), so a tree of 110 child stacks
with 64 threads would leave none for the leaves; its database pool is
widened to match (``NESTED_POOL``) and its RPC calls wait longer
(``NESTED_RPC_TIMEOUT``).

What differs from production Heat, as in the reference rig
(shared/tools/reference-heat) and the anchor measurement:

* ``scheduler.ENABLE_SLEEP = False``: no 1 s sleep after each leaf cast;
* SQLite (not on another database): WAL, ``BEGIN IMMEDIATE`` and a busy
  timeout (else concurrent workers fail with "database is locked");
* a lock around ``ast.parse`` (CPython < 3.12 races in ``literal_eval``);
* finished threads pruned from ``ThreadGroup`` (Heat 27.0.1 refuses the
  1001st event thread of a stack, so N=500 cannot complete without it).

Counted as for ours: SQL on Heat's engine facade engine, casts by patching
``WorkerClient.check_resource``, nodes by patching
``WorkerService.check_resource``; ``show_stack`` calls are not counted.
"""

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import threading

# Heat 27 runs oslo.service on threads; choose before oslo.messaging loads.
from oslo_service import backend
backend.init_backend(backend.BackendType.THREADING)

# Run as a script, this directory comes first on sys.path; the repository
# root must replace it (bench/ must be a package, not shadow Heat's modules).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import sqlalchemy as sa  # noqa: E402
from oslo_config import cfg  # noqa: E402
from oslo_log import log as logging  # noqa: E402

from bench import counters  # noqa: E402
from bench import harness  # noqa: E402
from bench import probe  # noqa: E402
from bench import workloads  # noqa: E402

CONF = cfg.CONF
WARMUP_N = 3
# As bench.run's nested warm-up: a tree of 2 x 2 x 2, a group of 8.
NESTED_WARMUP_N = 8
# Executor threads: Heat's default, and with nested workloads (see above).
THREADS, NESTED_THREADS = 64, 256
# The database pool (size, overflow, seconds to wait for a connection):
# oslo.db's defaults, and with nested workloads one that 256 threads do not
# exhaust in 30 s (they did: "QueuePool limit of size 5 overflow 50
# reached"), within PostgreSQL's 100 connections.
POOL, NESTED_POOL = (5, 50, 30), (10, 60, 600)
# Seconds an RPC call waits for its answer: oslo.messaging's default, and
# with nested workloads longer (a 1,000-leaf tree's create failed with
# "MessagingTimeout: No reply on topic engine" on a loaded machine).
RPC_TIMEOUT, NESTED_RPC_TIMEOUT = 60, 600

HEAT_CONF = """[DEFAULT]
transport_url = fake:/
host = heat-bench
convergence_engine = true
deferred_auth_method = password
periodic_interval = 3600
max_resources_per_stack = -1
max_stacks_per_tenant = -1
max_template_size = 16777216
executor_thread_pool_size = {threads}
rpc_response_timeout = {rpc_timeout}
log_file = {state}/heat.log
[database]
connection = {db_url}
max_pool_size = {pool}
max_overflow = {overflow}
pool_timeout = {pool_timeout}
[oslo_messaging_notifications]
driver = noop
"""


def _rig_patches(sqlite: bool) -> None:
    """The rig workarounds described in the module docstring."""
    if sys.version_info < (3, 12):
        lock, parse = threading.Lock(), ast.parse

        def serialised_parse(*args, **kwargs):
            with lock:
                return parse(*args, **kwargs)
        ast.parse = serialised_parse
    if not sqlite:
        return

    @sa.event.listens_for(sa.engine.Engine, 'connect')
    def busy_timeout(dbapi_conn, _record):
        dbapi_conn.execute('PRAGMA busy_timeout = 120000')

    @sa.event.listens_for(sa.engine.Engine, 'before_cursor_execute',
                          retval=True)
    def begin_immediate(conn, _cursor, statement, params, _ctx, _many):
        if statement == 'BEGIN':
            statement = 'BEGIN IMMEDIATE'
        return statement, params


def _prune_threadgroup() -> None:
    from heat.engine import service
    add_thread = service.ThreadGroup.add_thread

    def pruning_add_thread(self, func, *args, **kwargs):
        with self._lock:
            self.threads[:] = [t for t in self.threads if t.is_alive()]
        return add_thread(self, func, *args, **kwargs)
    service.ThreadGroup.add_thread = pruning_add_thread


def _fresh_database(url: str) -> None:
    """Drops and creates the database ``url`` names (not a SQLite file)."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database='postgres'),
                             isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(sa.text('DROP DATABASE IF EXISTS "%s"'
                                   % target.database))
        connection.execute(sa.text('CREATE DATABASE "%s"' % target.database))
    admin.dispose()


def _configure(state: str, db_url: str | None, threads: int) -> None:
    path = os.path.join(state, 'heat.conf')
    if db_url:
        _fresh_database(db_url)
    with open(path, 'w') as out:
        nested = threads > THREADS
        pool, overflow, pool_timeout = NESTED_POOL if nested else POOL
        out.write(HEAT_CONF.format(
            state=state, threads=threads, pool=pool, overflow=overflow,
            pool_timeout=pool_timeout,
            rpc_timeout=NESTED_RPC_TIMEOUT if nested else RPC_TIMEOUT,
            db_url=db_url or 'sqlite:///%s/heat.sqlite?timeout=120' % state))
    heat_manage = os.path.join(os.path.dirname(sys.executable), 'heat-manage')
    subprocess.run([heat_manage, '--config-file', path, 'db_sync'],
                   check=True, capture_output=True)
    if not db_url:
        import sqlite3
        sqlite3.connect(os.path.join(state, 'heat.sqlite')).execute(
            'PRAGMA journal_mode=WAL').close()
    from heat.common import config as heat_config
    from heat.common import messaging
    from heat import version
    logging.register_options(CONF)
    CONF(['--config-file', path], project='heat', prog='heat-bench',
         version=version.version_info.version_string())
    logging.setup(CONF, 'heat-bench')
    heat_config.set_config_defaults()
    messaging.setup()


class HeatEngine:
    """Upstream Heat's engine in this process (see module docstring)."""

    def __init__(self, state: str, db_url: str | None = None,
                 threads: int = THREADS):
        _rig_patches(sqlite=not db_url)
        _configure(state, db_url, threads)
        from heat.common import context
        from heat.db import api as db_api
        from heat.engine import scheduler
        from heat.engine import service
        from heat.rpc import api as rpc_api
        from heat.rpc import client
        scheduler.ENABLE_SLEEP = False
        _prune_threadgroup()
        self.sql = counters.SqlCounter(db_api.get_engine())
        self.probe = probe.StackProbe(CONF.database.connection)
        self.casts, self.nodes = counters.CallCounter(), counters.CallCounter()
        self._instrument()
        service.EngineService(CONF.host, rpc_api.ENGINE_TOPIC).start()
        self.client = client.EngineClient()
        self.ctx = context.RequestContext.from_dict({
            'tenant_id': 'bench', 'tenant': 'bench', 'username': 'bench',
            'password': 'bench', 'roles': ['admin'], 'is_admin': True,
            'auth_url': 'http://server.test:5000/v3', 'auth_token': 'x'})

    def _instrument(self) -> None:
        from heat.engine import service
        from heat.engine import worker
        from heat.rpc import worker_client
        cls = worker_client.WorkerClient
        cls.check_resource = self.casts.wrap(cls.check_resource)
        cls = worker.WorkerService
        cls.check_resource = self.nodes.wrap(cls.check_resource)
        show, sql = service.EngineService.show_stack, self.sql

        def show_stack(engine, *args, **kwargs):
            with sql.excluded():
                return show(engine, *args, **kwargs)
        service.EngineService.show_stack = show_stack

    # --- the Engine protocol of bench.harness ---------------------------------

    def create(self, stack_name: str, template: dict,
               files: dict | None = None) -> dict:
        return self.client.create_stack(self.ctx, stack_name, template, {},
                                        files or {},
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
        except Exception as exc:
            if 'NotFound' in type(exc).__name__:
                return None
            raise
        return (stack['stack_action'], stack['stack_status'],
                stack['stack_status_reason'])

    def resource_states(self, identity: dict) -> dict[str, int]:
        states: dict[str, int] = {}
        for r in self.client.list_stack_resources(self.ctx, identity):
            key = '%s_%s' % (r['resource_action'], r['resource_status'])
            states[key] = states.get(key, 0) + 1
        return states


def _parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--sizes', default='100,500')
    p.add_argument('--shapes', default=','.join(workloads.SHAPES))
    p.add_argument('--nested', default='',
                   help='nested workloads, of %s' % ','.join(
                       workloads.NESTED_SHAPES))
    p.add_argument('--nested-sizes', default='100',
                   help='leaves of each nested workload')
    p.add_argument('--db-url', help='default: a fresh SQLite file')
    p.add_argument('--timeout', type=float, default=1800,
                   help='seconds one phase may take')
    p.add_argument('--state-dir', help='default: a new temp directory')
    return p.parse_args(argv)


def _ints(text: str) -> list[int]:
    return [int(s) for s in text.split(',') if s]


def main(argv=None) -> None:
    args = _parse_args(argv)
    state = args.state_dir or tempfile.mkdtemp(prefix='heat-bench-')
    nested = [s for s in args.nested.split(',') if s]
    engine = HeatEngine(state, args.db_url,
                        NESTED_THREADS if nested else THREADS)
    harness.run_workload(engine, 'independent', WARMUP_N, args.timeout)
    for shape in nested:
        harness.run_nested(engine, shape, NESTED_WARMUP_N, args.timeout)
    # Nested first, as bench.run runs ours (peak RSS least disturbed).
    runs = [(shape, n, harness.run_nested) for shape in nested
            for n in _ints(args.nested_sizes)]
    runs += [(shape, n, harness.run_workload)
             for shape in args.shapes.split(',') if shape
             for n in _ints(args.sizes)]
    for shape, n, run in runs:
        for record in run(engine, shape, n, args.timeout):
            print(json.dumps(dict(record, engine='heat')), flush=True)
    os._exit(0)  # the engine's non-daemon threads would keep us alive


if __name__ == '__main__':
    main()
