"""Stack endpoints: codes, redirects, bodies and what reaches the engine."""

from convergence.tests.unit.api import base
from convergence.tests.unit.api.base import BASE, T


class VersionsTest(base.ApiTestCase):

    def test_root_lists_v1(self):
        resp = self.request('GET', '/')
        self.assertEqual(300, resp.status_int)
        self.assertEqual({'versions': [{
            'id': 'v1.0', 'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': BASE + '/v1/'}]}]}, resp.json)

    def test_unknown_path_is_webob_404(self):
        resp = self.request('GET', T + '/nothing/here')
        self.assertEqual(404, resp.status_int)
        self.assertEqual('404 Not Found', resp.json['code'])

    def test_wrong_method_is_405_with_allow(self):
        path = self.create()
        resp = self.request('POST', path, {})
        self.assertFault(resp, 405, 'HTTPMethodNotAllowed')
        self.assertIn('PUT', resp.headers['Allow'])


class CreateTest(base.ApiTestCase):

    def test_created_201_with_location_and_self_link(self):
        resp = self.request('POST', T + '/stacks', {
            'stack_name': 's1', 'template': base.TEMPLATE})
        self.assertEqual(201, resp.status_int)
        stack_id = resp.json['stack']['id']
        href = '%s/v1/admin/stacks/s1/%s' % (BASE, stack_id)
        self.assertEqual(href, resp.location)
        self.assertEqual({'stack': {'id': stack_id, 'links': [
            {'href': href, 'rel': 'self'}]}}, resp.json)

    def test_engine_gets_parsed_template_and_full_environment(self):
        self.create(tags='a,b', timeout_mins='10', disable_rollback=False,
                    environment={'parameter_defaults': {'bar': 1}},
                    files={'f.yaml': 'x'})
        call = self.engine.last_call('create_stack')
        self.assertEqual('2015-10-15',
                         call['template']['heat_template_version'])
        self.assertEqual({'parameters': {'foo': 'one'},
                          'parameter_defaults': {'bar': 1},
                          'resource_registry': {},
                          'encrypted_param_names': [], 'event_sinks': []},
                         call['params'])
        self.assertEqual({'tags': ['a', 'b'], 'timeout_mins': 10,
                          'disable_rollback': False}, call['args'])
        self.assertEqual({'f.yaml': 'x'}, call['files'])
        self.assertIsNone(call['environment_files'])

    def test_template_dict_passes_through(self):
        template = {'heat_template_version': '2015-10-15', 'resources': {}}
        self.request('POST', T + '/stacks', {'stack_name': 's',
                                             'template': template})
        self.assertEqual(template,
                         self.engine.last_call('create_stack')['template'])

    def test_duplicate_name_is_409(self):
        self.create()
        resp = self.request('POST', T + '/stacks', {
            'stack_name': 's1', 'template': base.TEMPLATE})
        self.assertFault(resp, 409, 'StackExists',
                         'The Stack (s1) already exists.')

    def _bad(self, body, message, error_type='HTTPBadRequest'):
        resp = self.request('POST', T + '/stacks', body)
        self.assertFault(resp, 400, error_type, message)

    def test_request_errors_have_heats_messages(self):
        tmpl = base.TEMPLATE
        self._bad({'stack_name': 's'}, 'No template specified')
        self._bad({'template': tmpl}, 'No stack name specified')
        self._bad({'stack_name': 's', 'template': tmpl, 'converge': True},
                  'converge flag only supported in stack update (or update '
                  'preview) request.')
        self._bad({'stack_name': 's', 'template': 'foo: bar'},
                  'Template not in valid format: Template format version '
                  'not found.')
        self._bad({'stack_name': 's', 'template': tmpl, 'timeout_mins': 'x'},
                  "Only integer is acceptable by 'timeout_mins'.")
        self._bad({'stack_name': 's', 'template': tmpl,
                   'environment': {'bogus': 1}},
                  'Environment not in valid format: environment has wrong '
                  'section "bogus"')

    def test_unparsable_template_names_the_problem(self):
        resp = self.request('POST', T + '/stacks', {
            'stack_name': 's', 'template': 'foo: ['})
        body = self.assertFault(resp, 400, 'HTTPBadRequest')
        self.assertTrue(body['error']['message'].startswith(
            'Template not in valid format:'))

    def test_template_url_is_not_supported(self):
        resp = self.request('POST', T + '/stacks', {
            'stack_name': 's', 'template_url': 'http://x/t.yaml'})
        self.assertFault(resp, 400, 'NotSupported')
        self.assertIn('template_url', resp.json['error']['message'])

    def test_no_json_body_is_bad_request(self):
        resp = self.request('POST', T + '/stacks', b'notjson')
        self.assertFault(resp, 400, 'HTTPBadRequest')


