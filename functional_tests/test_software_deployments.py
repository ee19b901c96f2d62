"""Software deployments against a real server, the agent played over HTTP.

A stack with an OS::Heat::DeployedServer, an OS::Heat::SoftwareConfig and
an OS::Heat::SoftwareDeployment: the test reads the server's metadata at
the URL its ``os_collect_config`` attribute names and signals the
deployment at the URL its derived config names (``deploy_signal_id``,
with ``deploy_signal_verb``), from this process with ``requests``, as
os-collect-config's request collector and heat-config-notify would.
"""

import json
import os
import time

import requests
import testtools

from functional_tests import base
from functional_tests import cli
from functional_tests import deployment as deployment_mod
from functional_tests import stack_views
from functional_tests import waiting

STACK = '''heat_template_version: 2016-10-14
parameters:
  transport: {type: string, default: TEMP_URL_SIGNAL}
  server_id: {type: string, default: ''}
conditions:
  own_server: {equals: [{get_param: server_id}, '']}
resources:
  server:
    type: OS::Heat::DeployedServer
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      config: "#!/bin/sh\\necho hello $name"
      inputs: [{name: name}]
      outputs: [{name: greeting}]
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server:
        if: [own_server, {get_resource: server}, {get_param: server_id}]
      input_values: {name: world}
      signal_transport: {get_param: transport}
outputs:
  stdout: {value: {get_attr: [deploy, deploy_stdout]}}
  greeting: {value: {get_attr: [deploy, greeting]}}
  occ: {value: {get_attr: [server, os_collect_config]}}
'''
# Seconds to wait for the deployment to wait for its signal.
WAIT_TIMEOUT = 60


