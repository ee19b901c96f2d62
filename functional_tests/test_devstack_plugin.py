"""The devstack plugin's convergence-engine behind upstream heat-api, for real.

convergence/tests/unit/devstack/harness.sh plays stack.sh (heat's plugin,
then ours) with heat.conf's ``transport_url`` on a private RabbitMQ vhost and
the databases on MariaDB, so the plugin's ``convergence-manage db_sync``
builds the schema there.  The test then starts what devstack's systemd unit
would: the command the plugin handed ``run_process conv-eng``, and upstream
heat-api (uwsgi from the Heat venv, functional_tests/stock_heat_api.py) on
the same heat.conf, with the noauth settings a run without Keystone needs
added as a local.conf ``[[post-config|$HEAT_CONF]]`` would.  A stack is
created and deleted through heat-api.  Skipped without the Heat venv.
"""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid

import requests
import testtools

from convergence.tests.unit.devstack import ini_file
from functional_tests import base
from functional_tests import deployment
from functional_tests import processes
from functional_tests import server as server_mod
from functional_tests import services
from functional_tests import stock_heat_api
from functional_tests import waiting

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(ROOT, 'convergence', 'tests', 'unit', 'devstack',
                       'harness.sh')
TENANT = 'demo'
HEADERS = {'X-Auth-Token': 'x', 'Content-Type': 'application/json'}
TEMPLATE = {
    'heat_template_version': '2018-08-31',
    'resources': {
        'a': {'type': 'OS::Heat::TestResource', 'properties': {'value': 'v1'}},
        'b': {'type': 'OS::Heat::TestResource',
              'properties': {'value': {'get_attr': ['a', 'output']}}}},
    'outputs': {'out': {'value': {'get_attr': ['b', 'output']}}},
}


@testtools.skipIf(stock_heat_api.unavailable_reason(),
                  stock_heat_api.unavailable_reason())
class DevstackPluginTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        services.ensure_running()
        suffix = uuid.uuid4().hex[:8]
        self.top = tempfile.mkdtemp(prefix='conv_h3_devstack-')
        self.addCleanup(shutil.rmtree, self.top, ignore_errors=True)
        prefix = 'conv_h3_devstack_%s_' % suffix
        self.database = services.database('mariadb', prefix + 'convergence')
        self.database.create()
        self.addCleanup(self.database.drop)
        self.vhost = 'conv-h3-devstack-%s' % suffix
        services.add_vhost(self.vhost)
        self.addCleanup(services.delete_vhost, self.vhost)
        dest = os.path.join(self.top, 'opt', 'stack')
        os.makedirs(dest)
        os.symlink(ROOT, os.path.join(dest, 'convergence'))
        self.state = os.path.join(self.top, 'state')
        self.env = dict(
            os.environ, HARNESS_STATE=self.state,
            HARNESS_PYTHON=sys.executable, DEST=dest,
            DEVSTACK_PLUGINS='heat,convergence',
            ENABLED_SERVICES='key,mysql,rabbit',
            HARNESS_DATABASE_URL=services.database('mariadb', prefix + '%s').url,
            HARNESS_TRANSPORT_URL=services.rabbit_url(self.vhost))
        self.heat_conf = os.path.join(self.state, 'etc', 'heat', 'heat.conf')

    def devstack(self, mode: str) -> list[list[str]]:
        done = subprocess.run(['bash', HARNESS, mode], env=self.env,
                              capture_output=True, text=True, timeout=180)
        self.assertEqual(0, done.returncode, done.stderr[-4000:])
        with open(os.path.join(self.state, 'calls')) as lines:
            return [shlex.split(line) for line in lines]

    def start(self, label: str, command: list[str]) -> processes.ManagedProcess:
        process = processes.ManagedProcess(
            label, command, os.path.join(self.top, label + '.log'), self.top)
        process.start()
        # Cleanups run last first: the process stops, then its log is read
        # into the result, then (registered in setUp) the directory goes.
        self.addCleanup(self._attach_log, label, process.log_path)
        self.addCleanup(process.stop)
        return process

    def _attach_log(self, label: str, path: str) -> None:
        if os.path.exists(path):
            self.addDetail(label + '-log', testtools.content.content_from_file(
                path, buffer_now=True))

    def heat_api(self) -> str:
        """heat-api on the plugin's heat.conf plus noauth; its base URL."""
        for section, options in stock_heat_api.heat_conf(
                services.rabbit_url(self.vhost), self.top).items():
            for name, value in options.items():
                ini_file.iniset(self.heat_conf, section, name, str(value))
        port = server_mod.free_port()
        api = self.start('heat-api', stock_heat_api.command(
            processes.console_script('uwsgi'), port, self.heat_conf))
        url = 'http://127.0.0.1:%d' % port

        def answers():
            if not api.alive():
                raise AssertionError('heat-api exited: %s' % api.log_tail())
            return server_mod.answers(url)
        waiting.wait_until(answers, deployment.START_TIMEOUT, 'heat-api')
        return url

    def wait_status(self, url: str, wanted: str) -> dict:
        def status():
            answer = requests.get(url, headers=HEADERS, timeout=10)
            if answer.status_code == 404 and wanted == 'DELETE_COMPLETE':
                return {'stack_status': wanted}
            stack = answer.json()['stack']
            if stack['stack_status'].endswith('FAILED'):
                raise AssertionError('stack %s: %s' % (
                    stack['stack_status'], stack['stack_status_reason']))
            return stack if stack['stack_status'] == wanted else None
        return waiting.wait_until(status, base.STACK_TIMEOUT, wanted)

    def test_stack_through_heat_api_on_the_plugins_engine(self):
        calls = self.devstack('stack')
        run = [call for call in calls if call[:2] == ['run_process', 'conv-eng']]
        self.assertEqual(1, len(run), calls)
        self.assertNotIn('h-eng', [call[1] for call in calls
                                   if call[0] == 'run_process'])
        engine = self.start('conv-eng', shlex.split(run[0][2]))

        def started():
            if not engine.alive():
                raise AssertionError('conv-eng exited: %s' % engine.log_tail())
            return deployment.STARTED.search(engine.log_since(0))
        waiting.wait_until(started, deployment.START_TIMEOUT, 'conv-eng')

        stacks = '%s/v1/%s/stacks' % (self.heat_api(), TENANT)
        created = requests.post(stacks, headers=HEADERS, timeout=30, json={
            'stack_name': 'devstack-plugin', 'template': TEMPLATE})
        self.assertEqual(201, created.status_code, created.text)
        stack_url = '%s/devstack-plugin/%s' % (stacks, created.json()['stack']['id'])
        stack = self.wait_status(stack_url, 'CREATE_COMPLETE')
        self.assertEqual({'out': 'v1'}, {o['output_key']: o['output_value']
                                         for o in stack['outputs']})
        deleted = requests.delete(stack_url, headers=HEADERS, timeout=30)
        self.assertEqual(204, deleted.status_code, deleted.text)
        self.wait_status(stack_url, 'DELETE_COMPLETE')

        calls = self.devstack('unstack')
        self.assertIn(['stop_process', 'conv-eng'], calls)
