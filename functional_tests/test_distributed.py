"""Two convergence-engine processes and one convergence-api on RabbitMQ.

The same code as convergence-all, deployed as separate processes sharing a
real bus and a real database (MariaDB, or the matrix's database): the
deployment fixture makes its own database and RabbitMQ vhost and removes
both afterwards.
"""

import os
import subprocess
import time

import testtools
from heatclient import client as heat_client
from testtools import content

from functional_tests import deployment
from functional_tests import processes
from functional_tests import templates
from functional_tests import waiting


def _backend() -> str:
    """The matrix's database, MariaDB when the matrix runs convergence-all."""
    kind = os.environ.get(deployment.DEPLOYMENT_ENV) or 'all'
    return 'mariadb' if kind == 'all' else kind


class DistributedDeployment(testtools.TestCase):

    def setUp(self):
        super().setUp()
        executor = os.environ.get(deployment.EXECUTOR_ENV) or 'eventlet'
        self.deployment = deployment.Deployment(
            backend=_backend(), engines=2,
            config={'executor': executor, 'periodic_interval': 2})
        self.useFixture(self.deployment)
        mark = self.deployment.log_mark()
        self.addOnException(lambda exc_info: self.addDetail(
            'deployment-log', content.text_content(
                self.deployment.log_since(mark))))
        self.heat = heat_client.Client('1', endpoint=self.deployment.endpoint,
                                       token='x')

    def _wait_status(self, name: str, expected: str, timeout: float = 90):
        def probe():
            status = self.heat.stacks.get(name).stack_status
            self.assertNotIn('FAILED', status)
            return status == expected
        waiting.wait_until(probe, timeout, '%s to be %s' % (name, expected))

    def test_two_engines_converge_create_update_during_update_delete(self):
        width = 12
        self.heat.stacks.create(stack_name='dist', template=templates.fan_in(width),
                                parameters={'foo': 'one'})
        self._wait_status('dist', 'CREATE_COMPLETE')
        outputs = {o['output_key']: o['output_value']
                   for o in self.heat.stacks.get('dist').outputs}
        self.assertEqual(','.join(['one'] * width), outputs['joined'])

        self.heat.stacks.update('dist', template=templates.fan_in(width),
                                parameters={'foo': 'two'})
        time.sleep(1)
        self.heat.stacks.update('dist', existing=True,
                                parameters={'foo': 'three'})
        self._wait_status('dist', 'UPDATE_COMPLETE')
        outputs = {o['output_key']: o['output_value']
                   for o in self.heat.stacks.get('dist').outputs}
        self.assertEqual(','.join(['three'] * width), outputs['joined'])

        services = subprocess.run(
            [processes.console_script('convergence-manage'), '--config-file',
             self.deployment.config_path, 'service', 'list'], check=True,
            capture_output=True, text=True).stdout
        self.assertEqual(2, services.count(' up '), services)

        self.heat.stacks.delete('dist')
        waiting.wait_until(lambda: not [s for s in self.heat.stacks.list()
                                        if s.stack_name == 'dist'],
                           90, 'dist to be deleted')
