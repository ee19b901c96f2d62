"""A tree of Heat's rows planned as ours, and what refuses a tree.

The Heat rows are made as heat-engine makes them (heat_db.py) and read
back through heat_source, as the command reads them.
"""

import json

import testtools

from convergence.importing import heat_crypt
from convergence.importing import heat_source
from convergence.importing import plan
from convergence.importing import trees
from convergence.tests.unit.importing import heat_db

PROVIDER = {'heat_template_version': heat_db.HOT,
            'parameters': {'word': {'type': 'string'}},
            'resources': {'inner': {'type': 'OS::Heat::TestResource',
                                    'properties': {
                                        'value': {'get_param': 'word'}}}},
            'outputs': {'echoed': {'value': {'get_attr': ['inner',
                                                          'output']}}}}
PARENT = {'heat_template_version': heat_db.HOT,
          'resources': {'child': {'type': 'provider.yaml',
                                  'properties': {'word': 'hi'}}},
          'outputs': {'out': {'value': {'get_attr': ['child', 'echoed']}}}}
GROUP = {'heat_template_version': heat_db.HOT,
         'resources': {'group': {'type': 'OS::Heat::ResourceGroup',
                                 'properties': {'count': 2, 'resource_def': {
                                     'type': 'OS::Heat::None'}}}},
         'outputs': {'refs': {'value': {'get_attr': ['group', 'refs']}}}}
# The child template as Heat 27 writes it for the group.
MEMBERS = {'heat_template_version': '2015-04-30',
           'resources': {'0': {'type': 'OS::Heat::None'},
                         '1': {'type': 'OS::Heat::None'}},
           'outputs': {
               'refs': {'value': [{'get_resource': '0'},
                                  {'get_resource': '1'}]},
               'refs_map': {'value': {'0': {'get_resource': '0'},
                                      '1': {'get_resource': '1'}}}}}


class PlanTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.heat = heat_db.HeatDatabase()
        self.addCleanup(self.heat.dispose)

    def plan(self, key: str = heat_crypt.HEAT_DEFAULT_KEY) -> list:
        dump = heat_source.read(self.heat.url)
        found, _ = trees.group(dump.stacks)
        return [plan.plan_tree(t, dump, key, heat_db.T0) for t in found]

    def refusal(self, key: str = heat_crypt.HEAT_DEFAULT_KEY) -> str:
        return str(self.assertRaises(plan.Refused, self.plan, key))


class TestFlat(PlanTestCase):

    def setUp(self):
        super().setUp()
        self.stack_id, self.ids = heat_db.add_flat(self.heat, value='s3cret')
        self.heat.add_tag(self.stack_id, 'blue')
        [self.tree] = self.plan()
        self.rows = {r['name']: r for r in self.tree.resources}

    def test_the_stack_comes_with_its_id_name_tags_and_graph(self):
        [stack] = self.tree.stacks
        self.assertEqual((self.stack_id, 'flat', 'admin', ['blue']),
                         (stack['id'], stack['name'], stack['tenant'],
                          stack['tags']))
        edges = {(tuple(a), tuple(b) if b else None)
                 for a, b in stack['current_deps']['edges']}
        rand, test = self.ids['rand'], self.ids['test']
        self.assertIn(((test, True), (rand, True)), edges)
        self.assertIn(((rand, False), (test, False)), edges)

    def test_rows_keep_heats_ids_names_physical_ids_and_requires(self):
        self.assertEqual(
            {'rand': (self.ids['rand'], 'flat-rand-x', []),
             'test': (self.ids['test'], 'flat-test-x', [self.ids['rand']]),
             'none': (self.ids['none'], self.rows['none'][
                 'physical_resource_id'], [self.ids['test']])},
            {n: (r['id'], r['physical_resource_id'], r['requires'])
             for n, r in self.rows.items()})

    def test_types_come_from_the_template_properties_get_our_defaults(self):
        rand = self.rows['rand']
        self.assertEqual('OS::Heat::RandomString', rand['type'])
        self.assertEqual(12, rand['properties_data']['length'])
        self.assertIn('character_classes', rand['properties_data'])

    def test_the_random_string_is_decrypted_and_cached_as_ours(self):
        rand = self.rows['rand']
        self.assertEqual({'value': 's3cret'}, rand['rsrc_data'])
        self.assertEqual({'ref': 's3cret', 'attrs': {'value': 's3cret'}},
                         rand['attr_data'])
        self.assertEqual({'ref': 'flat-test-x',
                          'attrs': {'output': 'hi-s3cret'}},
                         self.rows['test']['attr_data'])

    def test_events_come_in_order(self):
        self.assertEqual([('flat', 'IN_PROGRESS'), ('rand', 'COMPLETE')],
                         [(e['resource_name'], e['resource_status'])
                          for e in self.tree.events])


