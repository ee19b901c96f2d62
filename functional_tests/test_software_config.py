"""Software configs and deployments against a real server: the
``openstack software config|deployment`` commands, python-heatclient's
software_configs / software_deployments managers, and the config types in a
stack (get_resource gives a config the API then shows; deleting the stack
deletes it)."""

import json
import os
import tempfile

from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import cli
from functional_tests import deployment as deployment_mod

SCRIPT = '#!/bin/sh\necho hi > $heat_outputs_path.result\n'
STACK = '''heat_template_version: 2015-10-15
resources:
  script:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      config: "echo from-a-stack"
      outputs: [{name: result}]
  cloud:
    type: OS::Heat::CloudConfig
    properties:
      cloud_config: {runcmd: [echo hi]}
outputs:
  id: {value: {get_resource: script}}
  config: {value: {get_attr: [script, config]}}
  cloud: {value: {get_attr: [cloud, config]}}
'''


class SoftwareConfigCliTest(cli.CliMixin, base.FunctionalTestCase):

    def json(self, *args: str):
        return json.loads(self.openstack(*args, '-f', 'json'))

    def test_config_and_deployment_commands(self):
        with tempfile.NamedTemporaryFile('w', suffix='.sh') as script:
            script.write(SCRIPT)
            script.flush()
            config = self.json('software', 'config', 'create', '--group',
                               'script', '--config-file', script.name,
                               'ft-config')
        self.assertEqual(('ft-config', 'script', SCRIPT), (
            config['name'], config['group'], config['config']))
        self.assertEqual(config['id'], self.json(
            'software', 'config', 'show', config['id'])['id'])
        self.assertIn(config['id'], [
            c['id'] for c in self.json('software', 'config', 'list')])

        deployment = self.json(
            'software', 'deployment', 'create', '--config', config['id'],
            '--server', 'ft-server', '--signal-transport', 'NO_SIGNAL',
            '--input-value', 'foo=bar', 'ft-deployment')
        self.assertEqual(('ft-server', 'IN_PROGRESS'), (
            deployment['server_id'], deployment['status']))
        # (metadata show prints JSON and takes no --format)
        metadata = json.loads(self.openstack(
            'software', 'deployment', 'metadata', 'show', 'ft-server'))
        self.assertEqual(['ft-deployment'], [m['name'] for m in metadata])
        inputs = {i['name']: i.get('value') for i in metadata[0]['inputs']}
        self.assertEqual(('bar', 'NO_SIGNAL'), (
            inputs['foo'], inputs['deploy_signal_transport']))

        # What an agent's signal would write, through the API's update.
        self.client.software_deployments.update(
            deployment['id'], status='COMPLETE',
            output_values={'result': 'hi'})
        self.assertIn('result: hi', self.openstack(
            'software', 'deployment', 'output', 'show', deployment['id'],
            'result'))
        self.assertEqual('COMPLETE', self.json(
            'software', 'deployment', 'show', deployment['id'])['status'])
        self.assertIn(deployment['id'], [d['id'] for d in self.json(
            'software', 'deployment', 'list', '--server', 'ft-server')])

        # The deployment goes, with the config the CLI derived for it.
        self.openstack('software', 'deployment', 'delete', deployment['id'])
        self.assertEqual([], self.json('software', 'deployment', 'list',
                                       '--server', 'ft-server'))
        self.assertNotIn(deployment['config_id'], [
            c['id'] for c in self.json('software', 'config', 'list')])
        self.openstack('software', 'config', 'delete', config['id'])
        missing = self.openstack('software', 'config', 'show', config['id'],
                                 check=False)
        self.assertNotEqual(0, missing.returncode)


class SoftwareConfigClientTest(base.FunctionalTestCase):

    def test_unknown_ids_are_404_and_bad_input_400(self):
        self.assertRaises(heat_exc.HTTPNotFound,
                          self.client.software_configs.get, 'nope')
        self.assertRaises(heat_exc.HTTPNotFound,
                          self.client.software_deployments.get, 'nope')
        error = self.assertRaises(
            heat_exc.HTTPBadRequest, self.client.software_configs.create,
            name='bad', group='script', config='', inputs='not-a-list')
        self.assertIn('Software Config I/O Schema must be in a list',
                      str(error))

    def test_a_config_in_use_is_kept(self):
        config = self.client.software_configs.create(
            name='used', group='script', config='echo')
        deployment = self.client.software_deployments.create(
            config_id=config.id, server_id='ft-used')
        error = self.assertRaises(heat_exc.HTTPException,
                                  self.client.software_configs.delete,
                                  config.id)
        self.assertIn('Software config with id %s can not be deleted as it '
                      'is referenced.' % config.id, str(error))
        # Our API answers 400; upstream heat-api has no status for Heat's
        # InvalidRestrictedAction and answers 500, in front of our engines
        # as of its own.
        stock = os.environ.get(deployment_mod.DEPLOYMENT_ENV) == \
            'stock-heat-api'
        self.assertEqual(500 if stock else 400, error.code)
        self.assertEqual(config.id,
                         self.client.software_configs.get(config.id).id)
        self.client.software_deployments.delete(deployment.id)
        self.client.software_configs.delete(config.id)

    def test_config_types_in_a_stack(self):
        identifier = self.create_stack(STACK)
        outputs = {o['output_key']: o['output_value'] for o in
                   self.client.stacks.get(identifier).outputs}
        shown = self.client.software_configs.get(outputs['id'])
        self.assertEqual(('script', 'echo from-a-stack'),
                         (shown.group, shown.config))
        self.assertEqual('echo from-a-stack', outputs['config'])
        self.assertEqual('#cloud-config\nruncmd:\n- echo hi\n',
                         outputs['cloud'])
        self.delete_stack(identifier)
        self.assertRaises(heat_exc.HTTPNotFound,
                          self.client.software_configs.get, outputs['id'])
