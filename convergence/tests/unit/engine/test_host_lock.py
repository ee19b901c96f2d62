"""An engine's lock file proves, on its machine, whether it still runs."""

import os
import shutil
import subprocess
import sys
import tempfile
import types

import fixtures
import testtools

from convergence.engine import host_lock
from convergence.engine import process

# A child that takes the lock of engine 'e1' and waits to be killed.
HOLDER = '''
import sys, time
from convergence.engine import host_lock
lock = host_lock.HostLock('e1', sys.argv[1])
print('held', flush=True)
time.sleep(60)
'''


class HostLockTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.directory = tempfile.mkdtemp(prefix='convergence-locks-')
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)

    def holder(self) -> subprocess.Popen:
        """A child process that holds engine e1's lock until killed."""
        child = subprocess.Popen([sys.executable, '-c', HOLDER,
                                  self.directory], stdout=subprocess.PIPE)
        self.addCleanup(child.wait)
        self.assertEqual(b'held\n', child.stdout.readline())
        return child

    @staticmethod
    def kill(child: subprocess.Popen) -> None:
        child.kill()
        child.wait()
        child.stdout.close()

    def test_a_live_engine_is_not_gone(self):
        lock = host_lock.HostLock('e1', self.directory)
        self.addCleanup(lock.release)
        self.assertFalse(host_lock.is_gone('e1', self.directory))

    def test_a_killed_engine_is_gone_and_its_file_removed(self):
        child = self.holder()
        self.assertFalse(host_lock.is_gone('e1', self.directory))
        self.kill(child)
        self.assertTrue(host_lock.is_gone('e1', self.directory))
        self.assertEqual([], os.listdir(self.directory))

    def test_an_engine_of_another_machine_proves_nothing(self):
        self.assertFalse(host_lock.is_gone('elsewhere', self.directory))

    def test_a_live_engine_is_held_and_a_killed_one_is_not(self):
        child = self.holder()
        self.assertTrue(host_lock.is_held('e1', self.directory))
        self.kill(child)
        self.assertFalse(host_lock.is_held('e1', self.directory))
        self.assertFalse(host_lock.is_held('elsewhere', self.directory))

    def test_a_clean_stop_removes_the_file(self):
        lock = host_lock.HostLock('e1', self.directory)
        lock.release()
        lock.release()
        self.assertEqual([], os.listdir(self.directory))

    def test_an_engine_runs_on_without_a_lock_it_cannot_take(self):
        blocker = os.path.join(self.directory, 'not-a-directory')
        open(blocker, 'w').close()
        lock = host_lock.HostLock('e1', blocker)  # no OSError escapes
        lock.release()
        self.assertFalse(host_lock.is_gone('e1', blocker))


class _Services:
    """The service rows ``_proven_gone`` reads and deletes."""

    def __init__(self, *engine_ids):
        self.rows = {e: {'engine_id': e} for e in engine_ids}

    def service_list(self):
        return list(self.rows.values())

    def service_delete(self, engine_id):
        del self.rows[engine_id]


class ProvenGoneTest(testtools.TestCase):
    """Which predecessors a starting engine takes over at once."""

    def setUp(self):
        super().setUp()
        self.directory = tempfile.mkdtemp(prefix='convergence-locks-')
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        self.useFixture(fixtures.MonkeyPatch(
            'convergence.engine.host_lock.LOCK_DIR', self.directory))

    def _rt(self, *others):
        return types.SimpleNamespace(engine_id='me',
                                     db=_Services('me', *others))

    def test_over_a_shared_bus_an_engine_without_a_lock_file_is_not_gone(self):
        rt = self._rt('elsewhere')
        self.assertEqual(set(), process._proven_gone(rt, False))
        self.assertIn('elsewhere', rt.db.rows)

    def test_on_the_in_process_bus_every_engine_not_held_is_gone(self):
        live = host_lock.HostLock('alive', self.directory)
        self.addCleanup(live.release)
        rt = self._rt('before-reboot', 'alive')
        self.assertEqual({'before-reboot'}, process._proven_gone(rt, True))
        self.assertEqual({'me', 'alive'}, set(rt.db.rows))
