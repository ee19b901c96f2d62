"""Stack domain users and SOFTWARE_CONFIG servers, through the engine, on
the in-memory cloud and stack user domain (decision 23).

A member with a Keystone token creates a Nova server with
``user_data_format: SOFTWARE_CONFIG`` and a deployment to it signalling
with HEAT_SIGNAL.  The test plays the server's agent: it reads the
os-collect-config the user_data carries, polls the metadata URL (or, with
POLL_SERVER_HEAT, ``resource metadata`` as the server's stack user) and
signals as the deployment's stack domain user, in the tree's domain
project.  The delete removes both users and the project.
"""

import base64
import email
import json
import urllib.parse

from convergence import exceptions
from convergence.clients import memory
from convergence.clients import memory_stack_domain
from convergence.rpc import context as rpc_context
from convergence.tests.scenarios import framework

NAME = framework.STACK_NAME
SCRIPT = '#!/bin/sh\necho hi'


def template(transport: str = 'POLL_TEMP_URL',
             signal: str = 'HEAT_SIGNAL') -> dict:
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'server': {'type': 'OS::Nova::Server', 'properties': {
                'image': 'tiny', 'flavor': 'm1.tiny',
                'user_data_format': 'SOFTWARE_CONFIG',
                'software_config_transport': transport,
                'networks': [{'network': 'private'}]}},
            'config': {'type': 'OS::Heat::SoftwareConfig', 'properties': {
                'group': 'script', 'config': SCRIPT,
                'outputs': [{'name': 'result'}]}},
            'deploy': {'type': 'OS::Heat::SoftwareDeployment', 'properties': {
                'config': {'get_resource': 'config'},
                'server': {'get_resource': 'server'},
                'signal_transport': signal}}},
        'outputs': {'result': {'value': {'get_attr': ['deploy',
                                                      'result']}}}}


