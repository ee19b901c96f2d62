"""preview_stack and preview_update_stack on the engine: what a create or
an update would do, checked as it would be, and nothing stored.

Given an engine on an in-memory database (the scenario framework's), with
the built-in types: provider templates, groups, test resources.
"""

import sqlalchemy as sa
import testtools

from convergence import exceptions
from convergence import resources
from convergence.resources import base
from convergence.resources import properties as props
from convergence.tests.scenarios import framework

PROVIDER = '''
heat_template_version: 2016-10-14
parameters:
  val: {type: string}
resources:
  inner:
    type: OS::Heat::TestResource
    properties: {value: {get_param: val}}
outputs:
  o: {value: {get_attr: [inner, output]}}
'''
TREE = {
    'heat_template_version': '2016-10-14',
    'description': 'a tree',
    'parameters': {'count': {'type': 'number', 'default': 2}},
    'resources': {
        'rs': {'type': 'OS::Heat::RandomString',
               'properties': {'length': 8}},
        'prov': {'type': 'prov.yaml',
                 'properties': {'val': {'get_resource': 'rs'}}},
        'group': {'type': 'OS::Heat::ResourceGroup',
                  'properties': {
                      'count': {'get_param': 'count'},
                      'resource_def': {
                          'type': 'OS::Heat::TestResource',
                          'properties': {
                              'value': {'get_attr': ['rs', 'value']}}}}},
    },
    'outputs': {'ref': {'value': {'get_resource': 'rs'}},
                'attr': {'value': {'get_attr': ['prov', 'o']}}},
}
FILES = {'prov.yaml': PROVIDER}


def _template(resources: dict) -> dict:
    return {'heat_template_version': '2016-10-14', 'resources': resources}


def _test_resource(**properties) -> dict:
    return {'type': 'OS::Heat::TestResource', 'properties': properties}


REFERENCES = _template({
    'rs': {'type': 'OS::Heat::RandomString'},
    'by_attr': _test_resource(value={'get_attr': ['rs', 'value']}),
    'by_ref': _test_resource(value={'get_resource': 'rs'}),
    'replacing': _test_resource(value={'get_resource': 'rs'},
                                update_replace=True),
})


class Frozen(base.Resource):
    """A type with a property no update may change."""

    properties_schema = {
        'size': props.Schema(props.INTEGER, 'fixed', immutable=True),
        'label': props.Schema(props.STRING, 'free', update_allowed=True)}


def _names(changes: dict) -> dict:
    return {change: sorted(item['resource_name'] for item in items)
            for change, items in changes.items()}


class EngineCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.service = self.scenario.engine_service
        self.ctxt = self.scenario.context

    def row_counts(self) -> dict:
        with self.scenario.db.engine.connect() as connection:
            return {table: connection.execute(sa.text(
                'SELECT COUNT(*) FROM %s' % table)).scalar()
                for table in sa.inspect(connection).get_table_names()}

    def create(self, name: str, template: dict, files=None,
               expected: str = 'COMPLETE', params=None) -> dict:
        identity = self.service.create_stack(
            self.ctxt, name, template, {'parameters': params or {}},
            files or {}, {})
        self.scenario.run()
        shown = self.service.show_stack(self.ctxt, identity)[0]
        self.assertEqual(expected, shown['stack_status'],
                         shown['stack_status_reason'])
        return identity

    def preview_update(self, identity, template, files=None, params=None,
                       **args) -> dict:
        return self.service.preview_update_stack(
            self.ctxt, identity, template, {'parameters': params or {}},
            files or {}, args)


