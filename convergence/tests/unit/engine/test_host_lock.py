"""An engine's lock file proves, on its machine, whether it still runs."""

import os
import shutil
import subprocess
import sys
import tempfile

import testtools

from convergence.engine import host_lock

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

    def test_a_live_engine_is_not_gone(self):
        lock = host_lock.HostLock('e1', self.directory)
        self.addCleanup(lock.release)
        self.assertFalse(host_lock.is_gone('e1', self.directory))

    def test_a_killed_engine_is_gone_and_its_file_removed(self):
        child = subprocess.Popen([sys.executable, '-c', HOLDER,
                                  self.directory], stdout=subprocess.PIPE)
        self.addCleanup(child.wait)
        self.assertEqual(b'held\n', child.stdout.readline())
        self.assertFalse(host_lock.is_gone('e1', self.directory))
        child.kill()
        child.wait()
        child.stdout.close()
        self.assertTrue(host_lock.is_gone('e1', self.directory))
        self.assertEqual([], os.listdir(self.directory))

    def test_an_engine_of_another_machine_proves_nothing(self):
        self.assertFalse(host_lock.is_gone('elsewhere', self.directory))

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
