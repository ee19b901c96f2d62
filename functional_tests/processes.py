"""One console script run as a real process, killable and restartable.

The process gets its own session (so a signal reaches it alone), writes
stdout and stderr to a log file that survives restarts (each start appends
a marker line), and can be SIGKILLed, SIGTERMed or started again.
"""

import os
import signal
import subprocess
import sys
import time

# Seconds a process may take to exit after SIGTERM before it is killed.
STOP_TIMEOUT = 15


def console_script(name: str) -> str:
    """The console script ``name`` of this venv (where the tests run)."""
    return os.path.join(os.path.dirname(sys.executable), name)


class ManagedProcess:
    """A console script with arguments, a log file and an environment."""

    def __init__(self, label: str, command: list[str], log_path: str,
                 cwd: str, env: dict | None = None):
        self.label = label
        self.command = command
        self.log_path = log_path
        self.cwd = cwd
        self.env = dict(os.environ, **(env or {}))
        self.process = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> None:
        """Start (again); an old instance must have exited."""
        if self.alive():
            raise RuntimeError('%s is already running (pid %s)'
                               % (self.label, self.pid))
        self.starts += 1
        with open(self.log_path, 'ab') as log:
            log.write(('\n=== %s start #%d at %.3f: %s ===\n' % (
                self.label, self.starts, time.time(),
                ' '.join(self.command))).encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=self.cwd, env=self.env,
                start_new_session=True)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up."""
        self.signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(STOP_TIMEOUT)

    def terminate(self, timeout: float = STOP_TIMEOUT) -> bool:
        """SIGTERM and wait; True if it exited in time (else it lives on)."""
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; a no-op when not running."""
        if not self.alive():
            return
        if not self.terminate():
            self.kill()

    def signal(self, signum: int) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    # -- the log ---------------------------------------------------------

    def log_size(self) -> int:
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_since(self, offset: int) -> str:
        try:
            with open(self.log_path, 'rb') as log:
                log.seek(offset)
                return log.read().decode('utf-8', 'replace')
        except OSError:
            return ''

    def log_tail(self, size: int = 6000) -> str:
        return self.log_since(max(0, self.log_size() - size))
