"""The engine's result shapes, checked against captures of real Heat 27."""

import datetime

import testtools

from convergence.engine import format as fmt

T0 = datetime.datetime(2026, 11, 21, 11, 47, 6, 123456)
T1 = datetime.datetime(2026, 11, 21, 11, 48, 0)
STACK = {'id': 'f7f2', 'name': 'oscref', 'tenant': 'admin',
         'username': 'admin', 'action': 'CREATE', 'status': 'COMPLETE',
         'status_reason': 'Stack CREATE completed successfully',
         'timeout': None, 'disable_rollback': True, 'tags': None,
         'created_at': T0, 'updated_at': None, 'deleted_at': None}
IDENT = {'tenant': 'admin', 'stack_name': 'oscref', 'stack_id': 'f7f2',
         'path': ''}
RESOURCE = {'id': 3, 'uuid': 'r-uuid', 'name': 'test1', 'stack_id': 'f7f2',
            'type': 'OS::Heat::TestResource',
            'physical_resource_id': 'oscref-test1-rafgn3lp7ywq',
            'action': 'CREATE', 'status': 'COMPLETE',
            'status_reason': 'state changed', 'created_at': T0,
            'updated_at': None}
EVENT = {'id': 9, 'uuid': '5e91', 'stack_id': 'f7f2',
         'resource_name': 'test1',
         'physical_resource_id': 'oscref-test1-rafgn3lp7ywq',
         'resource_type': 'OS::Heat::TestResource',
         'resource_action': 'CREATE', 'resource_status': 'IN_PROGRESS',
         'resource_status_reason': 'state changed',
         'resource_properties': {'value': 'one'}, 'created_at': T0}


class TimeAndIdentityTest(testtools.TestCase):

    def test_isotime_drops_microseconds(self):
        self.assertEqual('2026-11-21T11:47:06Z', fmt.isotime(T0))
        self.assertEqual('2026-11-21T11:47:06Z',
                         fmt.isotime('2026-11-21T11:47:06.5'))
        self.assertIsNone(fmt.isotime(None))

    def test_identities_are_heat_identifiers(self):
        self.assertEqual(IDENT, fmt.stack_identity(STACK))
        self.assertEqual(dict(IDENT, path='/resources/test1'),
                         fmt.resource_identity(STACK, 'test1'))
        self.assertEqual(dict(IDENT, path='/resources/test1/events/e1'),
                         fmt.event_identity(STACK, 'test1', 'e1'))


class StackFormatTest(testtools.TestCase):

    def test_detail_has_heats_keys_and_values(self):
        params = {'OS::stack_id': 'f7f2', 'foo': 'one'}
        outputs = [fmt.format_stack_output('out1', 'the value', 'one')]
        stack = fmt.format_stack(STACK, params, 'anchor', outputs)
        self.assertEqual({
            'stack_name': 'oscref', 'stack_identity': IDENT,
            'creation_time': '2026-11-21T11:47:06Z', 'updated_time': None,
            'deletion_time': None, 'notification_topics': [],
            'parameters': params, 'description': 'anchor',
            'template_description': 'anchor', 'capabilities': [],
            'disable_rollback': True, 'timeout_mins': None,
            'stack_owner': 'admin', 'parent': None,
            'stack_user_project_id': 'admin', 'tags': [],
            'stack_action': 'CREATE', 'stack_status': 'COMPLETE',
            'stack_status_reason': 'Stack CREATE completed successfully',
            'outputs': [{'output_key': 'out1', 'description': 'the value',
                         'output_value': 'one'}]}, stack)

    def test_outputs_left_out_when_not_given(self):
        stack = fmt.format_stack(STACK, {}, None)
        self.assertNotIn('outputs', stack)
        self.assertEqual('No description', stack['description'])

    def test_summary_has_list_keys_and_null_tags(self):
        summary = fmt.format_stack_summary(
            dict(STACK, updated_at=T1, tags=None))
        self.assertEqual({
            'stack_identity': IDENT, 'stack_name': 'oscref',
            'description': '', 'stack_action': 'CREATE',
            'stack_status': 'COMPLETE',
            'stack_status_reason': 'Stack CREATE completed successfully',
            'creation_time': '2026-11-21T11:47:06Z',
            'updated_time': '2026-11-21T11:48:00Z', 'deletion_time': None,
            'stack_owner': 'admin', 'parent': None,
            'stack_user_project_id': 'admin', 'tags': None}, summary)

    def test_tags_are_a_list_when_set(self):
        row = dict(STACK, tags=['a', 'b'])
        self.assertEqual(['a', 'b'], fmt.format_stack_summary(row)['tags'])
        self.assertEqual(['a', 'b'], fmt.format_stack(row, {}, '')['tags'])


class OutputFormatTest(testtools.TestCase):

    def test_unresolved_list_has_no_values(self):
        outputs = fmt.format_stack_outputs([{'key': 'a', 'value': 1}])
        self.assertEqual([{'output_key': 'a',
                           'description': 'No description given'}], outputs)

    def test_error_replaces_the_value(self):
        self.assertEqual(
            {'output_key': 'b', 'description': 'No description given',
             'output_value': None, 'output_error': 'The Parameter (foo) '
                                                   'was not provided.'},
            fmt.format_stack_output(
                'b', value='ignored',
                error='The Parameter (foo) was not provided.'))


