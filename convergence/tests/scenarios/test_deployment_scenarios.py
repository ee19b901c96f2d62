"""Software deployments on a DeployedServer, stepped through the queue.

The agent is played by the test: it reads the server's metadata and
signals each deployment action at the engine-served URLs, through the
engine calls the API makes for those URLs (``agent_metadata``,
``agent_signal``), as heat-config-notify would.
"""

import copy
import urllib.parse

from convergence import exceptions
from convergence.resources import deployed_server
from convergence.rpc import context as rpc_context
from convergence.software_config import agent_urls
from convergence.tests.scenarios import framework

SCRIPT = '#!/bin/sh\necho $foo'
TEMPLATE = {
    'heat_template_version': '2015-10-15',
    'resources': {
        'server': {'type': 'OS::Heat::DeployedServer'},
        'config': {'type': 'OS::Heat::SoftwareConfig', 'properties': {
            'group': 'script', 'config': SCRIPT,
            'inputs': [{'name': 'foo'}],
            'outputs': [{'name': 'result'}]}},
        'deploy': {'type': 'OS::Heat::SoftwareDeployment', 'properties': {
            'config': {'get_resource': 'config'},
            'server': {'get_resource': 'server'},
            'input_values': {'foo': 'bar'}}},
        'after': {'type': 'OS::Heat::Value', 'properties': {
            'value': {'get_attr': ['deploy', 'result']}}}},
    'outputs': {
        'stdout': {'value': {'get_attr': ['deploy', 'deploy_stdout']}},
        'result': {'value': {'get_attr': ['after', 'value']}},
        'occ': {'value': {'get_attr': ['server', 'os_collect_config']}}}}


def _token(url: str) -> str:
    return urllib.parse.urlsplit(url).path.rsplit('/', 1)[-1]


