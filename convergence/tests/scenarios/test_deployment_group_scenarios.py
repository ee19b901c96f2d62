"""Software deployment groups, stepped through the queue: one member per
server of the map, in a child stack, signalled by the agent (played by the
test) or through the API; the deprecated plural names.
"""

import copy

from convergence import exceptions
from convergence.resources import deployed_server
from convergence.tests.scenarios.test_deployment_scenarios import (
    TEMPLATE, DeploymentScenario, _token)

GROUP = {
    'heat_template_version': '2015-10-15',
    'resources': {
        'vm_a': {'type': 'OS::Heat::DeployedServer'},
        'vm_b': {'type': 'OS::Heat::DeployedServer'},
        'config': TEMPLATE['resources']['config'],
        'group': {'type': 'OS::Heat::SoftwareDeploymentGroup',
                  'properties': {
                      'config': {'get_resource': 'config'},
                      'servers': {'a': {'get_resource': 'vm_a'},
                                  'b': {'get_resource': 'vm_b'}},
                      'input_values': {'foo': 'bar'}}}},
    'outputs': {
        'stdouts': {'value': {'get_attr': ['group', 'deploy_stdouts']}},
        'codes': {'value': {'get_attr': ['group', 'deploy_status_codes']}},
        'results': {'value': {'get_attr': ['group', 'result']}}}}


