"""The software config resource types in stacks, stepped through the queue
on the in-memory database: each stores its config in the store the
software_configs API serves, get_resource gives its id, get_attr its
config, a changed config replaces it (new config made, old one deleted),
and deleting the stack deletes the configs."""

import copy
import email

from convergence import exceptions
from convergence.tests.scenarios import framework

HOT = {'heat_template_version': '2015-10-15'}
SCRIPT = '#!/bin/sh\necho hello > $heat_outputs_path.result'
CONFIGS = dict(
    HOT,
    resources={
        'script': {'type': 'OS::Heat::SoftwareConfig', 'properties': {
            'group': 'script', 'config': SCRIPT,
            'inputs': [{'name': 'foo', 'type': 'Number', 'default': '3'}],
            'outputs': [{'name': 'result'}],
            'options': {'opt': True}}},
        'structured': {'type': 'OS::Heat::StructuredConfig', 'properties': {
            'group': 'apply-config', 'config': {'a': [1, 2]}}},
        'cloud': {'type': 'OS::Heat::CloudConfig', 'properties': {
            'cloud_config': {'runcmd': ['echo hi']}}},
        'component': {'type': 'OS::Heat::SoftwareComponent', 'properties': {
            'configs': [{'actions': ['CREATE'], 'config': 'make',
                         'tool': 'script'},
                        {'actions': ['DELETE'], 'config': 'unmake',
                         'tool': 'script'}]}},
        'mime': {'type': 'OS::Heat::MultipartMime', 'properties': {
            'parts': [{'config': {'get_resource': 'script'},
                       'filename': 'run.sh'},
                      {'config': 'inline text', 'subtype': 'plain'}]}}},
    outputs={
        'script_id': {'value': {'get_resource': 'script'}},
        'script_config': {'value': {'get_attr': ['script', 'config']}},
        'structured_config': {'value': {'get_attr': ['structured',
                                                     'config']}},
        'cloud_config': {'value': {'get_attr': ['cloud', 'config']}},
        'component_configs': {'value': {'get_attr': ['component',
                                                     'configs']}},
        'mime_config': {'value': {'get_attr': ['mime', 'config']}}})


