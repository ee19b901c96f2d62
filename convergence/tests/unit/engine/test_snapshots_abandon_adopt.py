"""Snapshots, abandon, export and adopt at the engine's RPC methods.

Given an engine on the scenario framework's in-memory database, each
request answers as heat-engine does: the happy paths, and for bad input
Heat's exception class and message, with nothing changed.
"""

import json

from convergence import exceptions
from convergence import resources
from convergence.resources import base
from convergence.tests.scenarios import framework

HOT = {'heat_template_version': '2015-10-15'}
PAIR = dict(
    HOT,
    resources={
        'rand': {'type': 'OS::Heat::RandomString',
                 'properties': {'length': 8}},
        'test': {'type': 'OS::Heat::TestResource',
                 'properties': {'value': {'get_attr': ['rand', 'value']}}}},
    outputs={'v': {'value': {'get_attr': ['rand', 'value']}}})
SNAPSHOT_DELETION = 'Test::SnapshotOnDelete'


class SnapshotOnDelete(base.Resource):
    """A type that honours the "Snapshot" deletion policy."""

    calls: list = []

    def handle_create(self):
        self.resource_id_set('backed-%s' % self.name)

    def handle_snapshot_delete(self, state):
        SnapshotOnDelete.calls.append(('snapshot_delete', self.name, state))