class LimitsTest(base.ApiTestCase):

    class conf:
        max_json_body_size = 200
        max_template_size = 100

    def test_body_over_limit_is_request_limit_exceeded(self):
        resp = self.request('POST', T + '/stacks',
                            {'stack_name': 's', 'template': 'x' * 300})
        self.assertFault(resp, 400, 'RequestLimitExceeded')
        self.assertTrue(resp.json['error']['message'].startswith(
            'Request limit exceeded: JSON body size ('))
        self.assertTrue(resp.json['error']['message'].endswith(
            'exceeds maximum allowed size (200 bytes).'))

    def test_template_over_limit(self):
        resp = self.request('POST', T + '/stacks',
                            {'stack_name': 's', 'template': 'y' * 150})
        self.assertFault(
            resp, 400, 'RequestLimitExceeded',
            'Request limit exceeded: Template size (150 bytes) exceeds '
            'maximum allowed size (100 bytes).')


class ListTest(base.ApiTestCase):

    def test_summary_items_with_project_and_joined_status(self):
        path = self.create(tags='a')
        stacks = self.request('GET', T + '/stacks').json['stacks']
        self.assertEqual(1, len(stacks))
        item = stacks[0]
        self.assertEqual({
            'id', 'links', 'project', 'stack_name', 'description',
            'stack_status', 'stack_status_reason', 'creation_time',
            'updated_time', 'deletion_time', 'stack_owner', 'parent',
            'stack_user_project_id', 'tags'}, set(item))
        self.assertEqual('CREATE_COMPLETE', item['stack_status'])
        self.assertEqual(BASE + path, item['links'][0]['href'])
        self.assertEqual(['a'], item['tags'])

    def test_full_page_has_next_link_and_count(self):
        self.create('a')
        second = self.create('b')
        resp = self.request('GET', T + '/stacks?limit=1&with_count=true')
        last_id = second.rsplit('/', 1)[1]
        self.assertEqual(
            [{'rel': 'next', 'href': '%s%s/stacks?limit=1&with_count=true'
                                     '&marker=%s' % (BASE, T, last_id)}],
            resp.json['links'])
        self.assertEqual(2, resp.json['count'])

    def test_query_reaches_engine_converted(self):
        self.request('GET', T + '/stacks?show_deleted=True&limit=5'
                     '&sort_keys=stack_name&sort_keys=creation_time'
                     '&tags=x,y&name=s1&status=CREATE_COMPLETE&bogus=1')
        call = self.engine.last_call('list_stacks')
        self.assertEqual(True, call['show_deleted'])
        self.assertEqual(5, call['limit'])
        self.assertEqual(['stack_name', 'creation_time'], call['sort_keys'])
        self.assertEqual(['x', 'y'], call['tags'])
        self.assertEqual({'name': 's1', 'status': 'CREATE_COMPLETE'},
                         call['filters'])

    def test_bad_bool_is_400(self):
        resp = self.request('GET', T + '/stacks?show_deleted=maybe')
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         'Unrecognized value "maybe" for "show_deleted", '
                         'acceptable values are: true, false.')


