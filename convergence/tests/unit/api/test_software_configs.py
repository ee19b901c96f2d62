"""The software config and deployment routes over the real engine on the
scenario framework's in-memory database: heat-api's shapes and statuses,
Heat's errors for unknown ids and bad input, nothing written by a refused
request, and one tenant never seeing another's."""

from convergence import exceptions
from convergence.api import make_app
from convergence.rpc import context as rpc_context
from convergence.tests.scenarios import framework
from convergence.tests.unit.api import base

SC = base.T + '/software_configs'
SD = base.T + '/software_deployments'
OTHER_TENANT = '/v1/other'


class SoftwareConfigCase(base.ApiTestCase):
    """Given the app over an engine on the in-memory database."""

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.app = make_app(self.scenario.engine_service)

    def make_config(self, **body) -> dict:
        body = dict({'name': 'cfg', 'group': 'script',
                     'config': '#!/bin/sh -x\necho hello'}, **body)
        resp = self.request('POST', SC, body)
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json['software_config']

    def make_deployment(self, config_id: str, **body) -> dict:
        body = dict({'config_id': config_id, 'server_id': 'dummy_server',
                     'action': 'ACTION0'}, **body)
        resp = self.request('POST', SD, body)
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json['software_deployment']


class SoftwareConfigRoutesTest(SoftwareConfigCase):

    def test_the_gabbi_flow_of_heat_tempest_plugin(self):
        config = self.make_config()
        self.assertEqual(
            {'id', 'name', 'group', 'config', 'inputs', 'outputs', 'options',
             'creation_time'}, set(config))
        self.assertEqual(('script', [], [], {}), (
            config['group'], config['inputs'], config['outputs'],
            config['options']))
        shown = self.request('GET', SC + '/' + config['id'])
        self.assertEqual(config, shown.json['software_config'])
        deployment = self.make_deployment(config['id'])
        self.assertEqual(('ACTION0', 'COMPLETE', '', {}, None), (
            deployment['action'], deployment['status'],
            deployment['status_reason'], deployment['input_values'],
            deployment['output_values']))
        one = SD + '/' + deployment['id']
        self.assertEqual(deployment, self.request(
            'GET', one).json['software_deployment'])
        metadata = self.request('GET', SD + '/metadata/dummy_server').json
        self.assertEqual([config], metadata['metadata'])
        updated = self.request('PUT', one, {
            'action': 'ACTION1', 'status': 'COMPLETE',
            'status_reason': 'completed'}).json['software_deployment']
        self.assertEqual(('ACTION1', 'completed'), (
            updated['action'], updated['status_reason']))
        self.assertIn('updated_time', updated)
        listed = self.request('GET', SC).json['software_configs']
        self.assertEqual([{'id': config['id'], 'name': 'cfg',
                           'group': 'script',
                           'creation_time': config['creation_time'],
                           'project': 'admin'}], listed)
        deployments = self.request('GET', SD).json['software_deployments']
        self.assertEqual([updated], deployments)
        self.assertEqual(204, self.request('DELETE', one).status_int)
        self.assertEqual(204, self.request(
            'DELETE', SC + '/' + config['id']).status_int)
        self.assertFault(self.request('GET', SC + '/' + config['id']), 404,
                         'NotFound',
                         'Software config with id %s not found' % config['id'])
        self.assertFault(self.request('GET', one), 404, 'NotFound',
                         'Deployment with id %s not found' % deployment['id'])

    def test_inputs_and_outputs_are_stored_with_heats_defaults(self):
        config = self.make_config(
            inputs=[{'name': 'a'}, {'name': 'n', 'type': 'Number',
                                    'default': '5',
                                    'replace_on_change': True}],
            outputs=[{'name': 'out', 'error_output': True}],
            options={'opt': 1})
        self.assertEqual([{'name': 'a', 'type': 'String'},
                          {'name': 'n', 'type': 'Number', 'default': 5,
                           'replace_on_change': True}], config['inputs'])
        self.assertEqual([{'name': 'out', 'type': 'String',
                           'error_output': True}], config['outputs'])
        self.assertEqual({'opt': 1}, config['options'])

    def test_bad_config_input_is_a_400_that_writes_nothing(self):
        for body, message in [
                ({'inputs': 'x'}, 'Data supplied was not valid: Software '
                 'Config I/O Schema must be in a list (inputs)'),
                ({'outputs': ['x']}, 'Data supplied was not valid: Software '
                 'Config I/O Schema must be a dict (outputs)'),
                ({'inputs': [{'type': 'String'}]}, 'Data supplied was not '
                 'valid: Property error: inputs[0]: Property name not '
                 'assigned'),
                ({'inputs': [{'name': 'a', 'kind': 'x'}]}, 'Data supplied '
                 'was not valid: Property error: inputs[0]: Unknown '
                 'Property kind'),
                ({'options': ['x']}, 'Data supplied was not valid: '
                 '"options" must be a map')]:
            body = dict({'name': 'c', 'group': 'script', 'config': ''},
                        **body)
            self.assertFault(self.request('POST', SC, body), 400, 'Invalid',
                             message)
        self.assertEqual([], self.request('GET', SC).json['software_configs'])

    def test_a_config_in_use_cannot_be_deleted(self):
        config = self.make_config()
        self.make_deployment(config['id'])
        self.assertFault(
            self.request('DELETE', SC + '/' + config['id']), 400,
            'InvalidRestrictedAction', 'Software config with id %s can not '
            'be deleted as it is referenced.' % config['id'])
        self.assertEqual(200, self.request(
            'GET', SC + '/' + config['id']).status_int)

    def test_a_deployment_of_an_unknown_config_is_a_404(self):
        self.assertFault(self.request('POST', SD, {
            'config_id': 'nope', 'server_id': 's'}), 404, 'NotFound',
            'Software config with id nope not found')
        self.assertEqual(
            [], self.request('GET', SD).json['software_deployments'])

    def test_a_deployment_without_a_server_is_a_400(self):
        config = self.make_config()
        self.assertFault(self.request('POST', SD, {
            'config_id': config['id']}), 400, 'Invalid',
            'Data supplied was not valid: server_id must be specified')

    def test_update_to_an_unknown_config_changes_nothing(self):
        config = self.make_config()
        deployment = self.make_deployment(config['id'])
        one = SD + '/' + deployment['id']
        self.assertFault(self.request('PUT', one, {
            'config_id': 'nope', 'action': 'X'}), 404, 'NotFound',
            'Software config with id nope not found')
        self.assertEqual(deployment, self.request(
            'GET', one).json['software_deployment'])

    def test_a_non_object_body_is_a_400(self):
        self.assertEqual(400, self.request('POST', SC, [1]).status_int)
        self.assertEqual(400, self.request('POST', SD, 'x').status_int)

    def test_another_tenant_sees_nothing(self):
        config = self.make_config()
        deployment = self.make_deployment(config['id'])
        self.assertFault(self.request(
            'GET', OTHER_TENANT + '/software_configs/' + config['id']),
            404, 'NotFound')
        self.assertFault(self.request(
            'DELETE', OTHER_TENANT + '/software_deployments/'
            + deployment['id']), 404, 'NotFound')
        self.assertEqual([], self.request(
            'GET', OTHER_TENANT + '/software_configs').json[
                'software_configs'])
        self.assertEqual([], self.request(
            'GET', OTHER_TENANT + '/software_deployments/metadata/'
            'dummy_server').json['metadata'])

    def test_list_pages_newest_first(self):
        ids = [self.make_config(name='c%d' % i)['id'] for i in range(3)]
        page = self.request('GET', SC + '?limit=2').json['software_configs']
        self.assertEqual(ids[::-1][:2], [c['id'] for c in page])
        rest = self.request('GET', SC + '?marker=' + page[-1]['id']).json
        self.assertEqual([ids[0]], [c['id'] for c in rest['software_configs']])
        self.assertEqual(400, self.request('GET', SC + '?limit=x').status_int)

    def test_metadata_is_by_config_name_and_of_that_server(self):
        late = self.make_config(name='b')
        early = self.make_config(name='a')
        self.make_deployment(late['id'])
        self.make_deployment(early['id'])
        self.make_deployment(early['id'], server_id='elsewhere')
        metadata = self.request('GET', SD + '/metadata/dummy_server').json
        self.assertEqual(['a', 'b'], [c['name'] for c in metadata['metadata']])
        listed = self.request('GET', SD + '?server_id=elsewhere').json
        self.assertEqual(['elsewhere'], [
            d['server_id'] for d in listed['software_deployments']])

    def test_global_tenant_is_forbidden_as_by_heats_default_policy(self):
        self.assertEqual(403, self.request(
            'GET', SC + '?global_tenant=true').status_int)


class CheckSoftwareDeploymentTest(SoftwareConfigCase):
    """check_software_deployment (RPC only, no route), on the same engine."""

    def test_a_finished_deployment_answers_at_once(self):
        deployment = self.make_deployment(self.make_config()['id'])
        checked = self.scenario.engine_service.check_software_deployment(
            self.ctx(), deployment['id'], 10)
        self.assertEqual('COMPLETE', checked['status'])

    def test_one_still_in_progress_after_the_timeout_is_a_timeout(self):
        deployment = self.make_deployment(self.make_config()['id'],
                                          status='IN_PROGRESS')
        self.assertRaises(
            exceptions.Timeout,
            self.scenario.engine_service.check_software_deployment,
            self.ctx(), deployment['id'], 0)

    def ctx(self):
        return rpc_context.RequestContext(project_id='admin', is_admin=True)
