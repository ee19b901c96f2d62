"""Two convergence-engine processes and one convergence-api on RabbitMQ + MariaDB.

The same code as convergence-all, deployed as separate processes sharing a
real bus and a real database: the test makes its own MariaDB database and
RabbitMQ vhost and removes both afterwards.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pymysql
import testtools
from heatclient import client as heat_client

from functional_tests import server as ft_server
from functional_tests import waiting

MYSQL = dict(host='127.0.0.1', user='root', password='')

TEMPLATE = '''
heat_template_version: 2018-08-31
parameters:
  foo: {type: string, default: one}
resources:
%(leaves)s
  join:
    type: OS::Heat::TestResource
    properties:
      value: {list_join: [',', [%(refs)s]]}
      action_wait_secs: {create: 1, update: 2}
outputs:
  joined: {value: {get_attr: [join, output]}}
'''
LEAF = '''  leaf%(i)d:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: foo}
      action_wait_secs: {create: 1, update: 2}
'''


def _template(width: int) -> str:
    leaves = ''.join(LEAF % {'i': i} for i in range(width))
    refs = ', '.join('{get_attr: [leaf%d, output]}' % i for i in range(width))
    return TEMPLATE % {'leaves': leaves, 'refs': refs}


def _bin(name: str) -> str:
    return os.path.join(os.path.dirname(sys.executable), name)


class DistributedDeployment(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.suffix = uuid.uuid4().hex[:10]
        self.state = tempfile.mkdtemp(prefix='convergence-dist-')
        self._make_database()
        self._make_vhost()
        self.port = ft_server.free_port()
        self.conf = self._write_config()
        subprocess.run([_bin('convergence-manage'), '--config-file',
                        self.conf, 'db', 'sync'], check=True,
                       capture_output=True)
        self.processes = []
        for index in range(2):
            self._start('convergence-engine', 'engine%d' % index)
        self._start('convergence-api', 'api')
        waiting.wait_until(self._api_answers, 60, 'the API to answer')
        self.heat = heat_client.Client(
            '1', endpoint='http://127.0.0.1:%d/v1/admin' % self.port,
            token='x')

    def _make_database(self):
        self.db_name = 'convergence_dist_%s' % self.suffix
        connection = pymysql.connect(**MYSQL)
        with connection.cursor() as cursor:
            cursor.execute('CREATE DATABASE %s' % self.db_name)
        connection.close()
        self.addCleanup(self._drop_database)

    def _drop_database(self):
        connection = pymysql.connect(**MYSQL)
        with connection.cursor() as cursor:
            cursor.execute('DROP DATABASE IF EXISTS %s' % self.db_name)
        connection.close()

    def _make_vhost(self):
        self.vhost = 'convergence-dist-%s' % self.suffix
        subprocess.run(['rabbitmqctl', 'add_vhost', self.vhost], check=True,
                       capture_output=True)
        self.addCleanup(subprocess.run, ['rabbitmqctl', 'delete_vhost',
                                         self.vhost], capture_output=True)
        subprocess.run(['rabbitmqctl', 'set_permissions', '-p', self.vhost,
                        'guest', '.*', '.*', '.*'], check=True,
                       capture_output=True)

    def _write_config(self) -> str:
        path = os.path.join(self.state, 'convergence.conf')
        with open(path, 'w') as conf:
            conf.write(
                '[DEFAULT]\ntransport_url = rabbit://guest:guest@127.0.0.1:'
                '5672/%s\nperiodic_interval = 2\n'
                '[database]\nconnection = mysql+pymysql://root@127.0.0.1/%s\n'
                '[heat_api]\nbind_port = %d\n' % (self.vhost, self.db_name,
                                                  self.port))
        return path

    def _start(self, binary: str, label: str) -> None:
        log = open(os.path.join(self.state, label + '.log'), 'w')
        process = subprocess.Popen([_bin(binary), '--config-file', self.conf],
                                   stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        self.addCleanup(self._stop, process, log)

    @staticmethod
    def _stop(process, log) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()

    def _api_answers(self) -> bool:
        import urllib.request
        try:
            urllib.request.urlopen('http://127.0.0.1:%d/' % self.port,
                                   timeout=2)
        except Exception as exc:  # 300 Multiple Choices raises too
            return getattr(exc, 'code', None) == 300
        return True

    def _wait_status(self, name: str, expected: str, timeout: float = 90):
        def probe():
            status = self.heat.stacks.get(name).stack_status
            self.assertNotIn('FAILED', status)
            return status == expected
        waiting.wait_until(probe, timeout, '%s to be %s' % (name, expected))

    def test_two_engines_converge_create_update_during_update_delete(self):
        width = 12
        self.heat.stacks.create(stack_name='dist', template=_template(width),
                                parameters={'foo': 'one'})
        self._wait_status('dist', 'CREATE_COMPLETE')
        outputs = {o['output_key']: o['output_value']
                   for o in self.heat.stacks.get('dist').outputs}
        self.assertEqual(','.join(['one'] * width), outputs['joined'])

        self.heat.stacks.update('dist', template=_template(width),
                                parameters={'foo': 'two'})
        time.sleep(1)
        self.heat.stacks.update('dist', existing=True,
                                parameters={'foo': 'three'})
        self._wait_status('dist', 'UPDATE_COMPLETE')
        outputs = {o['output_key']: o['output_value']
                   for o in self.heat.stacks.get('dist').outputs}
        self.assertEqual(','.join(['three'] * width), outputs['joined'])

        services = subprocess.run(
            [_bin('convergence-manage'), '--config-file', self.conf,
             'service', 'list'], check=True, capture_output=True,
            text=True).stdout
        self.assertEqual(2, services.count(' up '), services)

        self.heat.stacks.delete('dist')
        waiting.wait_until(lambda: not [s for s in self.heat.stacks.list()
                                        if s.stack_name == 'dist'],
                           90, 'dist to be deleted')
