"""The console scripts log a warning for each unhonoured Heat option set.

Importing ``convergence.cmd`` monkey-patches the importing process, so the
command runs in a Python process of its own.
"""

import os
import subprocess
import sys

import fixtures
import testtools

# Seconds convergence-manage may take to start and answer.
PATIENCE = 60


class StartUpWarningTest(testtools.TestCase):

    def run_manage(self, heat_conf: str) -> str:
        """What ``convergence-manage db version`` logs with ``heat_conf``."""
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'heat.conf')
        with open(path, 'w') as f:
            f.write(heat_conf + '[database]\nconnection = sqlite:///%s\n'
                    % os.path.join(directory, 'state.sqlite'))
        return subprocess.run(
            [sys.executable, '-c',
             'from convergence.cmd import manage; manage.main()',
             '--config-file', path, 'db', 'version'],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=PATIENCE, check=True).stdout

    def test_an_unhonoured_option_is_warned_about_at_start(self):
        logged = self.run_manage('[DEFAULT]\nobserve_on_update = true\n')
        [warning] = [line for line in logged.splitlines()
                     if ' WARNING convergence.startup ' in line]
        self.assertIn('[DEFAULT] observe_on_update = true, which is not '
                      'honoured', warning)

    def test_a_heat_conf_of_honoured_options_starts_without_warnings(self):
        logged = self.run_manage('[DEFAULT]\nstack_action_timeout = 60\n'
                                 'convergence_engine = true\n')
        self.assertNotIn(' WARNING convergence.startup ', logged)