def add_nested(heat: heat_db.HeatDatabase,
               status: str = 'COMPLETE') -> tuple[str, int, str]:
    """A stack with a provider template resource and its child, every row
    ``status``; (parent id, owner row id, child id)."""
    parent_t = heat.add_template(
        PARENT, files={'provider.yaml': json.dumps(PROVIDER)})
    parent = heat.add_stack('p', parent_t, status=status)
    child_id = 'c0000000-0000-0000-0000-000000000000'
    owner = heat.add_resource(parent, 'child', parent_t, child_id,
                              {'word': 'hi'}, attributes={'echoed': 'hi'},
                              status=status)
    child_t = heat.add_template(PROVIDER, {'word': 'hi'})
    heat.add_stack('p-child-x', child_t, id=child_id, owner_id=parent,
                   parent_resource_name='child', nested_depth=1,
                   status=status)
    heat.add_resource(child_id, 'inner', child_t, 'inner-x', {'value': 'hi'},
                      data={'value': 'hi'}, status=status)
    return parent, owner, child_id


class TestNested(PlanTestCase):

    def test_the_child_names_its_owner_row_and_reads_its_facade(self):
        parent, owner, child_id = add_nested(self.heat)
        [tree] = self.plan()
        stacks = {s['id']: s for s in tree.stacks}
        self.assertEqual((parent, owner, parent, 1), (
            stacks[child_id]['owner_id'], stacks[child_id][
                'owner_resource_id'], stacks[child_id]['root_stack_id'],
            stacks[child_id]['nested_depth']))
        facades = {t['stack_id']: t['facade'] for t in tree.templates}
        self.assertEqual({'metadata': {}, 'deletion_policy': 'Delete',
                          'update_policy': {}}, facades[child_id])
        self.assertIsNone(facades[parent])
        rows = {r['name']: r for r in tree.resources}
        self.assertEqual({'echoed': 'hi'}, rows['child']['attr_data']['attrs'])

    def test_a_group_keeps_its_members_and_their_refs(self):
        group_t = self.heat.add_template(GROUP)
        stack = self.heat.add_stack('g', group_t)
        child_id = 'c1000000-0000-0000-0000-000000000000'
        self.heat.add_resource(stack, 'group', group_t, child_id,
                               {'count': 2, 'resource_def': {
                                   'type': 'OS::Heat::None'}})
        members_t = self.heat.add_template(MEMBERS)
        self.heat.add_stack('g-group-x', members_t, id=child_id,
                            owner_id=stack, parent_resource_name='group',
                            nested_depth=1)
        for name in ('1', '0'):
            self.heat.add_resource(child_id, name, members_t, 'm' + name,
                                   data={'is_placeholder': 'True'})
        [tree] = self.plan()
        group = next(r for r in tree.resources if r['name'] == 'group')
        self.assertEqual(['0', '1'], group['rsrc_data']['members'])
        self.assertEqual({'0': 'm0', '1': 'm1'},
                         group['rsrc_data']['refs_map'])
        self.assertEqual({'refs': ['m0', 'm1']}, group['attr_data']['attrs'])


