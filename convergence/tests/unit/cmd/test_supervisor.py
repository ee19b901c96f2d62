"""The engine's fork supervisor, run in a child process as the entry point runs it.

Importing ``convergence.cmd`` monkey-patches the importing process, so these
tests start a Python process of their own for it.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

import testtools

PATIENCE = 20
WORKERS = 3
# A supervisor of WORKERS workers; each prints "worker INDEX PID", then
# returns at once ("exit") or waits for SIGTERM ("wait").
SCRIPT = '''
import os, signal, sys, time
from convergence.cmd import supervisor

def worker(index):
    stop = []
    signal.signal(signal.SIGTERM, lambda *args: stop.append(True))
    os.write(1, b'worker %%d %%d\\n' %% (index, os.getpid()))
    while sys.argv[1] == 'wait' and not stop:
        time.sleep(0.02)

sys.exit(supervisor.Supervisor(%d, worker).run())
''' % WORKERS


def _gone(pid: int) -> bool:
    """Exited (a zombie nobody reaped counts as exited)."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            return stat.read().split(')')[-1].split()[0] in ('Z', 'X')
    except FileNotFoundError:
        return True


class SupervisorTest(testtools.TestCase):

    def start(self, mode: str) -> tuple[subprocess.Popen, list[int]]:
        parent = subprocess.Popen(
            [sys.executable, '-c', SCRIPT, mode], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.addCleanup(self.kill_group, parent)
        pids = []
        for _ in range(WORKERS):
            line = parent.stdout.readline().split()
            self.assertEqual('worker', line[0] if line else parent.stderr.read())
            pids.append(int(line[2]))
        return parent, pids

    @staticmethod
    def kill_group(parent: subprocess.Popen) -> None:
        try:
            os.killpg(parent.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        parent.wait(PATIENCE)
        parent.stdout.close()
        parent.stderr.close()

    def wait_gone(self, pids: list[int]) -> None:
        deadline = time.monotonic() + PATIENCE
        while not all(_gone(pid) for pid in pids):
            if time.monotonic() > deadline:
                self.fail('workers %s still running' % [
                    pid for pid in pids if not _gone(pid)])
            time.sleep(0.05)

    def test_every_worker_is_a_process_of_its_own(self):
        parent, pids = self.start('wait')
        self.assertEqual(WORKERS, len(set(pids)))
        self.assertNotIn(parent.pid, pids)

    def test_sigterm_is_passed_on_and_the_parent_waits_for_all(self):
        parent, pids = self.start('wait')
        parent.send_signal(signal.SIGTERM)
        self.assertEqual(0, parent.wait(PATIENCE))
        self.wait_gone(pids)

    def test_workers_that_exit_are_not_restarted(self):
        parent, pids = self.start('exit')
        # No worker left: the parent fails, for the service manager to act.
        self.assertEqual(1, parent.wait(PATIENCE))
        self.assertEqual('', parent.stdout.read())
        self.assertIn('exited with 0 unexpectedly', parent.stderr.read())

    def test_workers_stop_when_the_parent_is_killed(self):
        parent, pids = self.start('wait')
        parent.kill()
        parent.wait(PATIENCE)
        self.wait_gone(pids)


class WorkerCountTest(testtools.TestCase):

    def test_a_negative_worker_count_is_refused_clearly(self):
        with tempfile.NamedTemporaryFile('w', suffix='.conf') as conf:
            conf.write('[DEFAULT]\nnum_engine_workers = -2\n')
            conf.flush()
            result = subprocess.run(
                [sys.executable, '-c',
                 'from convergence.cmd import engine; engine.main()',
                 '--config-file', conf.name], capture_output=True, text=True,
                timeout=60)
        self.assertEqual(1, result.returncode)
        self.assertIn('num_engine_workers must be positive', result.stderr)

    def test_unset_means_max_of_four_and_the_cpus(self):
        result = subprocess.run(
            [sys.executable, '-c',
             'from convergence.cmd import engine\n'
             'print(engine.worker_count(None), engine.worker_count(0), '
             'engine.worker_count(3))'], capture_output=True, text=True,
            timeout=60)
        cpus = os.cpu_count()
        self.assertEqual('%d %d 3' % (max(4, cpus), max(4, cpus)),
                         result.stdout.strip(), result.stderr)