class LookupTest(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.path = self.create()
        self.stack_id = self.path.rsplit('/', 1)[1]

    def assertRedirect(self, resp, suffix=''):
        self.assertEqual(302, resp.status_int, resp.body)
        self.assertEqual(BASE + self.path + suffix, resp.location)

    def test_name_redirects_for_every_method(self):
        for method in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE'):
            self.assertRedirect(self.request(method, T + '/stacks/s1'))

    def test_uuid_redirects_and_query_is_kept(self):
        resp = self.request(
            'GET', T + '/stacks/%s?resolve_outputs=False' % self.stack_id)
        self.assertRedirect(resp, '?resolve_outputs=False')
        self.assertEqual('302 Found', resp.json['code'])

    def test_sub_paths_redirect(self):
        for sub in ('resources', 'events', 'template', 'environment',
                    'files', 'actions'):
            resp = self.request('GET', T + '/stacks/s1/' + sub)
            self.assertRedirect(resp, '/' + sub)
        resp = self.request('GET', T + '/stacks/s1/events?sort_dir=asc'
                            '&marker=m1')
        self.assertRedirect(resp, '/events?sort_dir=asc&marker=m1')
        self.assertRedirect(self.request(
            'POST', T + '/stacks/s1/actions', {'cancel_update': None}),
            '/actions')

    def test_arn_redirects_without_engine(self):
        arn = 'arn:openstack:heat::admin:stacks/s1/%s' % self.stack_id
        self.assertRedirect(self.request('GET', T + '/stacks/' + arn))

    def test_arn_with_quoted_colons_and_a_path_redirects(self):
        """python-heatclient sends a nested stack's ARN (what get_resource
        of it gives) with its colons quoted and its slashes kept."""
        arn = ('arn%%3Aopenstack%%3Aheat%%3A%%3Aadmin%%3Astacks/s1/%s'
               % self.stack_id)
        self.assertRedirect(self.request(
            'GET', T + '/stacks/' + arn + '/resources/r1'), '/resources/r1')

    def test_unknown_name_is_404(self):
        resp = self.request('GET', T + '/stacks/nope/events')
        self.assertFault(resp, 404, 'EntityNotFound',
                         'The Stack (nope) could not be found.')

    def test_wrong_name_or_id_is_404(self):
        resp = self.request('GET', T + '/stacks/other/' + self.stack_id)
        self.assertFault(resp, 404, 'EntityNotFound',
                         'The Stack (other) could not be found.')


class ShowUpdateDeleteTest(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.path = self.create()

    def test_show_detail(self):
        stack = self.request('GET', self.path).json['stack']
        self.assertEqual('CREATE_COMPLETE', stack['stack_status'])
        self.assertNotIn('stack_action', stack)
        self.assertNotIn('stack_identity', stack)
        self.assertEqual('one', stack['parameters']['foo'])
        self.assertEqual([{'output_key': 'out1', 'description': 'the value',
                           'output_value': 'one'}], stack['outputs'])
        self.assertEqual('anchor', stack['description'])

    def test_show_without_outputs(self):
        resp = self.request('GET', self.path + '?resolve_outputs=False')
        self.assertNotIn('outputs', resp.json['stack'])
        self.assertFalse(
            self.engine.last_call('show_stack')['resolve_outputs'])

    def test_put_is_202_with_webob_body(self):
        resp = self.request('PUT', self.path, {'template': base.TEMPLATE,
                                               'converge': True})
        self.assertEqual(202, resp.status_int)
        self.assertEqual('202 Accepted', resp.json['code'])
        args = self.engine.last_call('update_stack')['args']
        self.assertEqual({'converge': True}, args)

    def test_patch_sets_existing_and_keeps_template_none(self):
        resp = self.request('PATCH', self.path, {
            'parameters': {'foo': 'two'}, 'template': None,
            'clear_parameters': ['bar'], 'disable_rollback': True})
        self.assertEqual(202, resp.status_int)
        call = self.engine.last_call('update_stack')
        self.assertIsNone(call['template'])
        self.assertEqual({'existing': True, 'clear_parameters': ['bar'],
                          'disable_rollback': True}, call['args'])
        self.assertEqual({'foo': 'two'}, call['params']['parameters'])

    def test_put_without_template_is_400(self):
        resp = self.request('PUT', self.path, {'parameters': {}})
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         'No template specified')

    def test_preview_update_returns_engine_changes(self):
        resp = self.request('PUT', self.path + '/preview?show_nested=true',
                            {'template': base.TEMPLATE})
        self.assertEqual(200, resp.status_int)
        changes = resp.json['resource_changes']
        self.assertEqual({'added', 'deleted', 'replaced', 'unchanged',
                          'updated'}, set(changes))
        self.assertIn('resource_action', changes['unchanged'][0])
        self.assertTrue(
            self.engine.last_call('preview_update_stack')['args'][
                'show_nested'])

    def test_delete_is_204_then_404_and_deleted_stack_still_shows(self):
        resp = self.request('DELETE', self.path)
        self.assertEqual(204, resp.status_int)
        self.assertEqual(b'', resp.body)
        self.assertFault(self.request('DELETE', self.path), 404,
                         'EntityNotFound')
        self.assertFault(self.request('GET', T + '/stacks/s1'), 404,
                         'EntityNotFound')
        stack = self.request('GET', self.path).json['stack']
        self.assertEqual('DELETE_COMPLETE', stack['stack_status'])
        self.assertIsNotNone(stack['deletion_time'])

    def test_stored_template_environment_files(self):
        self.assertEqual('2015-10-15', self.request(
            'GET', self.path + '/template').json['heat_template_version'])
        env = self.request('GET', self.path + '/environment').json
        self.assertEqual({'foo': 'one'}, env['parameters'])
        self.assertEqual({}, self.request('GET', self.path + '/files').json)

    def test_outputs(self):
        self.assertEqual({'outputs': [{'output_key': 'out1',
                                       'description': 'the value'}]},
                         self.request('GET', self.path + '/outputs').json)
        self.assertEqual('one', self.request(
            'GET', self.path + '/outputs/out1').json['output']['output_value'])
        self.assertFault(self.request('GET', self.path + '/outputs/nope'),
                         404, 'NotFound',
                         'Specified output key nope not found.')

    def test_request_id_header(self):
        resp = self.request('GET', self.path)
        self.assertTrue(resp.headers['x-openstack-request-id'].startswith(
            'req-'))


class MiscRequestTest(base.ApiTestCase):

    def test_options_lists_allowed_methods(self):
        path = self.create()
        resp = self.request('OPTIONS', path)
        self.assertEqual(204, resp.status_int)
        self.assertEqual({'GET', 'PUT', 'PATCH', 'DELETE'},
                         set(resp.headers['Allow'].split(',')))

    def test_adopt_data_supplies_the_template(self):
        template = {'heat_template_version': '2015-10-15'}
        self.request('POST', T + '/stacks', {
            'stack_name': 'a', 'adopt_stack_data': {'template': template}})
        call = self.engine.last_call('create_stack')
        self.assertEqual(template, call['template'])
        self.assertIn('adopt_stack_data', call['args'])

    def test_bad_adopt_data(self):
        resp = self.request('POST', T + '/stacks', {
            'stack_name': 'a', 'adopt_stack_data': '{"no": 1}'})
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         "Invalid adopt data: 'template'")