class ResourceFormatTest(testtools.TestCase):

    def test_list_item(self):
        res = fmt.format_stack_resource(RESOURCE, STACK, ['test2'])
        self.assertEqual({
            'updated_time': '2026-11-21T11:47:06Z',
            'creation_time': '2026-11-21T11:47:06Z',
            'resource_name': 'test1',
            'physical_resource_id': 'oscref-test1-rafgn3lp7ywq',
            'resource_action': 'CREATE', 'resource_status': 'COMPLETE',
            'resource_status_reason': 'state changed',
            'resource_type': 'OS::Heat::TestResource',
            'resource_identity': dict(IDENT, path='/resources/test1'),
            'stack_identity': IDENT, 'stack_name': 'oscref',
            'required_by': ['test2']}, res)

    def test_detail_adds_description_metadata_attributes(self):
        res = fmt.format_stack_resource(RESOURCE, STACK, [], detail=True,
                                        attributes={'output': 'one'})
        self.assertEqual(('', {}, {'output': 'one'}),
                         (res['description'], res['metadata'],
                          res['attributes']))

    def test_unset_physical_id_is_empty_and_nested_is_linked(self):
        nested = dict(STACK, id='n1', name='oscref-r-x')
        res = fmt.format_stack_resource(
            dict(RESOURCE, physical_resource_id=None, updated_at=T1),
            STACK, [], nested_stack=nested, parent_resource='p')
        self.assertEqual('', res['physical_resource_id'])
        self.assertEqual('2026-11-21T11:48:00Z', res['updated_time'])
        self.assertEqual('n1', res['nested_stack_id']['stack_id'])
        self.assertEqual('p', res['parent_resource'])
        self.assertNotIn('attributes', res)


class EventFormatTest(testtools.TestCase):

    def test_summary_event(self):
        self.assertEqual({
            'event_identity': dict(IDENT,
                                   path='/resources/test1/events/5e91'),
            'stack_identity': IDENT, 'stack_name': 'oscref',
            'event_time': '2026-11-21T11:47:06Z', 'resource_name': 'test1',
            'physical_resource_id': 'oscref-test1-rafgn3lp7ywq',
            'resource_action': 'CREATE', 'resource_status': 'IN_PROGRESS',
            'resource_status_reason': 'state changed',
            'resource_type': 'OS::Heat::TestResource'},
            fmt.format_event(EVENT, STACK))

    def test_detail_and_root_stack(self):
        root = dict(STACK, id='root', name='r')
        event = fmt.format_event(EVENT, STACK, include_properties=True,
                                 root_stack=root)
        self.assertEqual({'value': 'one'}, event['resource_properties'])
        self.assertEqual('root', event['root_stack_id']['stack_id'])


class ValidateFormatTest(testtools.TestCase):

    def test_hot_parameter_as_heat_27_shows_it(self):
        schema = {'type': 'number', 'default': 3,
                  'constraints': [{'range': {'min': 1}}]}
        self.assertEqual({'Type': 'Number', 'Description': '',
                          'NoEcho': 'false', 'Label': 'p', 'Default': 3,
                          'MinValue': 1},
                         fmt.format_validate_parameter('p', schema))

    def test_all_hot_constraints_and_user_value(self):
        schema = {'type': 'string', 'label': 'L', 'description': 'd',
                  'hidden': True, 'tags': ['t'], 'constraints': [
                      {'length': {'min': 1, 'max': 8}, 'description': 'len'},
                      {'allowed_values': ['a', 'b']},
                      {'allowed_pattern': '[a-z]+', 'description': 'pat'},
                      {'custom_constraint': 'nova.flavor'},
                      {'modulo': {'step': 2, 'offset': 1}}]}
        self.assertEqual({
            'Type': 'String', 'Description': 'd', 'NoEcho': 'true',
            'Label': 'L', 'Value': 'a', 'Tags': ['t'], 'MinLength': 1,
            'MaxLength': 8, 'AllowedValues': ['a', 'b'],
            'AllowedPattern': '[a-z]+', 'CustomConstraint': 'nova.flavor',
            'Step': 2, 'Offset': 1, 'ConstraintDescription': 'len pat'},
            fmt.format_validate_parameter('p', schema, user_value='a'))

    def test_cfn_parameter(self):
        schema = {'Type': 'CommaDelimitedList', 'NoEcho': 'true',
                  'AllowedValues': ['x'], 'Default': 'x',
                  'ConstraintDescription': 'only x'}
        self.assertEqual({
            'Type': 'CommaDelimitedList', 'Description': '',
            'NoEcho': 'true', 'Label': 'p', 'Default': 'x',
            'AllowedValues': ['x'], 'ConstraintDescription': 'only x'},
            fmt.format_validate_parameter('p', schema))

    def test_result_defaults(self):
        result = fmt.format_validate_result(
            None, {'p': {'type': 'json'}}, parameter_groups=[{'label': 'g'}])
        self.assertEqual({
            'Description': 'No description',
            'Parameters': {'p': {'Type': 'Json', 'Description': '',
                                 'NoEcho': 'false', 'Label': 'p'}},
            'ParameterGroups': [{'label': 'g'}],
            'Environment': {'resource_registry': {'resources': {}},
                            'parameters': {}, 'parameter_defaults': {},
                            'event_sinks': []}}, result)


class SnapshotFormatTest(testtools.TestCase):

    def test_heat_engines_keys(self):
        row = {'id': 's1', 'name': None, 'action': 'CREATE',
               'status': 'COMPLETE', 'status_reason': 'done',
               'data': {'resources': {}}, 'stack_id': 'x', 'tenant': 't',
               'created_at': datetime.datetime(2026, 12, 7, 8, 0, 1, 5)}
        self.assertEqual({'id': 's1', 'name': None, 'action': 'CREATE',
                          'status': 'COMPLETE', 'status_reason': 'done',
                          'data': {'resources': {}},
                          'creation_time': '2026-12-07T08:00:01Z'},
                         fmt.format_snapshot(row))
