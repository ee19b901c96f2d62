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

from functional_tests import deployment
from functional_tests import processes
from functional_tests import stack_views
from functional_tests import templates
from functional_tests import waiting


def _backend() -> str:
    """The matrix's database, MariaDB when the matrix runs convergence-all."""
    kind = os.environ.get(deployment.DEPLOYMENT_ENV) or 'all'
    return 'mariadb' if kind == 'all' else kind


class DistributedDeployment(testtools.TestCase, stack_views.HeatHelpers):

    def setUp(self):
        super().setUp()
        executor = os.environ.get(deployment.EXECUTOR_ENV) or 'eventlet'
        self.deployment = deployment.Deployment(
            backend=_backend(), engines=2,
            config={'executor': executor, 'periodic_interval': 2})
        self.useFixture(self.deployment)
        self.heat = self.deployment.client_for(self)

    def test_two_engines_converge_create_update_during_update_delete(self):
        width = 12
        self.heat.stacks.create(stack_name='dist', template=templates.fan_in(width),
                                parameters={'foo': 'one'})
        self.wait_status('dist', 'CREATE_COMPLETE')
        self.assertEqual(','.join(['one'] * width), self.joined('dist'))

        self.heat.stacks.update('dist', template=templates.fan_in(width),
                                parameters={'foo': 'two'})
        time.sleep(1)
        self.heat.stacks.update('dist', existing=True,
                                parameters={'foo': 'three'})
        self.wait_status('dist', 'UPDATE_COMPLETE')
        self.assertEqual(','.join(['three'] * width), self.joined('dist'))

        services = subprocess.run(
            [processes.console_script('convergence-manage'), '--config-file',
             self.deployment.config_path, 'service', 'list'], check=True,
            capture_output=True, text=True).stdout
        self.assertEqual(2, services.count(' up '), services)

        self.heat.stacks.delete('dist')
        waiting.wait_until(lambda: not [s for s in self.heat.stacks.list()
                                        if s.stack_name == 'dist'],
                           90, 'dist to be deleted')