class EngineCase(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.s = self.scenario
        self.service = self.s.engine_service
        self.ctx = self.s.context

    def create(self, name='foo', template=PAIR, **args) -> dict:
        identity = self.service.create_stack(self.ctx, name, template,
                                             {'parameters': {}}, {}, args)
        self.s.run()
        return identity

    def settle(self) -> None:
        self.s.run()

    def status(self, identity) -> str:
        shown = self.service.show_stack(self.ctx, identity)[0]
        return '%s_%s' % (shown['stack_action'], shown['stack_status'])

    def output(self, identity) -> str:
        shown = self.service.show_stack(self.ctx, identity)[0]
        return shown['outputs'][0]['output_value']


class SnapshotTest(EngineCase):

    def test_snapshot_restore_keeps_the_random_value(self):
        """Given a snapshot, when an update replaces the random string and
        the snapshot is restored, then the random string has its old value
        again (its handle_restore) and the stack is RESTORE_COMPLETE."""
        identity = self.create()
        before = self.output(identity)
        snap = self.service.stack_snapshot(self.ctx, identity, 'one')
        self.assertEqual(('one', 'CREATE', 'IN_PROGRESS'),
                         (snap['name'], snap['action'], snap['status']))
        self.settle()
        self.assertEqual('SNAPSHOT_COMPLETE', self.status(identity))
        longer = json.loads(json.dumps(PAIR))
        longer['resources']['rand']['properties']['length'] = 12
        self.service.update_stack(self.ctx, identity, longer,
                                  {'parameters': {}}, {}, {})
        self.settle()
        self.assertNotEqual(before, self.output(identity))
        self.service.stack_restore(self.ctx, identity, snap['id'])
        self.settle()
        self.assertEqual('RESTORE_COMPLETE', self.status(identity))
        self.assertEqual(before, self.output(identity))
        self.assertEqual(PAIR, self.service.get_template(self.ctx, identity))

    def test_list_show_and_delete(self):
        identity = self.create()
        snap = self.service.stack_snapshot(self.ctx, identity, None)
        self.settle()
        listed = self.service.stack_list_snapshots(self.ctx, identity)
        self.assertEqual([snap['id']], [s['id'] for s in listed])
        self.assertEqual(['action', 'creation_time', 'data', 'id', 'name',
                          'status', 'status_reason'], sorted(listed[0]))
        shown = self.service.show_snapshot(self.ctx, identity, snap['id'])
        self.assertEqual(('COMPLETE', 'Stack SNAPSHOT completed '
                          'successfully'),
                         (shown['status'], shown['status_reason']))
        self.assertEqual({'rand', 'test'}, set(shown['data']['resources']))
        self.service.delete_snapshot(self.ctx, identity, snap['id'])
        self.assertEqual([], self.service.stack_list_snapshots(self.ctx,
                                                               identity))

    def test_unknown_snapshot_is_404(self):
        identity = self.create()
        for call in (self.service.show_snapshot, self.service.delete_snapshot,
                     self.service.stack_restore):
            error = self.assertRaises(exceptions.NotFound, call, self.ctx,
                                      identity, 'nope')
            self.assertEqual('Snapshot with id nope not found', error.message)

    def test_snapshot_of_another_stack_is_404(self):
        one = self.create('one')
        other = self.create('other')
        snap = self.service.stack_snapshot(self.ctx, one, None)
        self.settle()
        error = self.assertRaises(exceptions.SnapshotNotFound,
                                  self.service.show_snapshot, self.ctx, other,
                                  snap['id'])
        self.assertEqual('The Snapshot (%s) for Stack (other) could not be '
                         'found.' % snap['id'], error.message)
        self.assertEqual(404, error.http_status)

    def test_restore_of_a_deleted_snapshot_is_404(self):
        identity = self.create()
        snap = self.service.stack_snapshot(self.ctx, identity, None)
        self.settle()
        self.service.delete_snapshot(self.ctx, identity, snap['id'])
        self.assertRaises(exceptions.NotFound, self.service.stack_restore,
                          self.ctx, identity, snap['id'])
        self.assertEqual('SNAPSHOT_COMPLETE', self.status(identity))

    def test_in_progress_snapshot_can_be_neither_restored_nor_deleted(self):
        identity = self.create()
        snap = self.service.stack_snapshot(self.ctx, identity, None)
        error = self.assertRaises(exceptions.NotSupported,
                                  self.service.stack_restore, self.ctx,
                                  identity, snap['id'])
        self.assertEqual('Restoring incomplete snapshot is not supported.',
                         error.message)
        error = self.assertRaises(exceptions.NotSupported,
                                  self.service.delete_snapshot, self.ctx,
                                  identity, snap['id'])
        self.assertEqual('Deleting in-progress snapshot is not supported.',
                         error.message)
        self.settle()
        self.assertEqual('SNAPSHOT_COMPLETE', self.status(identity))

    def test_snapshot_of_a_failed_stack_completes_as_in_heat(self):
        failing = dict(HOT, resources={'f': {
            'type': 'OS::Heat::TestResource', 'properties': {'fail': True}}})
        identity = self.create(template=failing)
        self.assertEqual('CREATE_FAILED', self.status(identity))
        snap = self.service.stack_snapshot(self.ctx, identity, None)
        self.settle()
        shown = self.service.show_snapshot(self.ctx, identity, snap['id'])
        self.assertEqual('COMPLETE', shown['status'])
        self.assertEqual('SNAPSHOT_COMPLETE', self.status(identity))

    def test_the_snapshot_limit_applies_to_non_admin_requests(self):
        identity = self.create()
        self.service.conf.max_snapshots_per_stack = 1
        self.service.stack_snapshot(self.ctx, identity, None)
        self.settle()
        self.ctx.is_admin = False
        error = self.assertRaises(exceptions.RequestLimitExceeded,
                                  self.service.stack_snapshot, self.ctx,
                                  identity, None)
        self.assertIn('You have reached the maximum snapshots per stack, 1.',
                      error.message)


class SnapshotDeletionPolicyTest(EngineCase):

    def setUp(self):
        super().setUp()
        SnapshotOnDelete.calls = []
        resources.register(SNAPSHOT_DELETION, SnapshotOnDelete)
        self.addCleanup(resources.unregister, SNAPSHOT_DELETION)

    def test_a_type_with_snapshot_deletion_takes_its_snapshot(self):
        """Given a type with handle_snapshot_delete and the Snapshot policy,
        when the stack is deleted, then the type's snapshot deletion runs
        instead of its delete."""
        identity = self.create(template=dict(HOT, resources={'v': {
            'type': SNAPSHOT_DELETION, 'deletion_policy': 'Snapshot'}}))
        self.assertEqual('CREATE_COMPLETE', self.status(identity))
        self.service.delete_stack(self.ctx, identity)
        self.settle()
        self.assertEqual([('snapshot_delete', 'v', ('CREATE', 'COMPLETE'))],
                         SnapshotOnDelete.calls)

    def test_a_type_without_is_refused_with_heats_message(self):
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'foo', dict(HOT, resources={'n': {
                'type': 'OS::Heat::None', 'deletion_policy': 'Snapshot'}}),
            {'parameters': {}}, {}, {})
        self.assertEqual('resources.n.deletion_policy: "Snapshot" deletion '
                         'policy not supported', error.message)


