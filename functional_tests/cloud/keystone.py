"""A real Keystone for the tests: from PyPI, on MariaDB, fernet tokens.

``ensure_venv()`` builds ``~/.cache/convergence-acceptance/keystone-venv``
once (keystone, gunicorn, PyMySQL) and says why when it cannot, so a test
skips with that reason.  ``KeystoneFixture`` makes a private database
(``conv_k_keystone`` unless told otherwise), writes keystone.conf, runs
``keystone-manage db_sync``, ``fernet_setup``, ``credential_setup`` and
``bootstrap`` (user ``admin`` of project ``admin`` in RegionOne), serves the
public API with gunicorn on a free port, and drops it all on clean-up.

As /work/shared/tools/minicloud does: gunicorn rather than uWSGI (its
``--no-control-socket``), and keystone's WSGI module imported from a shim
that clears ``sys.argv`` first, since oslo.config would otherwise parse
gunicorn's own arguments.
"""

import grp
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import fixtures

from functional_tests import processes
from functional_tests import server
from functional_tests import services

VENV = os.path.expanduser('~/.cache/convergence-acceptance/keystone-venv')
# The Keystone /work/shared/tools/minicloud runs beside upstream Heat 27.0.1.
PACKAGES = ['keystone==30.0.0', 'gunicorn', 'PyMySQL']
PIP_TIMEOUT = 900
SETUP_TIMEOUT = 300
START_TIMEOUT = 90
ADMIN_PASSWORD = 'conv-k-admin'
REGION = 'RegionOne'

WSGI_SHIM = '''import os
import sys

os.environ['OS_KEYSTONE_CONFIG_FILES'] = %r
sys.argv = ['keystone-wsgi-public']
from keystone.wsgi.api import application  # noqa: E402,F401
'''


class KeystoneUnavailable(Exception):
    """Keystone's virtualenv cannot be made; the message says why."""


def _bin(name: str) -> str:
    return os.path.join(VENV, 'bin', name)


def ensure_venv() -> None:
    """Build the virtualenv unless it has keystone-manage already."""
    if os.path.exists(_bin('keystone-manage')) and os.path.exists(
            _bin('gunicorn')):
        return
    try:
        subprocess.run([sys.executable, '-m', 'venv', VENV], check=True,
                       capture_output=True, timeout=120)
        subprocess.run([_bin('pip'), 'install', '-q'] + PACKAGES,
                       check=True, capture_output=True, text=True,
                       timeout=PIP_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as err:
        detail = getattr(err, 'stderr', '') or ''
        raise KeystoneUnavailable('cannot build %s (%s): %s' % (
            VENV, err, detail[-2000:]))


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


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
        self._manage('db_sync')
        for repository in ('fernet_setup', 'credential_setup'):
            self._manage(repository, '--keystone-user',
                         pwd.getpwuid(os.getuid()).pw_name,
                         '--keystone-group', grp.getgrgid(os.getgid()).gr_name)
        self._manage('bootstrap', '--bootstrap-password', ADMIN_PASSWORD,
                     '--bootstrap-public-url', self.auth_url,
                     '--bootstrap-internal-url', self.auth_url,
                     '--bootstrap-admin-url', self.auth_url,
                     '--bootstrap-region-id', REGION)
        self._serve()

    @property
    def base_url(self) -> str:
        return 'http://127.0.0.1:%d' % self.port

    @property
    def auth_url(self) -> str:
        return self.base_url + '/v3'

    def _write_conf(self) -> str:
        keys = os.path.join(self.state_dir, 'fernet-keys')
        credential_keys = os.path.join(self.state_dir, 'credential-keys')
        path = os.path.join(self.state_dir, 'keystone.conf')
        with open(path, 'w') as conf:
            conf.write(
                '[DEFAULT]\nlog_file = %s\n'
                '[database]\nconnection = mysql+pymysql://root@127.0.0.1/%s\n'
                '[token]\nprovider = fernet\n'
                '[fernet_tokens]\nkey_repository = %s\n'
                '[fernet_receipts]\nkey_repository = %s\n'
                '[credential]\nkey_repository = %s\n' % (
                    os.path.join(self.state_dir, 'keystone.log'),
                    self.database_name, keys, keys, credential_keys))
        return path

    def _manage(self, *args: str) -> None:
        result = subprocess.run(
            [_bin('keystone-manage'), '--config-file', self.conf_path]
            + list(args), capture_output=True, text=True,
            timeout=SETUP_TIMEOUT)
        if result.returncode != 0:
            raise RuntimeError('keystone-manage %s exited %s:\n%s%s' % (
                args[0], result.returncode, result.stdout,
                result.stderr[-4000:]))

    def _serve(self) -> None:
        with open(os.path.join(self.state_dir, 'keystone_app.py'), 'w') as f:
            f.write(WSGI_SHIM % self.conf_path)
        command = [_bin('gunicorn'), '--chdir', self.state_dir,
                   '-b', '127.0.0.1:%d' % self.port, '-w', '1',
                   '-k', 'gthread', '--threads', '4', '--timeout', '120',
                   '--no-control-socket', 'keystone_app:application']
        self.process = processes.ManagedProcess(
            'keystone', command, os.path.join(self.state_dir, 'gunicorn.log'),
            self.state_dir)
        self.process.start()
        self.addCleanup(self.process.stop)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.process.alive():
                raise RuntimeError('keystone exited:\n' +
                                   self.process.log_tail())
            if _answers(self.auth_url):
                return
            time.sleep(0.5)
        raise RuntimeError('keystone did not answer within %ss:\n%s' % (
            START_TIMEOUT, self.process.log_tail()))

    def admin_session(self):
        """A keystoneauth1 session as the bootstrap admin."""
        from keystoneauth1.identity import v3
        from keystoneauth1 import session
        return session.Session(auth=v3.Password(
            auth_url=self.auth_url, username='admin', password=ADMIN_PASSWORD,
            project_name='admin', user_domain_id='default',
            project_domain_id='default'))
