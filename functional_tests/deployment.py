"""A multi-process deployment: N convergence-engine + 1 convergence-api.

The fixture makes a private RabbitMQ vhost and a private database (MariaDB
or PostgreSQL), writes one config file (plus a per-engine one naming the
engine's ``host``), runs ``convergence-manage db sync``, starts the engines
and the API, and waits until each engine has said it started and the API
answers.  Tests can SIGKILL, SIGTERM or restart any engine and restart
MariaDB or RabbitMQ; clean-up stops every process, brings the services back
if a test left one down, and drops the database and the vhost.  Every
process logs to a file in a temporary directory; ``log_since`` gives what
they all wrote after a ``log_mark``, for the details of a failed test
(``CONVERGENCE_FUNCTIONAL_KEEP_LOGS=1`` keeps the directory).

With ``front='heat-api'`` upstream's heat-api (functional_tests/
stock_heat_api.py) runs as well, on the same bus, and ``endpoint`` is its.

``from_environment()`` picks the deployment of the functional matrix:
``CONVERGENCE_FUNCTIONAL_DEPLOYMENT`` = ``all`` (one convergence-all, the
default) | ``mariadb`` | ``postgresql`` (3 engines + API) |
``stock-heat-api`` (2 engines on MariaDB behind upstream heat-api) and
``CONVERGENCE_FUNCTIONAL_EXECUTOR`` = ``eventlet`` | ``threading``.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import fixtures
from heatclient import client as heat_client
from testtools import content

from db import api as db_api
from functional_tests import processes
from functional_tests import recording
from functional_tests import server as server_mod
from functional_tests import services
from functional_tests import stock_heat_api
from functional_tests import waiting

DEPLOYMENT_ENV = 'CONVERGENCE_FUNCTIONAL_DEPLOYMENT'
EXECUTOR_ENV = 'CONVERGENCE_FUNCTIONAL_EXECUTOR'
# Set to keep each deployment's directory (config, logs, ledger) afterwards.
KEEP_ENV = 'CONVERGENCE_FUNCTIONAL_KEEP_LOGS'
DEPLOYMENTS = ('all', 'mariadb', 'postgresql', 'stock-heat-api')
EXECUTORS = ('eventlet', 'threading')
# Engines of a matrix deployment on a real database.
MATRIX_ENGINES = 3
# What serves the REST API: the console script, or uwsgi with our WSGI app.
API_SERVERS = ('convergence-api', 'uwsgi')
# Which API ``endpoint`` is: ours, or upstream heat-api beside it.
FRONTS = ('convergence-api', 'heat-api')
# uwsgi workers: more than one, so each must build its own application.
UWSGI_PROCESSES = 2
# Seconds an engine or the API may take to start; db sync to finish.
START_TIMEOUT = 60
# What an engine logs once its RPC servers listen (convergence.engine.process).
STARTED = re.compile(r'engine ([0-9a-f-]{36}) started on (\S+)')


class DeploymentFailed(Exception):
    """A process exited or never became ready; the message has its log."""


def from_environment():
    """The deployment the matrix environment variables ask for (unstarted).

    Raises:
        ValueError: an environment variable names no known choice.
    """
    kind = os.environ.get(DEPLOYMENT_ENV) or 'all'
    executor = os.environ.get(EXECUTOR_ENV) or 'eventlet'
    if kind not in DEPLOYMENTS:
        raise ValueError('%s=%r: choose one of %s' % (
            DEPLOYMENT_ENV, kind, ', '.join(DEPLOYMENTS)))
    if executor not in EXECUTORS:
        raise ValueError('%s=%r: choose one of %s' % (
            EXECUTOR_ENV, executor, ', '.join(EXECUTORS)))
    if kind == 'all':
        return server_mod.ServerFixture(config={'executor': executor})
    return matrix_deployment(kind, {'executor': executor})


def matrix_deployment(kind: str, config: dict) -> 'Deployment':
    """The multi-process deployment ``kind`` (a DEPLOYMENTS name but
    ``all``), unstarted, with ``config`` added to its [DEFAULT] options.

    Raises:
        DeploymentFailed: stock-heat-api without a Heat venv.
    """
    if kind == 'stock-heat-api':
        reason = stock_heat_api.unavailable_reason()
        if reason:
            raise DeploymentFailed('%s: %s' % (kind, reason))
        return Deployment(backend='mariadb', engines=stock_heat_api.ENGINES,
                          config=config, front='heat-api')
    return Deployment(backend=kind, engines=MATRIX_ENGINES, config=config)


def excerpt(log: str, head: int = 8000, tail: int = 4000) -> str:
    """The start and the end of a long log (where a crash began and ended)."""
    if len(log) <= head + tail:
        return log
    return '%s\n[... %d characters cut ...]\n%s' % (
        log[:head], len(log) - head - tail, log[-tail:])


def config_text(sections: dict) -> str:
    """An ini file: {section: {option: value}}; lists become commas."""
    lines = []
    for section, options in sections.items():
        lines.append('[%s]' % section)
        for key, value in options.items():
            if isinstance(value, (list, tuple)):
                value = ','.join(str(v) for v in value)
            lines.append('%s = %s' % (key, value))
    return '\n'.join(lines) + '\n'


class Deployment(fixtures.Fixture):
    """``engines`` convergence-engine processes and one convergence-api.

    ``config`` adds [DEFAULT] options (``executor``, ``periodic_interval``…),
    ``sections`` other groups' ({'metrics': {'enabled': True}});
    ``engine_env`` adds environment variables of the engine processes only.
    The engines load the recorded resource type (``recording``).  With
    ``api_server='uwsgi'`` the API is the WSGI application under uwsgi
    (convergence/wsgi/api.py) instead of convergence-api.  With
    ``front='heat-api'`` upstream heat-api serves ``endpoint`` and our API
    still runs (``convergence_endpoint``); ``heat_api_keystone`` (a
    ``[keystone_authtoken]`` section) puts that heat-api behind Keystone
    (stock_heat_api.heat_conf).
    """

    def __init__(self, backend: str = 'mariadb', engines: int = 3,
                 config: dict | None = None, engine_env: dict | None = None,
                 api_server: str = 'convergence-api',
                 front: str = 'convergence-api',
                 sections: dict[str, dict] | None = None,
                 heat_api_keystone: dict | None = None):
        super().__init__()
        self.sections = dict(sections or {})
        self.heat_api_keystone = heat_api_keystone
        if front not in FRONTS:
            raise ValueError('front=%r: choose one of %s' % (
                front, ', '.join(FRONTS)))
        self.front = front
        self.heat_api = None
        if api_server not in API_SERVERS:
            raise ValueError('api_server=%r: choose one of %s' % (
                api_server, ', '.join(API_SERVERS)))
        self.api_server = api_server
        if engines < 1:
            raise ValueError('a deployment needs at least one engine')
        self.backend = backend
        self.engine_count = engines
        self.config = dict(config or {})
        self.engine_env = dict(engine_env or {})
        self.engines: list[processes.ManagedProcess] = []
        self.engine_ids: list[str | None] = []
        self.api = None
        self._db = None
        # each engine's log size when it was last started
        self._start_offsets: dict[int, int] = {}

    # -- setting up ------------------------------------------------------

    def _setUp(self):
        suffix = uuid.uuid4().hex[:10]
        self.state_dir = tempfile.mkdtemp(prefix='convergence-deploy-')
        if os.environ.get(KEEP_ENV):
            print('deployment logs kept in %s' % self.state_dir,
                  file=sys.stderr, flush=True)
        else:
            self.addCleanup(shutil.rmtree, self.state_dir, ignore_errors=True)
        self.addCleanup(services.ensure_running)
        self.recording = recording.Recording(self.state_dir)
        self.database = services.database(self.backend,
                                          'convergence_ft_%s' % suffix)
        self.database.create()
        self.addCleanup(self.database.drop)
        self.vhost = 'convergence-ft-%s' % suffix
        services.add_vhost(self.vhost)
        self.addCleanup(services.delete_vhost, self.vhost)
        self.port = server_mod.free_port()
        self.config_path = self._write_config()
        self._db_sync()
        self.addCleanup(self._stop_all)
        for index in range(self.engine_count):
            self.engines.append(self._engine_process(index))
            self.engine_ids.append(None)
        self.api = self._api_process()
        if self.front == 'heat-api':
            self.heat_api = self._heat_api_process()
        for index in range(self.engine_count):
            self._launch_engine(index)
        self.api.start()
        if self.heat_api is not None:
            self.heat_api.start()
        for index in range(self.engine_count):
            self._wait_engine_started(index)
        self._wait_api(self.api, self.convergence_base_url)
        if self.heat_api is not None:
            self._wait_api(self.heat_api, self.heat_api_base_url)

    def _write_config(self) -> str:
        # One engine per process unless a test asks for forked workers.
        defaults = {'transport_url': services.rabbit_url(self.vhost),
                    'num_engine_workers': 1}
        defaults.update(self.recording.config)
        defaults.update(self.config)
        path = os.path.join(self.state_dir, 'convergence.conf')
        with open(path, 'w') as conf:
            conf.write(config_text(dict(self.sections, **{
                'DEFAULT': defaults,
                'database': {'connection': self.database.url},
                'heat_api': {'bind_port': self.port}})))
        return path

    def _db_sync(self) -> None:
        result = subprocess.run(
            [processes.console_script('convergence-manage'), '--config-file',
             self.config_path, 'db', 'sync'], capture_output=True, text=True,
            timeout=START_TIMEOUT)
        if result.returncode != 0:
            raise DeploymentFailed('db sync exited %s:\n%s%s' % (
                result.returncode, result.stdout, result.stderr))

    def _engine_process(self, index: int) -> processes.ManagedProcess:
        label = 'engine%d' % index
        own = os.path.join(self.state_dir, label + '.conf')
        with open(own, 'w') as conf:
            conf.write(config_text({'DEFAULT': {'host': label}}))
        return self._process(label, 'convergence-engine',
                             ['--config-file', own],
                             dict(self.recording.env, **self.engine_env))

    def _process(self, label: str, script: str, args: list,
                 env: dict | None = None) -> processes.ManagedProcess:
        command = [processes.console_script(script), '--config-file',
                   self.config_path] + args
        return processes.ManagedProcess(
            label, command, os.path.join(self.state_dir, label + '.log'),
            self.state_dir, env)

    def _api_process(self) -> processes.ManagedProcess:
        if self.api_server == 'convergence-api':
            return self._process('api', 'convergence-api', [])
        # --lazy-apps: each worker builds its own application (and its own
        # bus connection) after the fork; --enable-threads: oslo.messaging's
        # heartbeats are threads; --die-on-term: SIGTERM stops, not reloads.
        command = [processes.console_script('uwsgi'), '--master',
                   '--http-socket', '127.0.0.1:%d' % self.port,
                   '--processes', str(UWSGI_PROCESSES), '--enable-threads',
                   '--lazy-apps', '--die-on-term', '--need-app',
                   '--module', 'convergence.wsgi.api:application']
        return processes.ManagedProcess(
            'api', command, os.path.join(self.state_dir, 'api.log'),
            self.state_dir, {'CONVERGENCE_CONFIG_FILE': self.config_path})

    def _heat_api_process(self) -> processes.ManagedProcess:
        self.heat_api_port = server_mod.free_port()
        path = os.path.join(self.state_dir, 'heat.conf')
        with open(path, 'w') as conf:
            conf.write(config_text(stock_heat_api.heat_conf(
                services.rabbit_url(self.vhost), self.state_dir,
                self.heat_api_keystone)))
        return processes.ManagedProcess(
            'heat-api', stock_heat_api.command(
                processes.console_script('uwsgi'), self.heat_api_port, path),
            os.path.join(self.state_dir, 'heat-api.log'), self.state_dir)

    def _stop_all(self) -> None:
        """SIGTERM every process at once, then wait (SIGKILL stragglers)."""
        running = [p for p in self._all_processes() if p.alive()]
        for process in running:
            process.signal(signal.SIGTERM)
        for process in running:
            process.stop()

    # -- readiness ---------------------------------------------------------

    def _launch_engine(self, index: int) -> None:
        engine = self.engines[index]
        self._start_offsets[index] = engine.log_size()
        self.engine_ids[index] = None
        engine.start()

    def _wait_engine_started(self, index: int) -> str:
        engine = self.engines[index]
        offset = self._start_offsets[index]

        def started():
            if not engine.alive():
                raise DeploymentFailed('%s exited with %s:\n%s' % (
                    engine.label, engine.exit_code(),
                    excerpt(engine.log_since(offset))))
            match = STARTED.search(engine.log_since(offset))
            return match.group(1) if match else None
        try:
            engine_id = waiting.wait_until(started, START_TIMEOUT,
                                           '%s to start' % engine.label)
        except waiting.WaitTimeout as exc:
            raise DeploymentFailed('%s\n%s' % (
                exc, excerpt(engine.log_since(offset))))
        self.engine_ids[index] = engine_id
        return engine_id

    def _wait_api(self, api: processes.ManagedProcess, base_url: str) -> None:
        def answers():
            if not api.alive():
                raise DeploymentFailed('%s exited with %s:\n%s' % (
                    api.label, api.exit_code(), excerpt(api.log_since(0))))
            return server_mod.answers(base_url)
        try:
            waiting.wait_until(answers, START_TIMEOUT,
                               '%s to answer' % api.label)
        except waiting.WaitTimeout as exc:
            raise DeploymentFailed('%s\n%s' % (
                exc, excerpt(api.log_since(0))))

    # -- what tests use ----------------------------------------------------

    @property
    def convergence_base_url(self) -> str:
        return 'http://127.0.0.1:%d' % self.port

    @property
    def heat_api_base_url(self) -> str:
        return 'http://127.0.0.1:%d' % self.heat_api_port

    @property
    def base_url(self) -> str:
        """The front API's: heat-api's with front='heat-api'."""
        if self.front == 'heat-api':
            return self.heat_api_base_url
        return self.convergence_base_url

    @property
    def endpoint(self) -> str:
        return '%s/v1/%s' % (self.base_url, server_mod.TENANT)

    @property
    def convergence_endpoint(self) -> str:
        return '%s/v1/%s' % (self.convergence_base_url, server_mod.TENANT)

    @property
    def database_url(self) -> str:
        return self.database.url

    @property
    def ledger(self):
        """What the recorded resources of this deployment did."""
        return self.recording.ledger

    @property
    def db(self) -> db_api.Database:
        """The engines' database, for looking behind the API."""
        if self._db is None:
            self._db = db_api.Database(self.database_url)
        return self._db

    def alive(self) -> bool:
        """Whether the API and every engine not stopped on purpose run."""
        return self._apis_alive() and all(
            engine.alive() for index, engine in enumerate(self.engines)
            if self.engine_ids[index] is not None)

    def _apis_alive(self) -> bool:
        return self.api.alive() and (self.heat_api is None
                                     or self.heat_api.alive())

    def running_engines(self) -> list[int]:
        return [i for i, engine in enumerate(self.engines) if engine.alive()]

    # -- faults ------------------------------------------------------------

    def kill_engine(self, index: int) -> str:
        """SIGKILL engine ``index``; returns the engine id it had."""
        engine_id = self.engine_ids[index]
        self.engines[index].kill()
        self.engine_ids[index] = None
        return engine_id

    def terminate_engine(self, index: int, timeout: float = 30) -> bool:
        """SIGTERM engine ``index``; True if it exited within ``timeout``."""
        exited = self.engines[index].terminate(timeout)
        if exited:
            self.engine_ids[index] = None
        return exited

    def terminate_engines(self, timeout: float = 30) -> dict:
        """SIGTERM every running engine at once; {index: exit code, or None
        for one still running after ``timeout`` seconds}."""
        running = self.running_engines()
        for index in running:
            self.engines[index].signal(signal.SIGTERM)
        codes, deadline = {}, time.monotonic() + timeout
        for index in running:
            engine = self.engines[index]
            try:
                engine.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            codes[index] = engine.exit_code()
            if codes[index] is not None:
                self.engine_ids[index] = None
        return codes

    def start_engine(self, index: int) -> str:
        """Start a stopped engine again; returns its new engine id."""
        self._launch_engine(index)
        return self._wait_engine_started(index)

    def restart_engine(self, index: int) -> str:
        """SIGTERM (SIGKILL if it lingers) and start engine ``index``."""
        self.engines[index].stop()
        return self.start_engine(index)

    def restart_mariadb(self, down_seconds: float = 0) -> None:
        if self.backend != 'mariadb':
            raise ValueError('this deployment runs on %s, not MariaDB'
                             % self.backend)
        services.restart_mariadb(down_seconds)

    def restart_rabbitmq(self, down_seconds: float = 0) -> None:
        services.restart_rabbitmq(down_seconds)

    # -- logs --------------------------------------------------------------

    def _all_processes(self) -> list:
        return [p for p in self.engines + [self.api, self.heat_api]
                if p is not None]

    def client_for(self, test, **client_args):
        """A heatclient on this deployment for ``test``, whose details get
        every process's log from now on if it fails."""
        mark = self.log_mark()
        test.addOnException(lambda exc_info: test.addDetail(
            'deployment-log', content.text_content(self.log_since(mark))))
        return heat_client.Client('1', endpoint=self.endpoint, token='x',
                                  **client_args)

    def log_mark(self) -> dict:
        """Where each log ends now (for ``log_since``)."""
        return {p.label: p.log_size() for p in self._all_processes()}

    def log_tail(self, limit: int = 20000) -> str:
        """The end of every process's log (``limit`` characters each)."""
        return self.log_since({}, limit)

    def log_since(self, mark: dict, limit: int = 20000) -> str:
        """What each process logged after ``mark``, its last ``limit``
        characters per process."""
        parts = []
        for process in self._all_processes():
            text = process.log_since(mark.get(process.label, 0))
            if len(text) > limit:
                text = '[... %d characters cut ...]\n%s' % (
                    len(text) - limit, text[-limit:])
            parts.append('----- %s (%s) -----\n%s' % (
                process.label, 'running' if process.alive() else 'stopped',
                text or '(nothing)'))
        return '\n'.join(parts)