class StackUserScenario(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.domain = memory_stack_domain.InMemoryStackDomain()
        self.clouds = memory.InMemoryClouds(
            services=('identity', 'network', 'compute', 'image'),
            domain=self.domain)
        self._seed(self.clouds.cloud)
        self.scenario.rt.clouds = self.clouds
        self.user = rpc_context.RequestContext(
            project_id='test', user_id='alice', auth_token='token',
            roles=['member'])
        self.scenario.context = self.user
        self.service = self.scenario.engine_service

    def _seed(self, cloud) -> None:
        cloud.compute.resources['flavor']['1'] = {
            'id': '1', 'name': 'm1.tiny', 'ram': 64, 'vcpus': 1, 'disk': 1}
        cloud.image.add('tiny')
        cloud.network.create('network', {'name': 'private'})

    def create(self, tmpl: dict) -> None:
        self.scenario.call(self.service.create_stack, self.user, NAME, tmpl,
                           {'parameters': {}}, {}, {})
        self.scenario.run()

    def stack(self) -> dict:
        return self.scenario.db.stack_get_by_name('test', NAME)

    def row(self, name: str) -> dict:
        return self.scenario.rows(name)[-1]

    # --- the guest's view ---

    def boot_metadata(self) -> dict:
        """The cfn-init-data the server's user_data carries (what the part
        handler writes for os-collect-config at boot)."""
        server = self.clouds.cloud.compute.resources['server'][
            self.row('server')['physical_resource_id']]
        message = email.message_from_string(
            base64.b64decode(server['user_data']).decode())
        [data] = [part.get_payload() for part in message.get_payload()
                  if part.get_filename() == 'cfn-init-data']
        return json.loads(data)

    def polled(self) -> dict:
        """The metadata at the URL the boot metadata names."""
        url = self.boot_metadata()['os-collect-config']['request'][
            'metadata_url']
        token = urllib.parse.urlsplit(url).path.rsplit('/', 1)[-1]
        return self.service.agent_metadata(self.user, token)

    def stack_user_context(self, inputs: dict) -> rpc_context.RequestContext:
        token = self.domain.user_token(inputs['deploy_user_id'],
                                       inputs['deploy_project_id'],
                                       inputs['deploy_password'])
        info = self.domain.tokens[token]
        return rpc_context.RequestContext(
            project_id=info['project_id'], user_id=info['user_id'],
            auth_token=token, roles=info['roles'])

    def identity(self) -> dict:
        stack = self.stack()
        return {'stack_name': NAME, 'stack_id': stack['id'], 'path': ''}


class HeatSignalAsStackUser(StackUserScenario):

    def test_the_deployment_signals_as_its_stack_user(self):
        self.create(template())
        self.scenario.assert_state('CREATE_IN_PROGRESS')
        [deployment] = self.polled()['deployments']
        inputs = {i['name']: i['value'] for i in deployment['inputs']}
        [project_id] = self.domain.projects
        self.assertEqual(project_id, self.clouds.stack_user_project(
            self.stack()))
        self.assertEqual(project_id, inputs['deploy_project_id'])
        self.assertEqual('http://keystone.example/v3',
                         inputs['deploy_auth_url'])
        user = self.domain.users[inputs['deploy_user_id']]
        self.assertEqual((project_id, ['heat_stack_user']),
                         (user['default_project_id'],
                          user['roles'][project_id]))
        self.assertEqual(self.row('deploy')['rsrc_data']['password'],
                         inputs['deploy_password'])

        # A project that is neither the stack's nor its tree's domain
        # project does not find the stack.
        stranger = rpc_context.RequestContext(project_id='other',
                                              user_id='eve', roles=[])
        self.assertRaises(exceptions.EntityNotFound,
                          self.service.resource_signal, stranger,
                          self.identity(), 'deploy', {}, True)
        as_user = self.stack_user_context(inputs)
        self.scenario.call(self.service.resource_signal, as_user,
                           self.identity(), 'deploy',
                           {'deploy_status_code': 0, 'result': '42'}, True)
        self.scenario.run()
        self.scenario.assert_state('CREATE_COMPLETE')
        shown = self.service.show_stack(self.user, self.identity())[0]
        self.assertEqual(['42'], [o['output_value'] for o in
                                  shown['outputs']])

        self.scenario.delete_stack(NAME)
        self.scenario.run()
        self.assertEqual(({}, {}), (self.domain.users, self.domain.projects))
        self.assertEqual({}, self.clouds.cloud.compute.resources['server'])

    def test_the_servers_resource_metadata_lists_its_deployments(self):
        self.create(template(signal='TEMP_URL_SIGNAL'))
        boot = self.boot_metadata()
        self.assertEqual(['ec2', 'request'],
                         boot['os-collect-config']['collectors'])
        shown = self.service.describe_stack_resource(
            self.user, self.identity(), 'server')['metadata']
        self.assertEqual(boot['os-collect-config'],
                         shown['os-collect-config'])
        self.assertEqual([d['id'] for d in self.polled()['deployments']],
                         [d['id'] for d in shown['deployments']])
        self.assertEqual(1, len(shown['deployments']))
        # TEMP_URL_SIGNAL needs no stack user: none is made.
        self.assertEqual({}, self.domain.users)


class PollServerHeat(StackUserScenario):

    def test_the_server_polls_resource_metadata_as_its_stack_user(self):
        self.create(template(transport='POLL_SERVER_HEAT',
                             signal='TEMP_URL_SIGNAL'))
        occ = self.boot_metadata()['os-collect-config']
        self.assertEqual(['ec2', 'heat'], occ['collectors'])
        heat = occ['heat']
        self.assertEqual(('%s/%s' % (NAME, self.stack()['id']), 'server'),
                         (heat['stack_id'], heat['resource_name']))
        as_server = self.stack_user_context({
            'deploy_user_id': heat['user_id'],
            'deploy_project_id': heat['project_id'],
            'deploy_password': heat['password']})
        stack_name, stack_id = heat['stack_id'].split('/')
        metadata = self.service.describe_stack_resource(
            as_server, {'stack_name': stack_name, 'stack_id': stack_id,
                        'path': ''}, 'server')['metadata']
        [deployment] = metadata['deployments']
        self.assertEqual(SCRIPT, deployment['config'])

        self.scenario.delete_stack(NAME)
        self.scenario.run()
        self.assertEqual(({}, {}), (self.domain.users, self.domain.projects))


class WithoutStackUserDomain(StackUserScenario):

    def setUp(self):
        super().setUp()
        self.clouds.domain = None

    def test_heat_signal_has_no_credentials_and_poll_server_heat_fails(self):
        self.create(template(signal='HEAT_SIGNAL'))
        [deployment] = self.polled()['deployments']
        names = {i['name'] for i in deployment['inputs']}
        self.assertNotIn('deploy_password', names)
        self.scenario.delete_stack(NAME)
        self.scenario.run()

        self.create(template(transport='POLL_SERVER_HEAT',
                             signal='TEMP_URL_SIGNAL'))
        self.scenario.assert_state('CREATE_FAILED')
        self.assertIn('no stack user domain is configured',
                      self.row('server')['status_reason'])


def wait_template(transport: str = 'TOKEN_SIGNAL') -> dict:
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'handle': {'type': 'OS::Heat::WaitConditionHandle',
                       'properties': {'signal_transport': transport}},
            'wait': {'type': 'OS::Heat::WaitCondition', 'properties': {
                'handle': {'get_resource': 'handle'}, 'timeout': 600}}},
        'outputs': {
            'token': {'value': {'get_attr': ['handle', 'token']}},
            'endpoint': {'value': {'get_attr': ['handle', 'endpoint']}},
            'signal': {'value': {'get_attr': ['handle', 'signal']}}}}