class AbandonAdoptTest(EngineCase):

    def test_abandon_and_export_are_off_by_default(self):
        identity = self.create()
        for call in (self.service.abandon_stack, self.service.export_stack):
            error = self.assertRaises(exceptions.NotSupported, call,
                                      self.ctx, identity)
            self.assertEqual('Stack Abandon is not supported.', error.message)
        self.assertEqual('CREATE_COMPLETE', self.status(identity))

    def test_adopt_is_off_by_default(self):
        error = self.assertRaises(
            exceptions.NotSupported, self.service.create_stack, self.ctx,
            'new', PAIR, {'parameters': {}}, {},
            {'adopt_stack_data': '{"resources": {}}'})
        self.assertEqual('Stack Adopt is not supported.', error.message)

    def test_abandon_keeps_the_resources_and_adopt_takes_them_back(self):
        """Given an abandoned stack, its resources are not deleted, and an
        adopt of its data makes a stack ADOPT_COMPLETE with the same
        physical ids and data."""
        self.service.conf.enable_stack_abandon = True
        self.service.conf.enable_stack_adopt = True
        identity = self.create()
        value = self.output(identity)
        exported = self.service.export_stack(self.ctx, identity)
        abandoned = self.service.abandon_stack(self.ctx, identity)
        self.assertEqual(exported, abandoned)
        self.assertEqual(['action', 'environment', 'files', 'id', 'name',
                          'project_id', 'resources', 'stack_user_project_id',
                          'status', 'tags', 'template'], sorted(abandoned))
        self.assertEqual('DELETE_COMPLETE', self.status(identity))
        self.assertRaises(exceptions.EntityNotFound,
                          self.service.abandon_stack, self.ctx, identity)
        adopted = self.create('adopted', adopt_stack_data=json.dumps(
            abandoned))
        self.assertEqual('ADOPT_COMPLETE', self.status(adopted))
        self.assertEqual(value, self.output(adopted))
        listed = {r['resource_name']: r for r in
                  self.service.list_stack_resources(self.ctx, adopted)}
        for name, entry in abandoned['resources'].items():
            self.assertEqual(entry['resource_id'],
                             listed[name]['physical_resource_id'])
            self.assertEqual('ADOPT', listed[name]['resource_action'])

    def test_adopt_data_naming_an_unknown_resource_is_refused(self):
        self.service.conf.enable_stack_adopt = True
        data = {'resources': {'ghost': {'resource_id': 'x',
                                        'type': 'OS::Heat::None'}}}
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'new', PAIR, {'parameters': {}}, {},
            {'adopt_stack_data': json.dumps(data)})
        self.assertIn('ghost', error.message)
        self.assertEqual([], self.service.list_stacks(self.ctx))

    def test_adopt_data_of_another_type_is_refused(self):
        self.service.conf.enable_stack_adopt = True
        data = {'resources': {'rand': {'resource_id': 'x',
                                       'type': 'OS::Heat::None'}}}
        error = self.assertRaises(
            exceptions.StackValidationFailed, self.service.create_stack,
            self.ctx, 'new', PAIR, {'parameters': {}}, {},
            {'adopt_stack_data': json.dumps(data)})
        self.assertEqual('Adopt data gives resource rand the type '
                         'OS::Heat::None, the template '
                         'OS::Heat::RandomString', error.message)

    def test_adopt_data_that_is_not_json_is_a_400(self):
        self.service.conf.enable_stack_adopt = True
        self.assertRaises(exceptions.BadRequest, self.service.create_stack,
                          self.ctx, 'new', PAIR, {'parameters': {}}, {},
                          {'adopt_stack_data': '{not json'})

    def test_a_resource_missing_from_the_adopt_data_fails_as_in_heat(self):
        self.service.conf.enable_stack_adopt = True
        identity = self.create('new', adopt_stack_data='{"resources": {}}')
        shown = self.service.show_stack(self.ctx, identity)[0]
        self.assertEqual(('ADOPT', 'FAILED'), (shown['stack_action'],
                                               shown['stack_status']))
        self.assertIn('Resource ID was not provided.',
                      shown['stack_status_reason'])


CHILD = {'heat_template_version': '2015-10-15',
         'parameters': {'length': {'type': 'number'}},
         'resources': {'rand': {'type': 'OS::Heat::RandomString',
                                'properties': {'length': {
                                    'get_param': 'length'}}}},
         'outputs': {'v': {'value': {'get_attr': ['rand', 'value']}}}}


def _parent(length: int) -> dict:
    return dict(HOT, resources={'n': {'type': 'child.yaml',
                                      'properties': {'length': length}}},
                outputs={'v': {'value': {'get_attr': ['n', 'v']}}})


