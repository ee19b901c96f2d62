"""The REST API under uwsgi, over a real convergence-engine, and the
operator's reset refusing a healthy stack.

The deployment fixture makes its own database and RabbitMQ vhost; uwsgi
(PyPI's, from the ``test`` extras) serves convergence/wsgi/api.py with two
worker processes on a free port.  Everything is driven as an operator
would: python-heatclient, plain HTTP, convergence-manage.
"""

import os
import shutil
import subprocess

import requests
import testtools

from functional_tests import deployment
from functional_tests import processes
from functional_tests import stack_views
from functional_tests import templates

# Seconds one convergence-manage command may take.
MANAGE_TIMEOUT = 60


def _backend() -> str:
    """The matrix's database, MariaDB when the matrix runs convergence-all."""
    kind = os.environ.get(deployment.DEPLOYMENT_ENV) or 'all'
    return 'mariadb' if kind == 'all' else kind


class UwsgiDeployment(testtools.TestCase, stack_views.HeatHelpers):

    def setUp(self):
        super().setUp()
        if not shutil.which(processes.console_script('uwsgi')):
            self.skipTest('uwsgi is not installed (pip install uWSGI)')
        self.deployment = deployment.Deployment(
            backend=_backend(), engines=1, api_server='uwsgi',
            config={'periodic_interval': 2})
        self.useFixture(self.deployment)
        self.heat = self.deployment.client_for(self)

    def test_create_show_delete_through_heatclient(self):
        self.heat.stacks.create(stack_name='wsgi',
                                template=templates.two_tests(),
                                parameters={'foo': 'uwsgi'})
        self.wait_status('wsgi', 'CREATE_COMPLETE')
        shown = self.heat.stacks.get('wsgi')
        self.assertEqual({'out1': 'uwsgi', 'out2': 'uwsgi'},
                         {o['output_key']: o['output_value']
                          for o in shown.outputs})
        self.heat.stacks.delete('wsgi')
        self.wait_status(shown.id, 'DELETE_COMPLETE')  # by name: 404
        self.assertIsNotNone(self.deployment.db.stack_get(shown.id)['deleted_at'])
        logged = self.deployment.log_since({})
        self.assertIn('stack create by admin (tenant admin) on wsgi/%s'
                      % shown.id, logged)
        self.assertIn('stack delete by admin (tenant admin) on wsgi/%s'
                      % shown.id, logged)
        for action in ('CREATE', 'DELETE'):  # the engine's verdicts
            self.assertRegex(logged, r'stack wsgi/%s \(tenant admin, by '
                             r'admin\): %s traversal [0-9a-f-]{36} COMPLETE '
                             r'in ' % (shown.id, action))

    def test_healthcheck_and_request_ids(self):
        health = requests.get(self.deployment.base_url + '/healthcheck',
                              timeout=10)
        self.assertEqual(200, health.status_code)
        listed = requests.get(self.deployment.endpoint + '/stacks',
                              timeout=10)
        self.assertEqual(200, listed.status_code)
        self.assertRegex(listed.headers['x-openstack-request-id'],
                         '^req-[0-9a-f-]{36}$')

    def test_reset_stack_status_refuses_a_complete_stack(self):
        self.heat.stacks.create(stack_name='healthy',
                                template=templates.two_tests(),
                                parameters={'foo': 'x'})
        self.wait_status('healthy', 'CREATE_COMPLETE')
        stack_id = self.heat.stacks.get('healthy').id
        result = subprocess.run(
            [processes.console_script('convergence-manage'), '--config-file',
             self.deployment.config_path, 'reset_stack_status', stack_id],
            input='y\n', capture_output=True, text=True,
            timeout=MANAGE_TIMEOUT)
        self.assertNotEqual(0, result.returncode)
        self.assertIn('CREATE_COMPLETE, not IN_PROGRESS', result.stderr)
        self.assertEqual('CREATE_COMPLETE',
                         self.heat.stacks.get('healthy').stack_status)