class PreviewStackTest(EngineCase):
    """Given no stack, when a create is previewed."""

    def preview(self, name='pv', template=TREE, files=FILES, args=None):
        return self.service.preview_stack(self.ctxt, name, template,
                                          {'parameters': {}}, files,
                                          args or {})

    def test_nothing_is_stored(self):
        before = self.row_counts()
        self.preview()
        self.assertEqual(before, self.row_counts())

    def test_the_stack_has_no_id_and_no_state(self):
        stack = self.preview(args={'timeout_mins': 7, 'tags': ['t']})
        self.assertEqual({'tenant': 'test', 'stack_name': 'pv',
                          'stack_id': 'None', 'path': ''},
                         stack['stack_identity'])
        for key in ('stack_action', 'stack_status', 'stack_status_reason'):
            self.assertNotIn(key, stack)
        self.assertIsNone(stack['stack_user_project_id'])
        self.assertEqual((7, ['t']), (stack['timeout_mins'], stack['tags']))
        self.assertEqual('a tree', stack['description'])
        self.assertEqual('None', stack['parameters']['OS::stack_id'])
        self.assertIsNotNone(stack['creation_time'])

    def test_outputs_resolve_as_if_nothing_existed(self):
        outputs = {o['output_key']: o['output_value']
                   for o in self.preview()['outputs']}
        self.assertEqual({'ref': 'rs', 'attr': None}, outputs)

    def test_a_resource_shows_its_properties_not_created(self):
        [rs] = [r for r in self.preview()['resources']
                if isinstance(r, dict)]
        self.assertEqual(('rs', 'INIT', 'COMPLETE', '', None),
                         (rs['resource_name'], rs['resource_action'],
                          rs['resource_status'], rs['physical_resource_id'],
                          rs['creation_time']))
        self.assertEqual(8, rs['properties']['length'])
        self.assertEqual({'value': None}, rs['attributes'])
        self.assertEqual(['group', 'prov'], sorted(rs['required_by']))
        self.assertNotIn('parent_resource', rs)

    def test_a_nested_stack_resource_is_the_list_of_its_childs(self):
        nested = [r for r in self.preview()['resources']
                  if isinstance(r, list)]
        [inner], members = sorted(nested, key=len)
        self.assertEqual(('inner', 'prov', 'pv-prov', 'None'),
                         (inner['resource_name'], inner['parent_resource'],
                          inner['stack_name'],
                          inner['stack_identity']['stack_id']))
        # get_resource of a resource not created is its name (as Heat).
        self.assertEqual('rs', inner['properties']['value'])
        self.assertEqual(['0', '1'],
                         [m['resource_name'] for m in members])
        self.assertEqual({'group'}, {m['parent_resource'] for m in members})
        # get_attr reads None: the member's property takes its default.
        self.assertEqual('test_string', members[0]['properties']['value'])

    def test_nesting_deeper_gives_lists_in_lists(self):
        files = dict(FILES, **{'outer.yaml': '''
heat_template_version: 2016-10-14
resources:
  mid: {type: prov.yaml, properties: {val: x}}
'''})
        stack = self.preview(template=_template({'top': {'type':
                                                         'outer.yaml'}}),
                             files=files)
        [[[inner]]] = stack['resources']
        self.assertEqual(('mid', 'pv-top-mid'),
                         (inner['parent_resource'], inner['stack_name']))

    def test_a_taken_name_is_refused_as_create_refuses_it(self):
        self.create('pv', _template({'a': {'type': 'OS::Heat::None'}}))
        self.assertRaises(exceptions.StackExists, self.preview)

    def test_a_bad_request_is_refused_and_stores_nothing(self):
        before = self.row_counts()
        self.assertRaises(exceptions.StackValidationFailed, self.preview,
                          template=_template({'x': {'type': 'OS::Nope'}}))
        self.assertRaises(exceptions.StackValidationFailed, self.preview,
                          name='bad/name')
        self.assertRaises(exceptions.Invalid, self.preview,
                          args={'timeout_mins': -1})
        self.assertEqual(before, self.row_counts())

    def test_a_value_invalid_once_resolved_is_refused_as_heat_does(self):
        template = _template({
            'v': {'type': 'OS::Heat::Value', 'properties': {'value': 3}},
            't': _test_resource(wait_secs={'get_resource': 'v'})})
        error = self.assertRaises(exceptions.StackValidationFailed,
                                  self.preview, template=template)
        self.assertEqual("Property error: resources.t.properties.wait_secs: "
                         "could not convert string to float: 'v'",
                         error.message)

    def test_a_missing_parameter_in_a_property_is_a_property_error(self):
        """Given a property reading a parameter the template lacks, the
        preview (as a create) is refused with Heat's property error,
        naming the property."""
        template = _template({
            'one': _test_resource(value='fred'),
            'two': _test_resource(value={'get_param': 'missing'})})
        error = self.assertRaises(exceptions.StackValidationFailed,
                                  self.preview, template=template)
        self.assertEqual('Property error: : resources.two.properties.value: '
                         ': The Parameter (missing) was not provided.',
                         error.message)

    def test_a_groups_bad_member_names_its_place(self):
        template = _template({'g': {
            'type': 'OS::Heat::ResourceGroup',
            'properties': {'count': 1, 'resource_def': {
                'type': 'OS::Heat::TestResource',
                'properties': {'wait_secs': 'soon'}}}}})
        error = self.assertRaises(exceptions.StackValidationFailed,
                                  self.preview, template=template)
        # Heat's wording for a child's value of the wrong type: the
        # resource, not the property (decision 33).
        self.assertEqual(
            "ValueError: : resources.g<nested_stack>.resources.0: : could "
            "not convert string to float: 'soon'", error.message)


