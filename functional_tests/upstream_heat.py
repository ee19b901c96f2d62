"""Upstream Heat 27.0.1 as deployed: heat-engine and heat-api, on a bus and
a database of their own, to fill a Heat database for import-heat.

heat-engine is the venv's console script (convergence_engine = true, one
worker) and heat-api the WSGI application under uwsgi
(functional_tests/stock_heat_api.py), both on a private RabbitMQ vhost and
a private MariaDB or PostgreSQL database.  ``kill_engine`` SIGKILLs
heat-engine's whole process group, as a host losing it would; its stacks in
progress stay IN_PROGRESS in the database.  Needs the Heat venv (and the
venv's driver for the database: psycopg2 or PyMySQL).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import uuid

import fixtures
import requests

from functional_tests import deployment
from functional_tests import processes
from functional_tests import server as server_mod
from functional_tests import services
from functional_tests import stock_heat_api
from functional_tests import waiting

# Seconds heat-manage db_sync may take (Heat has ~90 migrations).
DB_SYNC_TIMEOUT = 180
# Seconds heat-engine and heat-api may take to answer a stack list.
START_TIMEOUT = 90
DRIVERS = {'postgresql': 'psycopg2', 'mariadb': 'pymysql'}


def _python() -> str:
    return os.path.join(stock_heat_api.HEAT_VENV, 'bin', 'python')


def unavailable_reason(backend: str) -> str | None:
    """Why upstream Heat cannot run here on ``backend``, or None."""
    reason = stock_heat_api.unavailable_reason()
    if reason:
        return reason
    driver = DRIVERS[backend]
    found = subprocess.run([_python(), '-c', 'import %s' % driver],
                           capture_output=True)
    if found.returncode != 0:
        return 'the Heat venv %s has no %s for %s' % (
            stock_heat_api.HEAT_VENV, driver, backend)
    return None


class UpstreamHeat(fixtures.Fixture):
    """heat-engine + heat-api; ``endpoint`` is heat-api's ``/v1/admin``,
    ``database`` Heat's PrivateDatabase (kept until clean-up)."""

    def __init__(self, backend: str = 'postgresql'):
        super().__init__()
        self.backend = backend

    def _setUp(self):
        suffix = uuid.uuid4().hex[:10]
        self.state_dir = tempfile.mkdtemp(prefix='convergence-heat-')
        if os.environ.get(deployment.KEEP_ENV):
            print('upstream Heat logs kept in %s' % self.state_dir,
                  file=sys.stderr, flush=True)
        else:
            self.addCleanup(shutil.rmtree, self.state_dir, ignore_errors=True)
        self.database = services.database(self.backend,
                                          'convergence_ft_heat_%s' % suffix)
        self.database.create()
        self.addCleanup(self.database.drop)
        self.vhost = 'convergence-ft-heat-%s' % suffix
        services.add_vhost(self.vhost)
        self.addCleanup(services.delete_vhost, self.vhost)
        self.port = server_mod.free_port()
        self.conf = self._write_conf()
        self._db_sync()
        bin_dir = os.path.join(stock_heat_api.HEAT_VENV, 'bin')
        self.engine = processes.ManagedProcess(
            'heat-engine', [os.path.join(bin_dir, 'heat-engine'),
                            '--config-file', self.conf],
            os.path.join(self.state_dir, 'heat-engine.log'), self.state_dir)
        # Without "Connection: close" the openstack client reuses
        # connections that uwsgi's --http-socket has dropped and, on a busy
        # machine, meets "Connection reset by peer" (2 runs of 4 here).
        self.api = processes.ManagedProcess(
            'heat-api', stock_heat_api.command(
                processes.console_script('uwsgi'), self.port, self.conf)
            + ['--add-header', 'Connection: close'],
            os.path.join(self.state_dir, 'heat-api.log'), self.state_dir)
        self.addCleanup(self.stop)
        self.engine.start()
        self.api.start()
        self._wait_api()

    def _write_conf(self) -> str:
        sections = stock_heat_api.heat_conf(services.rabbit_url(self.vhost),
                                            self.state_dir)
        sections['DEFAULT'].update({
            'host': 'upstream-heat', 'convergence_engine': 'true',
            'num_engine_workers': 1, 'deferred_auth_method': 'password'})
        sections['database'] = {'connection': self.database.url}
        path = os.path.join(self.state_dir, 'heat.conf')
        with open(path, 'w') as conf:
            conf.write(deployment.config_text(sections))
        return path

    def _db_sync(self) -> None:
        result = subprocess.run(
            [os.path.join(stock_heat_api.HEAT_VENV, 'bin', 'heat-manage'),
             '--config-file', self.conf, 'db_sync'],
            capture_output=True, text=True, timeout=DB_SYNC_TIMEOUT)
        if result.returncode != 0:
            raise deployment.DeploymentFailed(
                'heat-manage db_sync exited %s:\n%s%s' % (
                    result.returncode, result.stdout, result.stderr))

    def _wait_api(self) -> None:
        """Until heat-api lists stacks, which takes heat-engine too."""
        def lists():
            for process in (self.engine, self.api):
                if not process.alive():
                    raise deployment.DeploymentFailed('%s exited:\n%s' % (
                        process.label, deployment.excerpt(
                            process.log_since(0))))
            try:
                return requests.get(self.endpoint + '/stacks', headers={
                    'X-Auth-Token': 'x'}, timeout=5).status_code == 200
            except requests.RequestException:
                return False
        waiting.wait_until(lists, START_TIMEOUT, 'upstream Heat to answer')

    @property
    def endpoint(self) -> str:
        return 'http://127.0.0.1:%d/v1/%s' % (self.port, server_mod.TENANT)

    def kill_engine(self) -> None:
        """SIGKILL heat-engine and its workers: nothing is cleaned up."""
        self.engine.kill()

    def stop(self) -> None:
        """Stop heat-api and heat-engine; the database stays."""
        for process in (self.api, self.engine):
            process.stop()