class WaitConditionAsStackUser(StackUserScenario):

    def outputs(self) -> dict:
        shown = self.service.show_stack(self.user, self.identity())[0]
        return {o['output_key']: o.get('output_value')
                for o in shown['outputs']}

    def signal_as(self, token: str) -> None:
        info = self.domain.tokens[token]
        as_user = rpc_context.RequestContext(
            project_id=info['project_id'], user_id=info['user_id'],
            auth_token=token, roles=info['roles'])
        self.scenario.call(self.service.resource_signal, as_user,
                           self.identity(), 'handle',
                           {'status': 'SUCCESS'}, True)
        self.scenario.run()

    def test_a_token_signal_is_a_keystone_token_of_the_handles_user(self):
        self.create(wait_template())
        self.scenario.assert_state('CREATE_IN_PROGRESS')
        out = self.outputs()
        [project_id] = self.domain.projects
        self.assertEqual(project_id, self.domain.tokens[out['token']][
            'project_id'])
        self.assertIn('/v1/%s/stacks/%s/%s/resources/handle/signal' % (
            project_id, NAME, self.stack()['id']), out['endpoint'])
        self.signal_as(out['token'])
        self.scenario.assert_state('CREATE_COMPLETE')
        self.scenario.delete_stack(NAME)
        self.scenario.run()
        self.assertEqual(({}, {}), (self.domain.users, self.domain.projects))

    def test_heat_signal_gives_the_users_credentials(self):
        self.create(wait_template('HEAT_SIGNAL'))
        signal = json.loads(self.outputs()['signal'])
        [project_id] = self.domain.projects
        self.assertEqual(project_id, signal['project_id'])
        self.assertTrue(signal['alarm_url'].endswith(
            '/v1/%s/stacks/%s/%s/resources/handle/signal' % (
                project_id, NAME, self.stack()['id'])))
        self.signal_as(self.domain.user_token(
            signal['user_id'], signal['project_id'], signal['password']))
        self.scenario.assert_state('CREATE_COMPLETE')

    def test_heat_signal_without_a_domain_fails_naming_why(self):
        self.clouds.domain = None
        self.create(wait_template('HEAT_SIGNAL'))
        self.scenario.assert_state('CREATE_FAILED')
        self.assertIn('signal_transport HEAT_SIGNAL needs a stack domain '
                      'user: no stack user domain is configured',
                      self.row('handle')['status_reason'])


class DeployedServerPollServerHeat(StackUserScenario):

    def test_the_heat_collector_reads_the_deployments_as_the_user(self):
        tmpl = template(signal='TEMP_URL_SIGNAL')
        tmpl['resources']['server'] = {
            'type': 'OS::Heat::DeployedServer', 'properties': {
                'software_config_transport': 'POLL_SERVER_HEAT'}}
        tmpl['outputs']['occ'] = {'value': {'get_attr': [
            'server', 'os_collect_config']}}
        self.create(tmpl)
        shown = self.service.show_stack(self.user, self.identity())[0]
        occ = {o['output_key']: o.get('output_value')
               for o in shown['outputs']}['occ']
        self.assertEqual(['heat', 'local'], occ['collectors'])
        heat = occ['heat']
        as_server = self.stack_user_context({
            'deploy_user_id': heat['user_id'],
            'deploy_project_id': heat['project_id'],
            'deploy_password': heat['password']})
        metadata = self.service.describe_stack_resource(
            as_server, self.identity(), heat['resource_name'])['metadata']
        self.assertEqual(occ, metadata['os-collect-config'])
        [deployment] = metadata['deployments']
        self.assertEqual(SCRIPT, deployment['config'])
        self.scenario.delete_stack(NAME)
        self.scenario.run()
        self.assertEqual(({}, {}), (self.domain.users, self.domain.projects))
