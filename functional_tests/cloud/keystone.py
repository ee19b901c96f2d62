"""A lone Keystone for the tests: on MariaDB, fernet tokens, a free port.

It comes from the local cloud's virtualenv (functional_tests/cloud/venv.py,
built once) with the cloud's own pieces: the config of configs.keystone,
identity.bootstrap (user ``admin`` of project ``admin`` in RegionOne) and
the WSGI entry point conv_cloud_plugins.wsgi.keystone under gunicorn.
``ensure_venv()`` says why the virtualenv cannot be had, so a test skips
with that reason.  ``KeystoneFixture`` makes a private database
(``conv_k_keystone`` unless told otherwise) and directory, serves the
public API on a free port and drops it all on clean-up.
"""

import os
import shutil
import tempfile
import time

import fixtures

from functional_tests.cloud import configs
from functional_tests.cloud import identity
from functional_tests.cloud import launcher
from functional_tests.cloud import layout
from functional_tests.cloud import venv
from functional_tests import processes
from functional_tests import server
from functional_tests import services

START_TIMEOUT = 90
ADMIN_PASSWORD = 'conv-k-admin'
REGION = layout.REGION


class KeystoneUnavailable(Exception):
    """Keystone's virtualenv cannot be made; the message says why."""


def _bin(name: str) -> str:
    return os.path.join(layout.VENV, 'bin', name)


def ensure_venv() -> None:
    """Build the cloud's virtualenv unless it is there already."""
    try:
        venv.ensure(layout.VENV, os.path.join(layout.CACHE, 'pip.log'))
    except venv.VenvUnavailable as err:
        raise KeystoneUnavailable(str(err))


class KeystoneFixture(fixtures.Fixture):
    """A Keystone serving ``auth_url`` (``http://127.0.0.1:<port>/v3``)."""

    def __init__(self, database: str = 'conv_k_keystone'):
        super().__init__()
        self.database_name = database

    def _setUp(self):
        ensure_venv()
        self.state_dir = tempfile.mkdtemp(prefix='convergence-keystone-')
        self.addCleanup(shutil.rmtree, self.state_dir, ignore_errors=True)
        self.database = services.database('mariadb', self.database_name)
        self.database.drop()
        self.database.create()
        self.addCleanup(self.database.drop)
        self.port = server.free_port()
        self.conf_path = self._write_conf()
        identity.bootstrap(_bin('keystone-manage'), self.conf_path,
                           ADMIN_PASSWORD, self.auth_url)
        self._serve()

    @property
    def base_url(self) -> str:
        return 'http://127.0.0.1:%d' % self.port

    @property
    def auth_url(self) -> str:
        return self.base_url + '/v3'

    def _write_conf(self) -> str:
        path = os.path.join(self.state_dir, 'etc', 'keystone',
                            'keystone.conf')
        os.makedirs(os.path.dirname(path))
        with open(path, 'w') as conf:
            conf.write(configs.render(configs.keystone(
                self.database.url, self.state_dir,
                os.path.join(self.state_dir, 'keystone.log'))))
        return path

    def _serve(self) -> None:
        command = launcher.gunicorn(_bin('gunicorn'), self.port, 'keystone')
        self.process = processes.ManagedProcess(
            'keystone', command, os.path.join(self.state_dir, 'gunicorn.log'),
            self.state_dir, env={'CONV_CLOUD_ETC': os.path.join(
                self.state_dir, 'etc')})
        self.process.start()
        self.addCleanup(self.process.stop)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.process.alive():
                raise RuntimeError('keystone exited:\n' +
                                   self.process.log_tail())
            if launcher.answers(self.auth_url):
                return
            time.sleep(0.5)
        raise RuntimeError('keystone did not answer within %ss:\n%s' % (
            START_TIMEOUT, self.process.log_tail()))

    def admin_session(self):
        """A keystoneauth1 session as the bootstrap admin."""
        return identity.admin_session(self.auth_url, ADMIN_PASSWORD)
