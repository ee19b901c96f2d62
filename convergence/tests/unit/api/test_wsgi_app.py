"""The WSGI entry point: which configuration it reads, and what it builds.

Building the application parses the global configuration, so that part
runs in a Python process of its own, as a WSGI server would import it.
"""

import os
import subprocess
import sys

import fixtures
import testtools

from convergence.api import wsgi_app

# Seconds the child process may take to import and answer.
PATIENCE = 60
# Imports the WSGI script and asks the application for /healthcheck.
SCRIPT = '''
import webob
from convergence.wsgi import api
print(webob.Request.blank('/healthcheck').get_response(api.application).status)
'''


class TestConfigFiles(testtools.TestCase):

    def test_the_default_path_without_the_variable(self):
        self.assertEqual(['/etc/convergence/convergence.conf'],
                         wsgi_app.config_files({}))
        self.assertEqual(['/etc/convergence/convergence.conf'],
                         wsgi_app.config_files({wsgi_app.CONFIG_FILE_ENV: ''}))

    def test_the_variable_names_one_file_or_several(self):
        self.assertEqual(['/a.conf', '/b.conf'], wsgi_app.config_files(
            {wsgi_app.CONFIG_FILE_ENV: '/a.conf, /b.conf'}))


class TestApplication(testtools.TestCase):

    def run_script(self, config_file: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, **{wsgi_app.CONFIG_FILE_ENV: config_file})
        return subprocess.run([sys.executable, '-c', SCRIPT], env=env,
                              capture_output=True, text=True,
                              timeout=PATIENCE)

    def test_the_script_builds_the_pipeline_from_the_named_file(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'api.conf')
        log = os.path.join(directory, 'api.log')
        with open(path, 'w') as conf:
            conf.write('[DEFAULT]\ntransport_url = rabbit://nobody@127.0.0.1'
                       ':1/\nlog_file = %s\n' % log)
        result = self.run_script(path)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('200 OK', result.stdout.strip())
        with open(log) as logged:
            self.assertIn('Heat orchestration API (WSGI) from %s' % path,
                          logged.read())

    def test_a_missing_file_is_named(self):
        result = self.run_script('/nonexistent/convergence.conf')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('configuration file /nonexistent/convergence.conf not '
                      'found (set CONVERGENCE_CONFIG_FILE)', result.stderr)
