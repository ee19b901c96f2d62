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
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import fixtures

from functional_tests import recording

# Seconds a fresh server may take to migrate its database and listen.
START_TIMEOUT = 60
# Seconds a server may take to exit after SIGTERM before it is killed.
STOP_TIMEOUT = 10
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
    which also makes the recorded resource type available (``recording``).
    """

    def __init__(self, extra_args: tuple = (), config: dict | None = None):
        super().__init__()
        self.extra_args = list(extra_args)
        self.config = dict(config or {})
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

    def _config_args(self) -> list[str]:
        options = dict(self.recording.config, **self.config)
        path = os.path.join(self.state_dir, 'convergence.conf')
        with open(path, 'w') as conf:
            conf.write('[DEFAULT]\n' + ''.join(
                '%s = %s\n' % item for item in options.items()))
        return ['--config-file', path]

    def _start(self):
        cmd = server_command() + self._config_args() + [
            '--port', str(self.port), '--database-url',
            self.database_url] + self.extra_args
        with open(self.log_path, 'ab') as log:
            self.process = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=self.state_dir,
                env=dict(os.environ, **self.recording.env),
                start_new_session=True)
        self._wait_until_answering()

    def _wait_until_answering(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed('convergence-all exited with %s:\n%s' % (
                    self.process.returncode, self.log_tail()))
            if self.answers():
                return
            time.sleep(0.2)
        raise ServerFailed('convergence-all did not answer GET / within '
                           '%ss:\n%s' % (START_TIMEOUT, self.log_tail()))

    def answers(self) -> bool:
        return answers(self.base_url)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _port_taken(self) -> bool:
        return 'Address already in use' in self.log_tail()

    def stop(self):
        """SIGTERM the process group, SIGKILL it if it does not exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)

    def _signal(self, signum):
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def log_size(self) -> int:
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_mark(self) -> int:
        """Where the log ends now (for ``log_since``)."""
        return self.log_size()

    def log_since(self, offset: int) -> str:
        """The log written after byte ``offset``."""
        try:
            with open(self.log_path, 'rb') as log:
                log.seek(offset)
                return log.read().decode('utf-8', 'replace')
        except OSError:
            return ''

    def log_tail(self, size: int = 6000) -> str:
        return self.log_since(max(0, self.log_size() - size))


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