class DeploymentScenario(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.s = self.scenario
        self.service = self.s.engine_service
        self.ctx = self.s.context

    # --- the stack ---

    def create(self, template=TEMPLATE):
        self.service.create_stack(self.ctx, 'foo', template,
                                  {'parameters': {}}, {}, {})
        self.s.run()

    def update(self, template):
        self.service.update_stack(self.ctx, self.s._identity('foo'),
                                  template, {'parameters': {}}, {}, {})
        self.s.run()

    def outputs(self) -> dict:
        shown = self.service.show_stack(self.ctx, self.s._identity('foo'))[0]
        return {o['output_key']: o.get('output_value')
                for o in shown['outputs']}

    def reason(self, name='deploy') -> str:
        return self.s.rows(name)[-1]['status_reason']

    # --- the agent ---

    def metadata_token(self) -> str:
        row = self.s.rows('server')[-1]
        return _token(row['rsrc_data'][deployed_server.URL_DATA])

    def metadata(self) -> dict:
        return self.service.agent_metadata(self.ctx, self.metadata_token())

    def inputs(self, config: dict) -> dict:
        return {i['name']: i.get('value') for i in config['inputs']}

    def signal_url(self, name='deploy') -> str:
        for config in self.metadata()['deployments']:
            inputs = self.inputs(config)
            if inputs['deploy_resource_name'] == name:
                return inputs['deploy_signal_id']
        self.fail('no deployment %s in the metadata' % name)

    def signal(self, details, url=None):
        self.service.agent_signal(self.ctx, _token(url or self.signal_url()),
                                  details)
        self.s.run()

    def ok(self, **outputs):
        return dict({'deploy_stdout': 'out', 'deploy_stderr': '',
                     'deploy_status_code': 0}, **outputs)


class CreateAndSignal(DeploymentScenario):

    def test_the_agent_signal_completes_the_stack(self):
        """Given a server, config and deployment, the deployment waits with
        its derived config in the server's metadata; the signal at its URL
        completes it and its outputs reach the stack's outputs."""
        self.create()
        self.s.assert_state('CREATE_IN_PROGRESS')
        self.assertEqual('CREATE_IN_PROGRESS', '%s_%s' % (
            self.s.rows('deploy')[-1]['action'],
            self.s.rows('deploy')[-1]['status']))
        metadata = self.metadata()
        self.assertEqual(1, len(metadata['deployments']))
        config = metadata['deployments'][0]
        self.assertEqual('script', config['group'])
        self.assertEqual(SCRIPT, config['config'])
        inputs = self.inputs(config)
        server_id = self.s.rows('server')[-1]['physical_resource_id']
        stack = self.s._stack('foo')
        self.assertEqual({
            'foo': 'bar', 'deploy_server_id': server_id,
            'deploy_action': 'CREATE',
            'deploy_stack_id': 'foo/%s' % stack['id'],
            'deploy_resource_name': 'deploy',
            'deploy_signal_transport': 'CFN_SIGNAL',
            'deploy_signal_verb': 'POST'},
            {k: v for k, v in inputs.items() if k != 'deploy_signal_id'})
        self.assertTrue(inputs['deploy_signal_id'].startswith(
            'http://127.0.0.1:8004/agent/v1/signal/'))
        self.assertEqual(
            {'collectors': ['request', 'local'],
             'request': {'metadata_url':
                         'http://127.0.0.1:8004/agent/v1/metadata/'
                         + self.metadata_token()}},
            metadata['os-collect-config'])
        self.signal(self.ok(result='42', undeclared='dropped'))
        self.s.assert_state('CREATE_COMPLETE')
        out = self.outputs()
        self.assertEqual('out', out['stdout'])
        self.assertEqual('42', out['result'])
        self.assertEqual(metadata['os-collect-config'], out['occ'])
        deployment = self.service.show_software_deployment(
            self.ctx, self.s.rows('deploy')[-1]['physical_resource_id'])
        self.assertEqual(('COMPLETE', 'Outputs received'),
                         (deployment['status'], deployment['status_reason']))
        self.assertNotIn('undeclared', deployment['output_values'])

    def test_a_replayed_or_wrong_token_is_not_found(self):
        self.create()
        url = self.signal_url()
        self.signal(self.ok(result='1'), url)
        for token in (_token(url), 'x' * 43, 'bad/token'):
            self.assertRaises(exceptions.NotFound, self.service.agent_signal,
                              self.ctx, token, self.ok())
        self.assertRaises(exceptions.NotFound, self.service.agent_metadata,
                          self.ctx, _token(url))
        self.assertEqual('1', self.outputs()['result'])

    def test_a_signal_that_is_no_object_is_invalid(self):
        self.create()
        self.assertRaises(exceptions.Invalid, self.service.agent_signal,
                          self.ctx, _token(self.signal_url()), ['a'])
        self.s.assert_state('CREATE_IN_PROGRESS')

    def test_a_failing_script_fails_the_stack_with_its_stderr(self):
        self.create()
        self.signal({'deploy_stdout': '', 'deploy_stderr': 'no such file',
                     'deploy_status_code': 2})
        self.s.assert_state('CREATE_FAILED')
        self.assertEqual(
            'Error: resources.deploy: Deployment to server failed: '
            'deploy_status_code : Deployment exited with non-zero status '
            'code: 2, deploy_stderr : no such file', self.reason())

    def test_a_server_the_engine_does_not_serve(self):
        """Any server id, as Heat's: the deployment waits, and a resource
        signal (no agent fetches it) completes it."""
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties']['server'] = 'nope'
        self.create(template)
        self.s.assert_state('CREATE_IN_PROGRESS')
        self.service.resource_signal(self.ctx, self.s._identity('foo'),
                                     'deploy', self.ok(result='r'))
        self.s.run()
        self.s.assert_state('CREATE_COMPLETE')
        self.assertEqual('r', self.outputs()['result'])

    def test_no_signal_does_not_wait(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties'][
            'signal_transport'] = 'NO_SIGNAL'
        self.create(template)
        self.s.assert_state('CREATE_COMPLETE')
        inputs = self.inputs(self.metadata()['deployments'][0])
        self.assertNotIn('deploy_signal_id', inputs)

    def test_an_action_not_listed_does_not_wait(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties']['actions'] = ['DELETE']
        self.create(template)
        self.s.assert_state('CREATE_COMPLETE')
        self.assertEqual([], self.metadata()['deployments'])

    def test_zaqar_is_refused_by_name(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties'][
            'signal_transport'] = 'ZAQAR_SIGNAL'
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'foo', template, {'parameters': {}}, {}, {})
        self.assertIn('ZAQAR_SIGNAL is not supported', error.message)

    def test_other_config_transports_are_refused_by_name(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['server']['properties'] = {
            'software_config_transport': 'POLL_SERVER_CFN'}
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'foo', template, {'parameters': {}}, {}, {})
        self.assertIn('POLL_SERVER_CFN is not supported', error.message)

    def test_heat_signal_by_resource_signal(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties'][
            'signal_transport'] = 'HEAT_SIGNAL'
        self.create(template)
        inputs = self.inputs(self.metadata()['deployments'][0])
        self.assertNotIn('deploy_signal_id', inputs)
        self.service.resource_signal(self.ctx, self.s._identity('foo'),
                                     'deploy', self.ok(result='hs'))
        self.s.run()
        self.s.assert_state('CREATE_COMPLETE')
        self.assertEqual('hs', self.outputs()['result'])
        # A complete deployment takes no more (Heat: nothing happens).
        self.service.resource_signal(self.ctx, self.s._identity('foo'),
                                     'deploy', self.ok(result='late'))
        self.s.run()
        self.assertEqual('hs', self.outputs()['result'])

    def test_signal_software_deployment(self):
        self.create()
        deployment_id = self.s.rows('deploy')[-1]['physical_resource_id']
        self.assertEqual(
            'deployment %s succeeded' % deployment_id,
            self.service.signal_software_deployment(
                self.ctx, deployment_id, self.ok(result='rpc'), None))
        self.s.run()
        self.s.assert_state('CREATE_COMPLETE')
        self.assertEqual('rpc', self.outputs()['result'])
        self.assertIsNone(self.service.signal_software_deployment(
            self.ctx, deployment_id, self.ok(), None))
        self.assertRaises(exceptions.NotFound,
                          self.service.signal_software_deployment,
                          self.ctx, 'missing', {}, None)

    def test_the_deadline_cancels_the_deployment(self):
        self.create()
        self.s.fire_timers()
        self.s.run()
        self.s.assert_state('CREATE_FAILED')
        self.assertIn('Timed out', self.reason())
        deployment = self.service.show_software_deployment(
            self.ctx, self.s.rows('deploy')[-1]['physical_resource_id'])
        self.assertEqual(('FAILED', 'Deployment cancelled.'),
                         (deployment['status'], deployment['status_reason']))


class StructuredDeploymentScenario(DeploymentScenario):

    def test_get_input_is_substituted(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['config'] = {
            'type': 'OS::Heat::StructuredConfig', 'properties': {
                'group': 'apply-config',
                'config': {'greeting': {'get_input': 'foo'},
                           'list': [{'get_input': 'deploy_action'}]}}}
        template['resources']['deploy']['type'] = (
            'OS::Heat::StructuredDeployment')
        del template['resources']['after']
        del template['outputs']['result']
        self.create(template)
        config = self.metadata()['deployments'][0]
        self.assertEqual({'greeting': 'bar', 'list': ['CREATE']},
                         config['config'])
        self.signal(self.ok())
        self.s.assert_state('CREATE_COMPLETE')


class UpdateAndDelete(DeploymentScenario):

    def changed_script(self, script='#!/bin/sh\necho changed'):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['config']['properties']['config'] = script
        return template

    def test_a_changed_script_runs_the_deployment_again(self):
        self.create()
        first = self.signal_url()
        self.signal(self.ok(result='1'))
        self.update(self.changed_script())
        self.s.assert_state('UPDATE_IN_PROGRESS')
        config = self.metadata()['deployments'][0]
        self.assertEqual('#!/bin/sh\necho changed', config['config'])
        self.assertEqual('UPDATE', self.inputs(config)['deploy_action'])
        self.assertNotEqual(first, self.signal_url())
        self.signal(self.ok(result='2'))
        self.s.assert_state('UPDATE_COMPLETE')
        self.assertEqual('2', self.outputs()['result'])
        # Only the new derived config is left of the deployment's.
        names = [c['name'] for c in self.service.list_software_configs(
            self.ctx)]
        self.assertEqual(2, len(names), names)

    def test_an_unchanged_template_does_not_run_it(self):
        self.create()
        self.signal(self.ok(result='1'))
        self.update(TEMPLATE)
        self.s.assert_state('UPDATE_COMPLETE')
        self.assertEqual('CREATE', self.inputs(
            self.metadata()['deployments'][0])['deploy_action'])

    def test_an_update_during_the_create_takes_over(self):
        """The deployment waits in its create; an update with a new input
        takes it over at once: the create's URL signals nothing, the
        update's completes the stack with the last template's values."""
        self.create()
        first = self.signal_url()
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties']['input_values'] = {
            'foo': 'baz'}
        self.update(template)
        self.assertRaises(exceptions.NotFound, self.service.agent_signal,
                          self.ctx, _token(first), self.ok())
        config = self.metadata()['deployments'][0]
        self.assertEqual('baz', self.inputs(config)['foo'])
        self.signal(self.ok(result='3'))
        self.s.assert_state('UPDATE_COMPLETE')
        self.assertEqual('3', self.outputs()['result'])

    def test_delete_runs_the_delete_action(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties']['actions'] = [
            'CREATE', 'DELETE']
        self.create(template)
        self.signal(self.ok(result='1'))
        metadata_token = self.metadata_token()
        self.s.delete_stack('foo')
        self.s.run()
        self.s.assert_state('DELETE_IN_PROGRESS')
        config = self.metadata()['deployments'][0]
        self.assertEqual('DELETE', self.inputs(config)['deploy_action'])
        self.signal(self.ok())
        self.s.assert_deleted()
        self.assertRaises(exceptions.NotFound, self.service.agent_metadata,
                          self.ctx, metadata_token)
        self.assertEqual([], self.service.list_software_deployments(
            self.ctx))
        self.assertEqual([], self.service.list_software_configs(self.ctx))

    def test_suspend_and_resume_wait_when_listed(self):
        template = copy.deepcopy(TEMPLATE)
        template['resources']['deploy']['properties']['actions'] = [
            'CREATE', 'SUSPEND', 'RESUME']
        self.create(template)
        self.signal(self.ok(result='1'))
        for action in ('SUSPEND', 'RESUME'):
            call = getattr(self.service, 'stack_%s' % action.lower())
            call(self.ctx, self.s._identity('foo'))
            self.s.run()
            self.s.assert_state('%s_IN_PROGRESS' % action)
            self.assertEqual(action, self.inputs(
                self.metadata()['deployments'][0])['deploy_action'])
            self.signal(self.ok(result=action))
            self.s.assert_state('%s_COMPLETE' % action)

    def test_delete_without_a_delete_action(self):
        self.create()
        self.signal(self.ok(result='1'))
        url, token = self.signal_url(), self.metadata_token()
        self.s.delete_stack('foo')
        self.s.run()
        self.s.assert_deleted()
        for call, value in ((self.service.agent_metadata, token),
                            (self.service.agent_signal, _token(url))):
            args = (self.ctx, value) if call == self.service.agent_metadata \
                else (self.ctx, value, {})
            self.assertRaises(exceptions.NotFound, call, *args)
        self.assertEqual([], self.service.list_software_configs(self.ctx))

    def test_delete_while_the_create_waits(self):
        self.create()
        self.s.delete_stack('foo')
        self.s.run()
        self.s.assert_deleted()


class Urls(DeploymentScenario):

    def test_the_url_is_bound_to_the_tenant_s_server(self):
        self.create()
        url = agent_urls.url('http://x', agent_urls.METADATA,
                             self.metadata_token())
        self.assertTrue(url.startswith('http://x/agent/v1/metadata/'))
        # A signal token is no metadata token, and the reverse.
        self.assertRaises(exceptions.NotFound, self.service.agent_metadata,
                          self.ctx, _token(self.signal_url()))
        self.assertRaises(exceptions.NotFound, self.service.agent_signal,
                          self.ctx, self.metadata_token(), {})


class AnotherProject(DeploymentScenario):
    """A deployment another project makes names our server: it must not
    reach our server's agent, nor be shown to us."""

    def setUp(self):
        super().setUp()
        self.other = rpc_context.RequestContext(project_id='other',
                                                user_id='mallory')
        self.config_id = self.service.create_software_config(
            self.other, group='script', name='theirs',
            config='#!/bin/sh\necho pwned')['id']

    def server_id(self) -> str:
        return self.s.rows('server')[-1]['physical_resource_id']

    def test_it_cannot_name_our_project_as_its_stack_user_project(self):
        self.create()
        err = self.assertRaises(
            exceptions.InvalidTenant, self.service.create_software_deployment,
            self.other, self.server_id(), config_id=self.config_id,
            stack_user_project_id=self.ctx.project_id)
        self.assertEqual('Searching Tenant test from Tenant other '
                         'forbidden.', str(err))
        self.assertEqual(['deploy'], [
            self.inputs(c)['deploy_resource_name']
            for c in self.metadata()['deployments']])
        self.assertEqual(1, len(self.service.list_software_deployments(
            self.ctx)))
        self.assertEqual([], self.service.list_software_deployments(
            self.other))

    def test_a_stack_user_project_of_our_trees_is_ours_to_name(self):
        # A tree's stack user domain project (decision 23) is recorded on
        # its user_creds row; only that tree's tenant may name it.
        self.create()
        self.s.db.user_creds_create({
            'id': 'creds-1', 'trust_id': 't', 'trustor_user_id': 'u',
            'tenant': self.ctx.project_id, 'region_name': None})
        self.s.db.user_creds_set_project('creds-1', 'domain-project')
        our_config = self.service.create_software_config(
            self.ctx, group='script', name='ours', config='true')['id']
        ours = self.service.create_software_deployment(
            self.ctx, self.server_id(), config_id=our_config,
            stack_user_project_id='domain-project')
        self.assertEqual(ours['id'], self.service.show_software_deployment(
            self.ctx, ours['id'])['id'])
        err = self.assertRaises(
            exceptions.InvalidTenant, self.service.create_software_deployment,
            self.other, self.server_id(), config_id=self.config_id,
            stack_user_project_id='domain-project')
        self.assertEqual('Searching Tenant domain-project from Tenant other '
                         'forbidden.', str(err))

    def test_its_deployment_of_our_server_is_its_own(self):
        self.create()
        theirs = self.service.create_software_deployment(
            self.other, self.server_id(), config_id=self.config_id,
            stack_user_project_id='other')
        self.assertEqual(1, len(self.metadata()['deployments']))
        self.assertRaises(exceptions.NotFound,
                          self.service.show_software_deployment, self.ctx,
                          theirs['id'])
        self.assertEqual([theirs['id']], [
            d['id'] for d in self.service.list_software_deployments(
                self.other)])