class DeploymentTest(cli.CliMixin, base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        if os.environ.get(deployment_mod.DEPLOYMENT_ENV) == 'stock-heat-api':
            self.skipTest('heat-api serves no agent URLs: they are '
                          'convergence-api\'s')

    def waiting_stack(self, **parameters) -> str:
        identifier = self.create_stack(STACK, parameters, expected=None)
        self.wait_for_resource_status(identifier, 'deploy',
                                      'CREATE_IN_PROGRESS')
        self.wait_for_resource_status(identifier, 'server',
                                      'CREATE_COMPLETE')
        return identifier

    def metadata_url(self, identifier: str) -> str:
        server = self.client.resources.get(identifier, 'server')
        occ = server.attributes['os_collect_config']
        self.assertEqual(['request', 'local'], occ['collectors'])
        return occ['request']['metadata_url']

    def deployments(self, metadata_url: str) -> list:
        """The server's deployments as the request collector reads them,
        once the one waiting is there."""
        deadline = time.monotonic() + WAIT_TIMEOUT
        while True:
            resp = requests.get(metadata_url, timeout=30)
            self.assertEqual(200, resp.status_code, resp.text)
            found = resp.json()['deployments']
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    def signal_url(self, identifier: str) -> tuple[str, str]:
        config = self.deployments(self.metadata_url(identifier))[0]
        inputs = {i['name']: i.get('value') for i in config['inputs']}
        return inputs['deploy_signal_id'], inputs['deploy_signal_verb']

    def notify(self, url: str, verb: str, **signal) -> requests.Response:
        """heat-config-notify's request: the signal as a JSON body."""
        return requests.request(verb, url, data=json.dumps(signal),
                                headers={'content-type': 'application/json'},
                                timeout=30)

    def test_the_agent_signal_completes_the_stack(self):
        identifier = self.waiting_stack()
        config = self.deployments(self.metadata_url(identifier))[0]
        self.assertEqual(('script', '#!/bin/sh\necho hello $name'),
                         (config['group'], config['config']))
        url, verb = self.signal_url(identifier)
        self.assertEqual('PUT', verb)
        resp = self.notify(url, verb, deploy_stdout='hello world\n',
                           deploy_stderr='', deploy_status_code=0,
                           greeting='hi', undeclared='ignored')
        self.assertEqual(204, resp.status_code, resp.text)
        self.wait_for_status(identifier, 'CREATE_COMPLETE')
        outputs = self.outputs(identifier)
        self.assertEqual(('hello world\n', 'hi'),
                         (outputs['stdout'], outputs['greeting']))
        # A replayed signal, or a made-up token: 404, nothing changes.
        self.assertEqual(404, self.notify(url, verb).status_code)
        self.assertEqual(404, self.notify(url[:-5] + 'AAAAA', verb)
                         .status_code)
        self.assertEqual('hi', self.outputs(identifier)['greeting'])
        # The deployment, through `openstack software deployment ...`.
        deployment_id = self.client.resources.get(
            identifier, 'deploy').physical_resource_id
        shown = json.loads(self.openstack('software', 'deployment', 'show',
                                          deployment_id, '-f', 'json'))
        self.assertEqual(('COMPLETE', 'Outputs received'),
                         (shown['status'], shown['status_reason']))
        self.assertIn('greeting: hi', self.openstack(
            'software', 'deployment', 'output', 'show', deployment_id,
            'greeting'))
        self.assertNotIn('undeclared', json.dumps(self.client.
                         software_deployments.get(deployment_id)
                         .output_values))

    def test_cfn_signal_posts(self):
        identifier = self.waiting_stack(transport='CFN_SIGNAL')
        url, verb = self.signal_url(identifier)
        self.assertEqual('POST', verb)
        self.assertEqual(204, self.notify(url, verb, deploy_stdout='x',
                                          greeting='g').status_code)
        self.wait_for_status(identifier, 'CREATE_COMPLETE')

    def test_a_failing_script_fails_the_stack_with_its_stderr(self):
        identifier = self.waiting_stack()
        url, verb = self.signal_url(identifier)
        self.notify(url, verb, deploy_stdout='', deploy_stderr='cannot',
                    deploy_status_code=3)
        self.wait_for_status(identifier, 'CREATE_FAILED')
        reason = self.client.resources.get(identifier,
                                           'deploy').resource_status_reason
        self.assertEqual(
            'Error: resources.deploy: Deployment to server failed: '
            'deploy_status_code : Deployment exited with non-zero status '
            'code: 3, deploy_stderr : cannot', reason)

    def test_malformed_json_is_400_and_changes_nothing(self):
        identifier = self.waiting_stack()
        url, verb = self.signal_url(identifier)
        resp = requests.request(verb, url, data='{"deploy_stdout": ',
                                timeout=30)
        self.assertHeatError(resp, 400, 'HTTPBadRequest',
                             'The signal is not valid JSON')
        self.assertEqual('CREATE_IN_PROGRESS', self.stack_status(identifier))
        self.assertEqual(204, self.notify(url, verb).status_code)
        self.wait_for_status(identifier, 'CREATE_COMPLETE')

    def test_deleting_the_stack_makes_the_urls_404(self):
        identifier = self.waiting_stack()
        metadata_url = self.metadata_url(identifier)
        url, verb = self.signal_url(identifier)
        self.delete_stack(identifier)
        self.assertEqual(404, requests.get(metadata_url,
                                           timeout=30).status_code)
        self.assertEqual(404, self.notify(url, verb).status_code)

    def test_a_server_the_engine_does_not_serve_waits_for_its_signal(self):
        """As in Heat, whose ``server`` has no constraint (decision 33):
        the deployment is stored and waits; a signal through the API
        completes it."""
        identifier = self.create_stack(STACK, {'server_id': 'no-such-server'},
                                       expected=None)
        self.wait_for_resource_status(identifier, 'deploy',
                                      'CREATE_IN_PROGRESS')
        self.client.resources.signal(identifier, 'deploy', data={
            'deploy_stdout': 'by hand', 'deploy_status_code': 0})
        self.wait_for_status(identifier, 'CREATE_COMPLETE')
        self.assertEqual('by hand', self.outputs(identifier)['stdout'])


def _backend() -> str:
    """The matrix's database, MariaDB when the matrix runs convergence-all."""
    kind = os.environ.get(deployment_mod.DEPLOYMENT_ENV) or 'all'
    return 'mariadb' if kind in ('all', 'stock-heat-api') else kind


class WaitOutlivesEnginesTest(testtools.TestCase, stack_views.HeatHelpers):
    """Given a deployment waiting for its signal with two engines running,
    when both are SIGKILLed and a new engine starts, then the wait is still
    there (the sweeper neither unlocks nor re-sends it) and the agent's
    signal, through convergence-api, finishes the stack."""

    def setUp(self):
        super().setUp()
        self.deployment = deployment_mod.Deployment(
            backend=_backend(), engines=2, config={'periodic_interval': 1})
        self.useFixture(self.deployment)
        self.heat = self.deployment.client_for(self)

    def test_signal_after_every_engine_was_killed(self):
        self.heat.stacks.create(stack_name='waits', template=STACK,
                                parameters={'transport': 'TEMP_URL_SIGNAL'})
        waiting.wait_until(lambda: self.resource_statuses('waits').get(
            'deploy') == 'CREATE_IN_PROGRESS', WAIT_TIMEOUT,
            'deploy waiting')
        occ = self.heat.resources.get('waits', 'server').attributes[
            'os_collect_config']
        metadata = requests.get(occ['request']['metadata_url'], timeout=30)
        inputs = {i['name']: i.get('value')
                  for i in metadata.json()['deployments'][0]['inputs']}
        self.deployment.kill_engine(0)
        self.deployment.kill_engine(1)
        self.deployment.start_engine(0)
        # Sweeps of the new engine after the old ones' down time.
        waiting.stays(lambda: self.resource_statuses('waits')['deploy'] ==
                      'CREATE_IN_PROGRESS', 8, 'deploy still waits')
        resp = requests.put(inputs['deploy_signal_id'], timeout=30,
                            data=json.dumps({'deploy_stdout': 'after',
                                             'greeting': 'back'}))
        self.assertEqual(204, resp.status_code, resp.text)
        self.wait_status('waits', 'CREATE_COMPLETE')
        outputs = {o['output_key']: o['output_value']
                   for o in self.heat.stacks.get('waits').outputs}
        self.assertEqual(('after', 'back'),
                         (outputs['stdout'], outputs['greeting']))
