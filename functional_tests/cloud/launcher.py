"""The cloud's processes: started detached, found again by pid file.

A service outlives the command that started it (``cloud start`` returns,
the cloud runs on), so each one gets its own session, its output in
``logs/<name>.out`` and its pid (= its process group) in ``run/<name>.pid``.
``stop`` signals that group.  A pid is only trusted while the process it
names still works in the cloud's directory, so a recycled pid is never
signalled.
"""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

# Seconds the services of a cloud get to exit after SIGTERM.
STOP_TIMEOUT = 20
# Bytes of a log shown when a service fails.
TAIL_BYTES = 4000


class ServiceFailed(Exception):
    """A service exited or never answered; names it and shows its log."""

    def __init__(self, name: str, why: str, log_path: str):
        super().__init__('%s %s; the end of %s:\n%s' % (
            name, why, log_path, log_tail(log_path)))
        self.service = name


def log_tail(path: str, size: int = TAIL_BYTES) -> str:
    try:
        with open(path, 'rb') as log:
            log.seek(max(0, os.path.getsize(path) - size))
            return log.read().decode('utf-8', 'replace')
    except OSError as err:
        return '(%s)' % err


class Launcher:
    """The processes of the cloud whose directory is ``base``."""

    def __init__(self, base: str, env: dict[str, str]):
        self.base = base
        self.env = dict(os.environ, **env)
        self.run_dir = os.path.join(base, 'run')
        self.log_dir = os.path.join(base, 'logs')

    def pid_file(self, name: str) -> str:
        return os.path.join(self.run_dir, name + '.pid')

    def out_file(self, name: str) -> str:
        return os.path.join(self.log_dir, name + '.out')

    def start(self, name: str, command: list[str]) -> int:
        """Start ``command`` as service ``name``, unless it runs already."""
        pid = self.pid(name)
        if pid is not None:
            return pid
        os.makedirs(self.run_dir, exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)
        with open(self.out_file(name), 'ab') as out:
            out.write(('\n=== %s started at %s: %s ===\n' % (
                name, time.strftime('%Y-%m-%dT%H:%M:%S'),
                ' '.join(command))).encode())
            out.flush()
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=self.base, env=self.env,
                start_new_session=True)
        with open(self.pid_file(name), 'w') as f:
            f.write('%d\n' % process.pid)
        return process.pid

    def pid(self, name: str) -> int | None:
        """The pid of service ``name`` if it runs (ours, not a zombie)."""
        try:
            with open(self.pid_file(name)) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return None
        return pid if self._ours(pid) else None

    def _ours(self, pid: int) -> bool:
        try:
            with open('/proc/%d/stat' % pid) as f:
                state = f.read().rsplit(')', 1)[1].split()[0]
            cwd = os.readlink('/proc/%d/cwd' % pid)
        except (OSError, IndexError):
            return False
        if state == 'Z':
            _reap(pid)
            return False
        return cwd == os.path.realpath(self.base)

    def names(self) -> list[str]:
        """Every service with a pid file, running or not."""
        try:
            return sorted(n[:-4] for n in os.listdir(self.run_dir)
                          if n.endswith('.pid'))
        except OSError:
            return []

    def running(self) -> dict[str, int]:
        return {name: pid for name in self.names()
                if (pid := self.pid(name)) is not None}

    def wait_answering(self, name: str, url: str, timeout: float) -> None:
        """Until ``url`` gives any HTTP answer; ServiceFailed when service
        ``name`` exits first or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while not answers(url):
            if self.pid(name) is None:
                raise ServiceFailed(name, 'exited', self.out_file(name))
            if time.monotonic() > deadline:
                raise ServiceFailed(name, 'did not answer %s within %ds' % (
                    url, timeout), self.out_file(name))
            time.sleep(0.5)

    def stop(self) -> list[str]:
        """SIGTERM every service's group, SIGKILL what lingers; the names
        of those that had to be killed."""
        groups = self.running()
        for pid in groups.values():
            _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and any(
                _group_alive(pid) for pid in groups.values()):
            time.sleep(0.3)
        killed = [name for name, pid in groups.items() if _group_alive(pid)]
        for name in killed:
            _signal_group(groups[name], signal.SIGKILL)
        for name in self.names():
            os.unlink(self.pid_file(name))
        return killed


# Seconds gunicorn keeps an idle connection.  Its default (2 s) is the
# interval at which clients poll (openstacksdk's wait_for_server, Nova
# asking Neutron), so a client would often reuse a connection just as
# gunicorn closes it and get "Connection reset by peer".
KEEP_ALIVE = 75


def gunicorn(gunicorn_script: str, port: int, factory: str) -> list[str]:
    """gunicorn serving ``conv_cloud_plugins.wsgi.<factory>()`` on ``port``
    (one worker of four threads; no control socket, which needs a writable
    home for each instance)."""
    return [gunicorn_script, '-b', '127.0.0.1:%d' % port, '-w', '1',
            '-k', 'gthread', '--threads', '4', '--timeout', '300',
            '--keep-alive', str(KEEP_ALIVE), '--no-control-socket',
            '--access-logfile', '-', 'conv_cloud_plugins.wsgi:%s()' % factory]


def answers(url: str) -> bool:
    """Whether ``url`` gives any HTTP answer, an error status included."""
    try:
        urllib.request.urlopen(url, timeout=3)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(pgid: int) -> bool:
    """Whether any process but a zombie is left in group ``pgid``."""
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != 'Z':
            return True
    _reap(pgid)
    return False


def _reap(pid: int) -> None:
    """Collect our own dead child, if it is one."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