class NestedAdoptTest(EngineCase):

    def test_a_nested_stack_is_adopted_with_its_resources(self):
        """Given an abandoned tree, when its data is adopted, then the
        child stack is ADOPT_COMPLETE and its random string keeps its
        value."""
        self.service.conf.enable_stack_abandon = True
        self.service.conf.enable_stack_adopt = True
        files = {'child.yaml': json.dumps(CHILD)}
        identity = self.service.create_stack(
            self.ctx, 'tree', _parent(8), {'parameters': {}}, files, {})
        self.settle()
        value = self.output(identity)
        abandoned = self.service.abandon_stack(self.ctx, identity)
        self.assertEqual({'rand'}, set(abandoned['resources']['n'][
            'resources']))
        adopted = self.service.create_stack(
            self.ctx, 'again', _parent(8), {'parameters': {}}, files,
            {'adopt_stack_data': json.dumps(abandoned)})
        self.settle()
        self.assertEqual('ADOPT_COMPLETE', self.status(adopted))
        self.assertEqual(value, self.output(adopted))
        row = self.service.list_stack_resources(self.ctx, adopted)[0]
        child = self.s.db.stack_get(row['physical_resource_id'])
        self.assertEqual(('ADOPT', 'COMPLETE'), (child['action'],
                                                 child['status']))

    def test_a_child_entry_naming_an_unknown_resource_fails_the_adopt(self):
        self.service.conf.enable_stack_adopt = True
        data = {'resources': {'n': {'type': 'child.yaml', 'resources': {
            'ghost': {'resource_id': 'x'}}}}}
        adopted = self.service.create_stack(
            self.ctx, 'again', _parent(8), {'parameters': {}},
            {'child.yaml': json.dumps(CHILD)},
            {'adopt_stack_data': json.dumps(data)})
        self.settle()
        shown = self.service.show_stack(self.ctx, adopted)[0]
        self.assertEqual('ADOPT_FAILED', '%s_%s' % (shown['stack_action'],
                                                    shown['stack_status']))
        self.assertIn('resources.n: Adopt data names resources that are not '
                      'in the template: ghost', shown['stack_status_reason'])


class NestedSnapshotTest(EngineCase):

    def create_tree(self):
        identity = self.service.create_stack(
            self.ctx, 'tree', _parent(8), {'parameters': {}},
            {'child.yaml': json.dumps(CHILD)}, {})
        self.settle()
        return identity

    def test_a_nested_stack_is_snapshotted_by_its_own_traversal(self):
        """Given a tree, when the root is snapshotted, then the child stack
        has its own SNAPSHOT_COMPLETE snapshot holding its resources, and
        the root's entry for the nested resource names it."""
        identity = self.create_tree()
        snap = self.service.stack_snapshot(self.ctx, identity, 'tree')
        self.settle()
        shown = self.service.show_snapshot(self.ctx, identity, snap['id'])
        self.assertEqual('COMPLETE', shown['status'])
        entry = shown['data']['resources']['n']
        child = self.s.db.stack_get(entry['resource_id'])
        self.assertEqual('SNAPSHOT_COMPLETE', '%s_%s' % (child['action'],
                                                         child['status']))
        child_snapshot = self.s.db.snapshot_get(entry['snapshot_id'])
        self.assertEqual(child['id'], child_snapshot['stack_id'])
        self.assertEqual({'rand'}, set(child_snapshot['data']['resources']))

    def test_restore_brings_the_nested_resources_back(self):
        """Given a snapshot of a tree and an update that replaces the
        child's random string, when the root is restored, then the child's
        random string has its old value again."""
        identity = self.create_tree()
        before = self.output(identity)
        snap = self.service.stack_snapshot(self.ctx, identity, 'tree')
        self.settle()
        self.service.update_stack(self.ctx, identity, _parent(12),
                                  {'parameters': {}},
                                  {'child.yaml': json.dumps(CHILD)}, {})
        self.settle()
        self.assertEqual(12, len(self.output(identity)))
        self.service.stack_restore(self.ctx, identity, snap['id'])
        self.settle()
        self.assertEqual('RESTORE_COMPLETE', self.status(identity))
        self.assertEqual(before, self.output(identity))

    def test_deleting_the_root_snapshot_deletes_the_childs(self):
        identity = self.create_tree()
        snap = self.service.stack_snapshot(self.ctx, identity, 'tree')
        self.settle()
        entry = self.service.show_snapshot(
            self.ctx, identity, snap['id'])['data']['resources']['n']
        self.service.delete_snapshot(self.ctx, identity, snap['id'])
        self.assertIsNone(self.s.db.snapshot_get(entry['snapshot_id']))