class SoftwareConfigScenario(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.s = self.scenario
        self.service = self.s.engine_service
        self.ctx = self.s.context

    def create(self, template=CONFIGS, name='configs') -> dict:
        identity = self.service.create_stack(self.ctx, name, template,
                                             {'parameters': {}}, {}, {})
        self.s.run()
        return identity

    def shown(self, identity) -> dict:
        return self.service.show_stack(self.ctx, identity)[0]

    def state(self, identity) -> str:
        shown = self.shown(identity)
        return '%s_%s' % (shown['stack_action'], shown['stack_status'])

    def outputs(self, identity) -> dict:
        return {o['output_key']: o['output_value']
                for o in self.shown(identity)['outputs']}

    def stored(self) -> list:
        return self.service.list_software_configs(self.ctx)

    def test_each_type_stores_its_config_as_heat_does(self):
        identity = self.create()
        self.assertEqual('CREATE_COMPLETE', self.state(identity),
                         self.shown(identity)['stack_status_reason'])
        out = self.outputs(identity)
        script = self.service.show_software_config(self.ctx,
                                                   out['script_id'])
        self.assertEqual(('script', SCRIPT, {'opt': True}), (
            script['group'], script['config'], script['options']))
        self.assertEqual([{'name': 'foo', 'type': 'Number', 'default': 3}],
                         script['inputs'])
        self.assertEqual([{'name': 'result', 'type': 'String',
                           'error_output': False}], script['outputs'])
        self.assertTrue(script['name'].startswith('configs-script-'))
        self.assertEqual(SCRIPT, out['script_config'])
        self.assertEqual({'a': [1, 2]}, out['structured_config'])
        self.assertEqual('#cloud-config\nruncmd:\n- echo hi\n',
                         out['cloud_config'])
        self.assertEqual(['CREATE'], out['component_configs'][0]['actions'])
        self.assertEqual('unmake', out['component_configs'][1]['config'])
        parts = email.message_from_string(out['mime_config']).get_payload()
        self.assertEqual([SCRIPT, 'inline text'],
                         [p.get_payload() for p in parts])
        self.assertEqual(['run.sh', None], [p.get_filename() for p in parts])
        by_name = {c['name'].split('-')[1]: c for c in self.stored()}
        self.assertEqual({'script': 'script', 'structured': 'apply-config',
                          'cloud': 'Heat::Ungrouped',
                          'component': 'component',
                          'mime': 'Heat::Ungrouped'},
                         {k: c['group'] for k, c in by_name.items()})

    def test_a_changed_config_replaces_it_and_deletes_the_old_one(self):
        identity = self.create()
        before = self.outputs(identity)['script_id']
        changed = copy.deepcopy(CONFIGS)
        changed['resources']['script']['properties']['config'] = 'echo new'
        self.service.update_stack(self.ctx, identity, changed,
                                  {'parameters': {}}, {}, {})
        self.s.run()
        self.assertEqual('UPDATE_COMPLETE', self.state(identity))
        after = self.outputs(identity)
        self.assertNotEqual(before, after['script_id'])
        self.assertEqual('echo new', after['script_config'])
        self.assertRaises(exceptions.NotFound,
                          self.service.show_software_config, self.ctx, before)
        self.assertIn('echo new', after['mime_config'])
        self.assertEqual(5, len(self.stored()))

    def test_deleting_the_stack_deletes_its_configs(self):
        identity = self.create()
        self.assertEqual(5, len(self.stored()))
        self.service.delete_stack(self.ctx, identity)
        self.s.run()
        self.assertEqual([], self.stored())

    def test_a_config_a_deployment_uses_is_not_deleted(self):
        identity = self.create()
        config_id = self.outputs(identity)['script_id']
        self.service.create_software_deployment(
            self.ctx, server_id='srv', config_id=config_id)
        self.service.delete_stack(self.ctx, identity)
        self.s.run()
        shown = self.shown(identity)
        self.assertEqual('DELETE_FAILED', self.state(identity))
        self.assertIn('Software config with id %s can not be deleted as it '
                      'is referenced.' % config_id,
                      shown['stack_status_reason'])
        self.assertEqual(config_id, self.service.show_software_config(
            self.ctx, config_id)['id'])

    def test_a_default_of_the_wrong_type_fails_the_create_naming_it(self):
        bad = dict(HOT, resources={'c': {
            'type': 'OS::Heat::SoftwareConfig', 'properties': {
                'config': 'x', 'inputs': [{'name': 'n', 'type': 'Number',
                                           'default': 'many'}]}}})
        identity = self.create(bad, 'bad')
        shown = self.shown(identity)
        self.assertEqual('CREATE_FAILED', self.state(identity))
        self.assertIn("inputs[0].default: could not convert string to "
                      "float: 'many'", shown['stack_status_reason'])
        self.assertEqual([], self.stored())

    def test_an_unknown_input_key_is_refused_at_validation(self):
        bad = dict(HOT, resources={'c': {
            'type': 'OS::Heat::SoftwareConfig', 'properties': {
                'inputs': [{'name': 'n', 'kind': 'x'}]}}})
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'bad', bad, {'parameters': {}}, {}, {})
        self.assertIn('Unknown Property kind', error.message)

    def test_a_component_with_two_configs_for_one_action_is_refused(self):
        bad = dict(HOT, resources={'c': {
            'type': 'OS::Heat::SoftwareComponent', 'properties': {
                'configs': [{'config': 'a', 'tool': 'script'},
                            {'actions': ['UPDATE'], 'config': 'b',
                             'tool': 'script'}]}}})
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'bad', bad, {'parameters': {}}, {}, {})
        self.assertIn('Defining more than one configuration for the same '
                      'action in SoftwareComponent "c" is not allowed.',
                      error.message)
