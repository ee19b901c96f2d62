"""Snapshots, restore, abandon, export and adopt through python-heatclient,
against a real convergence-all (abandon and adopt enabled)."""

import json
import os

from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import server as server_mod

TEMPLATE = '''
heat_template_version: 2015-10-15
parameters:
  length: {type: number, default: 8}
resources:
  rand:
    type: OS::Heat::RandomString
    properties: {length: {get_param: length}}
  test:
    type: OS::Heat::TestResource
    properties: {value: {get_attr: [rand, value]}}
outputs:
  value: {value: {get_attr: [test, output]}}
'''


class SnapshotsAndAbandon(base.FunctionalTestCase):

    @classmethod
    def _start_server(cls):
        if os.environ.get('CONVERGENCE_TEST_ENDPOINT'):
            return super()._start_server()
        cls.server = base.set_up(server_mod.ServerFixture(config={
            'enable_stack_abandon': 'true', 'enable_stack_adopt': 'true'}))

    def test_snapshot_and_restore(self):
        """Given a snapshot, when an update replaces the random string and
        the snapshot is restored, then the output has its first value."""
        identifier = self.create_stack(TEMPLATE)
        first = self.outputs(identifier)['value']
        snapshot = self.client.stacks.snapshot(identifier, 'first')
        self.assertEqual(('first', 'IN_PROGRESS'),
                         (snapshot['name'], snapshot['status']))
        self.wait_for_status(identifier, 'SNAPSHOT_COMPLETE',
                             stale='CREATE_COMPLETE')
        listed = self.client.stacks.snapshot_list(identifier)['snapshots']
        self.assertEqual([(snapshot['id'], 'COMPLETE')],
                         [(s['id'], s['status']) for s in listed])
        shown = self.client.stacks.snapshot_show(identifier, snapshot['id'])
        resources = shown['snapshot']['data']['resources']
        self.assertEqual(first, resources['rand']['resource_data']['value'])
        self.update_stack(identifier, TEMPLATE, parameters={'length': 12})
        self.assertEqual(12, len(self.outputs(identifier)['value']))
        self.client.stacks.restore(identifier, snapshot['id'])
        self.wait_for_status(identifier, 'RESTORE_COMPLETE',
                             stale='UPDATE_COMPLETE')
        self.assertEqual(first, self.outputs(identifier)['value'])
        self.client.stacks.snapshot_delete(identifier, snapshot['id'])
        self.assertEqual([], self.client.stacks.snapshot_list(
            identifier)['snapshots'])
        error = self.assertRaises(heat_exc.HTTPNotFound,
                                  self.client.stacks.restore, identifier,
                                  snapshot['id'])
        self.assertIn('Snapshot with id %s not found' % snapshot['id'],
                      str(error))

    def test_snapshot_of_a_stack_in_progress_is_a_409(self):
        identifier = self.create_stack(
            'heat_template_version: 2015-10-15\nresources:\n  slow:\n'
            '    type: OS::Heat::TestResource\n'
            '    properties: {action_wait_secs: {create: 2}}\n',
            expected=None)
        error = self.assertRaises(heat_exc.HTTPConflict,
                                  self.client.stacks.snapshot, identifier)
        self.assertIn('already has an action (CREATE) in progress',
                      str(error))
        self.wait_for_status(identifier, 'CREATE_COMPLETE')

    def test_abandon_then_adopt(self):
        """Given an abandoned stack, an adopt of its data makes a stack
        with the same physical resources and outputs."""
        identifier = self.create_stack(TEMPLATE)
        value = self.outputs(identifier)['value']
        ids = self.physical_ids(identifier)
        exported = self.client.stacks.export(identifier)
        abandoned = self.client.stacks.abandon(identifier)
        self.assertEqual(exported, abandoned)
        self.assertEqual(ids, {name: entry['resource_id'] for name, entry
                               in abandoned['resources'].items()})
        name = self.stack_name('-adopted')
        body = self.client.stacks.create(
            stack_name=name, adopt_stack_data=json.dumps(abandoned),
            disable_rollback=True)
        adopted = '%s/%s' % (name, body['stack']['id'])
        self.wait_for_status(adopted, 'ADOPT_COMPLETE')
        self.assertEqual(ids, self.physical_ids(adopted))
        self.assertEqual(value, self.outputs(adopted)['value'])

    def test_adopt_naming_an_unknown_resource_is_a_400(self):
        data = {'template': TEMPLATE, 'resources': {
            'ghost': {'resource_id': 'x', 'type': 'OS::Heat::None'}}}
        error = self.assertRaises(
            heat_exc.HTTPBadRequest, self.client.stacks.create,
            stack_name=self.stack_name(), adopt_stack_data=json.dumps(data))
        self.assertIn('not in the template: ghost', str(error))


class AbandonAndAdoptOff(base.FunctionalTestCase):
    """As in Heat, abandon, export and adopt are off unless configured."""

    def test_abandon_export_and_adopt_are_refused(self):
        identifier = self.create_stack(TEMPLATE)
        for call in (self.client.stacks.abandon, self.client.stacks.export):
            error = self.assertRaises(heat_exc.HTTPBadRequest, call,
                                      identifier)
            self.assertIn('Stack Abandon is not supported.', str(error))
        error = self.assertRaises(
            heat_exc.HTTPBadRequest, self.client.stacks.create,
            stack_name=self.stack_name(),
            adopt_stack_data=json.dumps({'template': TEMPLATE,
                                         'resources': {}}))
        self.assertIn('Stack Adopt is not supported.', str(error))
        self.assertEqual('CREATE_COMPLETE', self.stack_status(identifier))
