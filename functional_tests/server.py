"""A real ``convergence-all`` process on a free port with its own database.

The process gets a private temporary directory holding its SQLite file, its
log and, when options are given, its config file.  ``ServerFixture`` starts
it, waits until ``GET /`` answers, and on clean-up stops it (SIGTERM, then
SIGKILL if it lingers) and removes the directory.  A server that dies or
never answers fails the fixture with the tail of its log.
"""

import os
import shlex
import shutil
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request

import fixtures

from functional_tests import processes
from functional_tests import recording

# Seconds a fresh server may take to migrate its database and listen.
START_TIMEOUT = 60
# Attempts with a new port when another process took ours meanwhile.
PORT_ATTEMPTS = 3
# The tenant in every URL; noauth serves any, and Heat's tests use admin.
TENANT = 'admin'


class ServerFailed(Exception):
    """The server exited or never answered; the message has its log tail."""


def free_port() -> int:
    """A port nobody listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def answers(base_url: str) -> bool:
    """Whether ``GET /`` gets an HTTP answer (Heat's is a 300)."""
    try:
        urllib.request.urlopen(base_url + '/', timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def server_command() -> list[str]:
    """``$CONVERGENCE_ALL_COMMAND``, else the console script of this venv."""
    override = os.environ.get('CONVERGENCE_ALL_COMMAND')
    if override:
        return shlex.split(override)
    script = os.path.join(os.path.dirname(sys.executable), 'convergence-all')
    if os.path.exists(script):
        return [script]
    return [sys.executable, '-c',
            'from convergence.cmd.all import main; main()']


class ServerFixture(fixtures.Fixture):
    """One ``convergence-all`` process; ``endpoint`` is its ``/v1/admin``.

    ``config`` holds [DEFAULT] options written to its ``--config-file``,
    which also makes the recorded resource type available (``recording``);
    ``sections`` maps other groups to their options.
    """

    def __init__(self, extra_args: tuple = (), config: dict | None = None,
                 sections: dict[str, dict] | None = None):
        super().__init__()
        self.extra_args = list(extra_args)
        self.config = dict(config or {})
        self.sections = dict(sections or {})
        self.process = None
        self.port = None

    def _setUp(self):
        self.state_dir = tempfile.mkdtemp(prefix='convergence-ft-')
        self.addCleanup(shutil.rmtree, self.state_dir, ignore_errors=True)
        self.log_path = os.path.join(self.state_dir, 'server.log')
        self.recording = recording.Recording(self.state_dir)
        self.addCleanup(self.stop)
        for attempt in range(PORT_ATTEMPTS):
            self.port = free_port()
            try:
                self._start()
                return
            except ServerFailed:
                self.stop()
                if attempt == PORT_ATTEMPTS - 1 or not self._port_taken():
                    raise

    @property
    def base_url(self) -> str:
        return 'http://127.0.0.1:%d' % self.port

    @property
    def endpoint(self) -> str:
        return '%s/v1/%s' % (self.base_url, TENANT)

    @property
    def database_url(self) -> str:
        return 'sqlite:///' + os.path.join(self.state_dir, 'convergence.sqlite')

    @property
    def ledger(self):
        """What the recorded resources of this server did."""
        return self.recording.ledger

    @property
    def config_path(self) -> str:
        return os.path.join(self.state_dir, 'convergence.conf')

    def _config_args(self) -> list[str]:
        options = dict(self.recording.config, **self.config)
        path = self.config_path
        with open(path, 'w') as conf:
            for group, values in [('DEFAULT', options),
                                  *self.sections.items()]:
                conf.write('[%s]\n' % group + ''.join(
                    '%s = %s\n' % item for item in values.items()))
        return ['--config-file', path]

    def _start(self):
        cmd = server_command() + self._config_args() + [
            '--port', str(self.port), '--database-url',
            self.database_url] + self.extra_args
        self.process = processes.ManagedProcess(
            'convergence-all', cmd, self.log_path, self.state_dir,
            env=self.recording.env)
        self.process.start()
        self._wait_until_answering()

    def _wait_until_answering(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.process.alive():
                raise ServerFailed('convergence-all exited with %s:\n%s' % (
                    self.process.exit_code(), self.log_tail()))
            if self.answers():
                return
            time.sleep(0.2)
        raise ServerFailed('convergence-all did not answer GET / within '
                           '%ss:\n%s' % (START_TIMEOUT, self.log_tail()))

    def answers(self) -> bool:
        return answers(self.base_url)

    def alive(self) -> bool:
        return self.process is not None and self.process.alive()

    def _port_taken(self) -> bool:
        return 'Address already in use' in self.log_tail()

    def stop(self):
        """SIGTERM the process group, SIGKILL it if it does not exit."""
        if self.process is not None:
            self.process.stop()

    def log_mark(self) -> int:
        """Where the log ends now (for ``log_since``)."""
        return self.process.log_size() if self.process else 0

    def log_since(self, offset: int) -> str:
        """The log written after byte ``offset``."""
        return self.process.log_since(offset) if self.process else ''

    def log_tail(self, size: int = 6000) -> str:
        return self.process.log_tail(size) if self.process else ''


class ExternalServer:
    """A server someone else runs (``CONVERGENCE_TEST_ENDPOINT``)."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint.rstrip('/')
        self.base_url = self.endpoint.split('/v1/')[0]

    def alive(self) -> bool:
        return True

    def log_mark(self) -> int:
        return 0

    def log_since(self, offset: int) -> str:
        return ''