class PreviewUpdateTest(EngineCase):
    """Given a stack created with references between its resources."""

    def setUp(self):
        super().setUp()
        self.identity = self.create('refs', REFERENCES)

    def test_the_same_template_changes_nothing(self):
        # Heat 27 shows by_attr and by_ref updated and replacing replaced:
        # it compares references as if nothing existed.
        changes = self.preview_update(self.identity, REFERENCES)
        self.assertEqual({'added': [], 'deleted': [], 'replaced': [],
                          'updated': [],
                          'unchanged': ['by_attr', 'by_ref', 'replacing',
                                        'rs']}, _names(changes))

    def test_a_replacement_changes_what_its_dependants_read(self):
        template = _template(dict(REFERENCES['resources'], rs={
            'type': 'OS::Heat::RandomString', 'properties': {'length': 12}}))
        self.assertEqual({'added': [], 'deleted': [],
                          'replaced': ['replacing', 'rs'],
                          'updated': ['by_attr', 'by_ref'],
                          'unchanged': []},
                         _names(self.preview_update(self.identity, template)))

    def test_added_and_deleted_names(self):
        kept = dict(REFERENCES['resources'])
        kept['fresh'] = kept.pop('replacing')
        self.assertEqual({'added': ['fresh'], 'deleted': ['replacing'],
                          'replaced': [], 'updated': [],
                          'unchanged': ['by_attr', 'by_ref', 'rs']},
                         _names(self.preview_update(self.identity,
                                                    _template(kept))))

    def test_an_attribute_not_read_before_is_read_as_it_is_now(self):
        identity = self.create('values', _template({
            'v': {'type': 'OS::Heat::Value', 'properties': {'value': 'x'}},
            't': _test_resource(value='x')}))
        goal = _template({
            'v': {'type': 'OS::Heat::Value', 'properties': {'value': 'x'}},
            't': _test_resource(value={'get_attr': ['v', 'value']})})
        self.assertEqual(['t', 'v'],
                         _names(self.preview_update(identity,
                                                    goal))['unchanged'])

    def test_properties_invalid_as_resolved_count_as_updated(self):
        # by_ref's wait_secs reads rs's new reference, unknown until the
        # update has replaced rs; the name it reads meanwhile is no number.
        template = _template(dict(
            REFERENCES['resources'],
            rs={'type': 'OS::Heat::RandomString',
                'properties': {'length': 12}},
            by_ref=_test_resource(value={'get_resource': 'rs'},
                                  wait_secs={'get_resource': 'rs'})))
        changes = _names(self.preview_update(self.identity, template))
        self.assertIn('by_ref', changes['updated'])

    def test_a_type_change_replaces(self):
        template = _template(dict(REFERENCES['resources'],
                                  by_ref={'type': 'OS::Heat::None'}))
        changes = _names(self.preview_update(self.identity, template))
        self.assertEqual(['by_ref'], changes['replaced'])

    def test_items_show_the_goals_resource_or_the_current_one(self):
        template = _template(dict(REFERENCES['resources'], by_ref=(
            _test_resource(value='new'))))
        changes = self.preview_update(self.identity, template)
        [updated] = changes['updated']
        self.assertEqual(('by_ref', 'CREATE', 'COMPLETE'),
                         (updated['resource_name'],
                          updated['resource_action'],
                          updated['resource_status']))
        self.assertTrue(updated['physical_resource_id'])
        unchanged = {r['resource_name']: r for r in changes['unchanged']}
        self.assertEqual(('INIT', ''),
                         (unchanged['rs']['resource_action'],
                          unchanged['rs']['physical_resource_id']))
        self.assertEqual(self.identity['stack_id'],
                         unchanged['rs']['stack_identity']['stack_id'])

    def test_nothing_is_stored_and_the_stack_stays_as_it_was(self):
        before = (self.row_counts(),
                  self.service.show_stack(self.ctxt, self.identity))
        template = _template({'other': {'type': 'OS::Heat::None'}})
        self.preview_update(self.identity, template)
        self.assertEqual(before,
                         (self.row_counts(),
                          self.service.show_stack(self.ctxt, self.identity)))

    def test_a_patch_previews_the_stored_template_with_new_parameters(self):
        template = _template({'t': _test_resource(
            value={'get_param': 'v'})})
        template['parameters'] = {'v': {'type': 'string'}}
        identity = self.create('params', template, params={'v': 'one'})
        self.assertEqual(['t'], _names(self.preview_update(
            identity, None, params={'v': 'two'}, existing=True))['updated'])
        self.assertEqual(['t'], _names(self.preview_update(
            identity, None, existing=True))['unchanged'])

    def test_what_an_update_refuses_a_preview_refuses(self):
        template = _template({'a': {'type': 'OS::Heat::None'}})
        template['parameters'] = {'p': {'type': 'string',
                                        'immutable': True}}
        identity = self.create('immutable', template, params={'p': 'a'})
        self.assertRaises(exceptions.ImmutableParameterModified,
                          self.preview_update, identity, template,
                          params={'p': 'b'})
        self.assertRaises(exceptions.StackValidationFailed,
                          self.preview_update, identity,
                          _template({'a': {'type': 'OS::Nope'}}))
        self.assertRaises(exceptions.Invalid, self.preview_update,
                          identity, template, params={'p': 'a'},
                          show_nested='sometimes')
        self.service.delete_stack(self.ctxt, identity)
        self.assertRaises(exceptions.NotSupported, self.preview_update,
                          identity, template, params={'p': 'a'})