class TestRepair(PlanTestCase):

    def test_a_stack_left_in_progress_comes_over_failed(self):
        stack_id, ids = heat_db.add_flat(self.heat, status='IN_PROGRESS',
                                         status_reason='Stack CREATE started')
        self.heat.update(heat_db.RESOURCE, ids['none'], status='IN_PROGRESS',
                         engine_id='dead-engine')
        [tree] = self.plan()
        self.assertEqual([stack_id], tree.repaired)
        none = next(r for r in tree.resources if r['name'] == 'none')
        self.assertEqual(('FAILED', None, 'Engine went down during stack '
                          'CREATE'),
                         (none['status'], none['engine_id'],
                          none['status_reason']))
        self.assertEqual([('none', 'FAILED'), ('flat', 'FAILED')],
                         [(e['resource_name'], e['resource_status'])
                          for e in tree.events[-2:]])

    def test_a_tree_left_in_progress_comes_over_failed_at_every_level(self):
        parent, _, child_id = add_nested(self.heat, status='IN_PROGRESS')
        [tree] = self.plan()
        self.assertEqual([parent, child_id], tree.repaired)
        self.assertEqual({'FAILED'}, {r['status'] for r in tree.resources} |
                         {s['status'] for s in tree.stacks})

    def test_a_delete_cut_short_comes_with_the_rows_left(self):
        stack_id, ids = heat_db.add_flat(self.heat, action='DELETE',
                                         status='IN_PROGRESS')
        self.heat.update(heat_db.RESOURCE, ids['none'], action='DELETE')
        self.heat.update(heat_db.RESOURCE, ids['test'], action='DELETE',
                         status='IN_PROGRESS')
        [tree] = self.plan()
        self.assertEqual({'rand': 'CREATE_COMPLETE', 'test': 'DELETE_FAILED'},
                         {r['name']: '%s_%s' % (r['action'], r['status'])
                          for r in tree.resources})
        self.assertEqual('DELETE_FAILED', '%s_%s' % (
            tree.stacks[0]['action'], tree.stacks[0]['status']))


class TestReplacement(PlanTestCase):

    def test_an_update_cut_short_keeps_both_versions_and_the_rollback(self):
        """heat-engine died replacing ``test``: the old row (at the old
        template) and its replacement (at the new one, IN_PROGRESS)."""
        stack_id, ids = heat_db.add_flat(self.heat)
        new_t = self.heat.add_template(heat_db.FLAT_TEMPLATE,
                                       {'greeting': 'ho'})
        self.heat.update(heat_db.STACK, stack_id, action='UPDATE',
                         status='IN_PROGRESS', raw_template_id=new_t,
                         prev_raw_template_id=ids['template'])
        new = self.heat.add_resource(
            stack_id, 'test', new_t, None, {'value': 'ho-abc'},
            requires=[ids['rand']], replaces=ids['test'], action='INIT',
            status='COMPLETE')
        self.heat.update(heat_db.RESOURCE, ids['test'], replaced_by=new)
        self.heat.update(heat_db.RESOURCE, new, action='CREATE',
                         status='IN_PROGRESS')
        [tree] = self.plan()
        [stack] = tree.stacks
        self.assertEqual(('UPDATE', 'FAILED', new_t, ids['template']),
                         (stack['action'], stack['status'],
                          stack['raw_template_id'],
                          stack['prev_raw_template_id']))
        tests = {r['id']: r for r in tree.resources if r['name'] == 'test'}
        self.assertEqual((new, None), (tests[ids['test']]['replaced_by'],
                                       tests[ids['test']]['replaces']))
        self.assertEqual((ids['test'], 'FAILED', new_t),
                         (tests[new]['replaces'], tests[new]['status'],
                          tests[new]['current_template_id']))
        self.assertEqual({ids['template'], new_t},
                         {t['id'] for t in tree.templates})