class DeploymentGroupScenario(DeploymentScenario):
    """One member per server of the map, in a child stack; its attributes
    are maps by member name."""

    def server_metadata(self, server: str) -> dict:
        row = self.s.rows(server)[-1]
        return self.service.agent_metadata(
            self.ctx, _token(row['rsrc_data'][deployed_server.URL_DATA]))

    def member_signal_url(self, server: str) -> str:
        config = self.server_metadata(server)['deployments'][0]
        return self.inputs(config)['deploy_signal_id']

    def test_each_server_gets_its_member(self):
        self.create(GROUP)
        self.s.assert_state('CREATE_IN_PROGRESS')
        for server, member in (('vm_a', 'a'), ('vm_b', 'b')):
            config = self.server_metadata(server)['deployments']
            self.assertEqual(1, len(config))
            self.assertEqual(member, self.inputs(config[0])[
                'deploy_resource_name'])
        self.signal(self.ok(result='ra'), self.member_signal_url('vm_a'))
        self.s.assert_state('CREATE_IN_PROGRESS')
        self.signal(dict(self.ok(result='rb'), deploy_stdout='out-b'),
                    self.member_signal_url('vm_b'))
        self.s.assert_state('CREATE_COMPLETE')
        out = self.outputs()
        self.assertEqual({'a': 'out', 'b': 'out-b'}, out['stdouts'])
        self.assertEqual({'a': 0, 'b': 0}, out['codes'])
        self.assertEqual({'a': 'ra', 'b': 'rb'}, out['results'])

    def test_a_failed_member_fails_the_group(self):
        self.create(GROUP)
        self.signal(dict(self.ok(), deploy_status_code=1),
                    self.member_signal_url('vm_a'))
        self.s.assert_state('CREATE_FAILED')
        self.assertIn('Deployment exited with non-zero status code: 1',
                      self.reason('group'))

    def test_the_plural_name_is_the_group(self):
        template = copy.deepcopy(GROUP)
        template['resources']['group']['type'] = (
            'OS::Heat::SoftwareDeployments')
        self.create(template)
        self.signal(self.ok(result='x'), self.member_signal_url('vm_a'))
        self.signal(self.ok(result='y'), self.member_signal_url('vm_b'))
        self.s.assert_state('CREATE_COMPLETE')

    def child_identity(self) -> dict:
        child = self.s.db.stack_get(
            self.s.rows('group')[-1]['physical_resource_id'])
        return {'stack_name': child['name'], 'stack_id': child['id'],
                'tenant': child['tenant'], 'path': ''}

    def placeholder_group(self) -> dict:
        """test_software_deployment_group's: servers named, not made."""
        template = copy.deepcopy(GROUP)
        del template['resources']['vm_a'], template['resources']['vm_b']
        template['resources']['group']['properties']['servers'] = {
            str(i): 'dummy%d' % i for i in range(4)}
        return template

    def test_placeholder_servers_wait_for_resource_signals(self):
        self.create(self.placeholder_group())
        self.s.assert_state('CREATE_IN_PROGRESS')
        for member in '0123':
            self.s.assert_state('CREATE_IN_PROGRESS')
            self.service.resource_signal(self.ctx, self.child_identity(),
                                         member, self.ok(result=member))
            self.s.run()
        self.s.assert_state('CREATE_COMPLETE')
        self.assertEqual({m: m for m in '0123'}, self.outputs()['results'])

    def test_placeholder_servers_deleted_while_in_progress(self):
        self.create(self.placeholder_group())
        child = self.child_identity()
        self.assertEqual(4, len(self.service.list_stack_resources(
            self.ctx, child)))
        self.s.delete_stack('foo')
        self.s.run()
        self.s.assert_deleted()
        self.assertEqual('DELETE_COMPLETE', self.s.db.stack_get(
            child['stack_id'], show_deleted=True)['action'] + '_' +
            self.s.db.stack_get(child['stack_id'],
                                show_deleted=True)['status'])

    def test_the_plural_name_becomes_the_group_in_place(self):
        """test_replace_deprecated: OS::Heat::SoftwareDeployments to
        SoftwareDeploymentGroup is one plugin, updated in place."""
        template = copy.deepcopy(GROUP)
        template['resources']['group']['type'] = (
            'OS::Heat::SoftwareDeployments')
        template['resources']['group']['properties'][
            'signal_transport'] = 'NO_SIGNAL'
        self.create(template)
        self.s.assert_state('CREATE_COMPLETE')
        before = self.s.rows('group')
        template['resources']['group']['type'] = (
            'OS::Heat::SoftwareDeploymentGroup')
        self.update(template)
        self.s.assert_state('UPDATE_COMPLETE')
        after = self.s.rows('group')
        self.assertEqual([before[-1]['physical_resource_id']],
                         [r['physical_resource_id'] for r in after])
        shown = self.service.list_stack_resources(self.ctx,
                                                  self.s._identity('foo'))
        self.assertEqual('OS::Heat::SoftwareDeploymentGroup', {
            r['resource_name']: r['resource_type'] for r in shown}['group'])

    def member_states(self) -> dict:
        return {r['resource_name']: '%s_%s' % (r['resource_action'],
                                               r['resource_status']) for r in
                self.service.list_stack_resources(self.ctx,
                                                  self.child_identity())}

    def signal_members(self, members: str) -> None:
        for member in members:
            self.service.resource_signal(self.ctx, self.child_identity(),
                                         member, self.ok(result=member))
            self.s.run()

    def test_a_rolling_update_changes_the_later_servers_first(self):
        """test_deployment_crud_with_rolling_update: two at a time, the
        servers map's last entries first, the next batch once the first
        batch's deployments are signalled."""
        template = self.placeholder_group()
        template['resources']['group']['update_policy'] = {
            'rolling_update': {'max_batch_size': 2, 'pause_time': 0}}
        self.create(template)
        self.signal_members('0123')
        self.s.assert_state('CREATE_COMPLETE')
        template['resources']['group']['properties']['input_values'] = {
            'foo': 'two'}
        self.update(template)
        self.assertEqual({'0': 'CREATE_COMPLETE', '1': 'CREATE_COMPLETE',
                          '2': 'UPDATE_IN_PROGRESS',
                          '3': 'UPDATE_IN_PROGRESS'}, self.member_states())
        self.signal_members('32')
        self.s.assert_state('UPDATE_IN_PROGRESS')
        self.assertEqual({'0': 'UPDATE_IN_PROGRESS',
                          '1': 'UPDATE_IN_PROGRESS',
                          '2': 'UPDATE_COMPLETE', '3': 'UPDATE_COMPLETE'},
                         self.member_states())
        self.signal_members('10')
        self.s.assert_state('UPDATE_COMPLETE')

    def test_a_batched_create_makes_the_deployments_by_batches(self):
        template = self.placeholder_group()
        template['resources']['group']['update_policy'] = {
            'batch_create': {'max_batch_size': 3}}
        self.create(template)
        self.assertEqual({'0': 'CREATE_IN_PROGRESS',
                          '1': 'CREATE_IN_PROGRESS',
                          '2': 'CREATE_IN_PROGRESS'}, self.member_states())
        self.signal_members('012')
        self.assertEqual('CREATE_IN_PROGRESS', self.member_states()['3'])
        self.signal_members('3')
        self.s.assert_state('CREATE_COMPLETE')

    def test_an_update_policy_key_the_group_has_not_is_refused(self):
        template = copy.deepcopy(GROUP)
        template['resources']['group']['update_policy'] = {
            'rolling_update': {'min_in_service': 1}}
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'foo', template, {'parameters': {}}, {}, {})
        self.assertIn('min_in_service', error.message)