class PreviewUpdateStatesTest(EngineCase):
    """Given stacks whose rows are not all converged, or whose types
    refuse some changes."""

    def test_a_failed_row_is_replaced_and_one_never_created_is_added(self):
        failing = _template({'a': _test_resource(fail=True),
                             'b': dict(_test_resource(), depends_on='a')})
        identity = self.create('failed', failing, expected='FAILED')
        fixed = _template({'a': _test_resource(),
                           'b': dict(_test_resource(), depends_on='a')})
        changes = _names(self.preview_update(identity, fixed))
        self.assertEqual((['a'], ['b']),
                         (changes['replaced'], changes['added']))

    def test_a_change_to_an_immutable_property_is_not_supported(self):
        resources.register('Test::Frozen', Frozen)
        self.addCleanup(resources.unregister, 'Test::Frozen')
        before = _template({'f': {'type': 'Test::Frozen',
                                  'properties': {'size': 1}}})
        identity = self.create('frozen', before)
        error = self.assertRaises(
            exceptions.NotSupported, self.preview_update, identity,
            _template({'f': {'type': 'Test::Frozen',
                             'properties': {'size': 2}}}))
        self.assertEqual('Update to properties size of f (Test::Frozen) is '
                         'not supported.', error.message)
        changes = _names(self.preview_update(identity, _template({'f': {
            'type': 'Test::Frozen',
            'properties': {'size': 1, 'label': 'l'}}})))
        self.assertEqual(['f'], changes['updated'])


class PreviewNestedUpdateTest(EngineCase):
    """Given a stack with a provider template and a group of two."""

    def setUp(self):
        super().setUp()
        self.identity = self.create('tree', TREE, FILES)

    def test_without_show_nested_only_the_stacks_own_resources(self):
        changes = _names(self.preview_update(self.identity, TREE, FILES,
                                             params={'count': 3}))
        self.assertEqual({'added': [], 'deleted': [], 'replaced': [],
                          'updated': ['group', 'prov'],
                          'unchanged': ['rs']}, changes)

    def test_a_grown_group_adds_a_member_to_its_child(self):
        changes = self.preview_update(self.identity, TREE, FILES,
                                      params={'count': 3},
                                      show_nested=True)
        self.assertEqual({'added': ['2'], 'deleted': [], 'replaced': [],
                          'updated': ['group', 'prov'],
                          'unchanged': ['0', '1', 'inner', 'rs']},
                         _names(changes))
        [added] = changes['added']
        group = self.service.describe_stack_resource(self.ctxt,
                                                     self.identity, 'group')
        self.assertEqual(('group', group['nested_stack_id']),
                         (added['parent_resource'],
                          added['stack_identity']))

    def test_a_replaced_group_deletes_its_child_and_adds_a_new_one(self):
        template = {**TREE, 'resources': dict(TREE['resources'])}
        group = dict(template['resources']['group'])
        group['properties'] = dict(group['properties'], index_var='%i%')
        template['resources']['group'] = group
        changes = self.preview_update(self.identity, template, FILES,
                                      show_nested=True)
        self.assertEqual({'added': ['0', '1'], 'deleted': ['0', '1'],
                          'replaced': ['group'], 'updated': ['prov'],
                          'unchanged': ['inner', 'rs']}, _names(changes))
        self.assertEqual({'None'}, {r['stack_identity']['stack_id']
                                    for r in changes['added']})
        self.assertEqual({'CREATE'}, {r['resource_action']
                                      for r in changes['deleted']})

    def test_removed_nested_stacks_delete_every_level(self):
        template = _template({'rs': TREE['resources']['rs']})
        changes = self.preview_update(self.identity, template,
                                      show_nested=True)
        self.assertEqual(['0', '1', 'group', 'inner', 'prov'],
                         _names(changes)['deleted'])
        parents = {r['resource_name']: r.get('parent_resource')
                   for r in changes['deleted']}
        self.assertEqual({'0': 'group', '1': 'group', 'inner': 'prov',
                          'group': None, 'prov': None}, parents)