class TestRefusals(PlanTestCase):

    def test_a_legacy_stack_names_heats_conversion(self):
        stack_id, _ = heat_db.add_flat(self.heat, convergence=False)
        self.assertIn('legacy (non-convergence) stack: convert it first with '
                      '"heat-manage migrate_convergence_1 %s"' % stack_id,
                      self.refusal())

    def test_a_tenant_wider_than_our_column(self):
        heat_db.add_flat(self.heat, tenant='t' * 65)
        self.assertIn('its tenant is longer than the 64 characters we store',
                      self.refusal())

    def test_a_type_without_plugin_lists_the_types_we_have(self):
        template = {'heat_template_version': heat_db.HOT, 'resources': {
            'pause': {'type': 'OS::Heat::SwiftSignal'}}}
        template_id = self.heat.add_template(template)
        stack = self.heat.add_stack('d', template_id)
        self.heat.add_resource(stack, 'pause', template_id, 'p', {})
        reason = self.refusal()
        self.assertIn('resource pause: type OS::Heat::SwiftSignal has no '
                      'plugin '
                      'here (the types this engine has: ', reason)
        self.assertIn('OS::Heat::RandomString', reason)

    def test_wait_conditions_are_not_brought_over(self):
        template = {'heat_template_version': heat_db.HOT, 'resources': {
            'handle': {'type': 'OS::Heat::WaitConditionHandle'}}}
        template_id = self.heat.add_template(template)
        stack = self.heat.add_stack('w', template_id)
        self.heat.add_resource(stack, 'handle', template_id, 'p', {})
        self.assertIn('a OS::Heat::WaitConditionHandle cannot be brought '
                      'over: its signals are kept in its data',
                      self.refusal())

    def test_a_type_whose_data_we_cannot_map_is_named(self):
        template = {'heat_template_version': heat_db.HOT, 'resources': {
            'asg': {'type': 'OS::Heat::AutoScalingGroup', 'properties': {
                'min_size': 0, 'max_size': 1,
                'resource': {'type': 'OS::Heat::None'}}}}}
        template_id = self.heat.add_template(template)
        stack = self.heat.add_stack('a', template_id)
        self.heat.add_resource(stack, 'asg', template_id, 'p', {})
        self.assertIn('a OS::Heat::AutoScalingGroup cannot be brought over',
                      self.refusal())

    def test_an_unsupported_template_version(self):
        template_id = self.heat.add_template(
            {'heat_template_version': '2099-01-01', 'resources': {}})
        self.heat.add_stack('v', template_id)
        self.assertIn('its template cannot be used here', self.refusal())

    def test_encrypted_parameters(self):
        template_id = self.heat.add_template(
            heat_db.FLAT_TEMPLATE, encrypted_param_names=['greeting'])
        self.heat.add_stack('e', template_id)
        self.assertIn('parameters greeting are encrypted', self.refusal())

    def test_a_wrong_encryption_key(self):
        heat_db.add_flat(self.heat)
        self.assertIn('resource rand: a value encrypted by Heat does not '
                      'decrypt', self.refusal(key='y' * 32))

    def test_metadata_a_signal_changed(self):
        _, ids = heat_db.add_flat(self.heat)
        self.heat.update(heat_db.RESOURCE, ids['none'],
                         rsrc_metadata=json.dumps({'signalled': 1}))
        self.assertIn('resource none: its metadata was changed',
                      self.refusal())

    def test_metadata_as_the_template_sets_it_comes_over(self):
        template = {'heat_template_version': heat_db.HOT, 'resources': {
            'a': {'type': 'OS::Heat::None', 'metadata': {'k': 'v'}},
            'b': {'type': 'OS::Heat::None', 'metadata': {
                'ref': {'get_resource': 'a'}}}}}
        template_id = self.heat.add_template(template)
        stack = self.heat.add_stack('md', template_id)
        a = self.heat.add_resource(stack, 'a', template_id, 'pa',
                                   rsrc_metadata=json.dumps({'k': 'v'}))
        self.heat.add_resource(stack, 'b', template_id, 'pb', requires=[a],
                               rsrc_metadata=json.dumps({'ref': 'pa'}))
        [tree] = self.plan()
        self.assertEqual({'a', 'b'}, {r['name'] for r in tree.resources})

    def test_a_template_resource_without_a_row(self):
        template_id = self.heat.add_template(heat_db.FLAT_TEMPLATE)
        self.heat.add_stack('m', template_id)
        self.assertIn('resources none, rand, test of its template have no '
                      'row', self.refusal())
