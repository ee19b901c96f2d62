"""Resource, event and action endpoints of one stack."""

from convergence.tests.unit.api import base
from convergence.tests.unit.api.base import BASE


class ResourceTest(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.path = self.create()

    def test_list_items_as_heat_shows_them(self):
        resources = self.request('GET', self.path + '/resources').json[
            'resources']
        test1 = next(r for r in resources if r['resource_name'] == 'test1')
        self.assertEqual({
            'updated_time', 'creation_time', 'logical_resource_id',
            'resource_name', 'physical_resource_id', 'resource_status',
            'resource_status_reason', 'resource_type', 'links',
            'required_by'}, set(test1))
        self.assertEqual('CREATE_COMPLETE', test1['resource_status'])
        self.assertEqual(['test2'], test1['required_by'])
        self.assertEqual([
            {'href': BASE + self.path + '/resources/test1', 'rel': 'self'},
            {'href': BASE + self.path, 'rel': 'stack'}], test1['links'])

    def test_filters_detail_and_depth_reach_engine(self):
        self.request('GET', self.path + '/resources?name=test1&name=test2'
                     '&status=COMPLETE&with_detail=true&nested_depth=2')
        call = self.engine.last_call('list_stack_resources')
        self.assertEqual({'name': ['test1', 'test2'], 'status': 'COMPLETE'},
                         call['filters'])
        self.assertEqual((2, True),
                         (call['nested_depth'], call['with_detail']))

    def test_unknown_filter_is_400(self):
        resp = self.request('GET', self.path + '/resources?foo=1')
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         "Invalid filter parameters ['foo']")

    def test_bad_depth_is_400(self):
        resp = self.request('GET', self.path + '/resources?nested_depth=x')
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         "Only integer is acceptable by 'nested_depth'.")

    def test_show_has_attributes_and_description(self):
        res = self.request('GET', self.path + '/resources/test1').json[
            'resource']
        self.assertEqual({'output': 'one'}, res['attributes'])
        self.assertEqual('', res['description'])
        self.assertNotIn('metadata', res)
        self.assertIsNone(
            self.engine.last_call('describe_stack_resource')['with_attr'])

    def test_show_with_attr(self):
        self.request('GET', self.path + '/resources/test1?with_attr=a'
                     '&with_attr=b')
        self.assertEqual(
            ['a', 'b'],
            self.engine.last_call('describe_stack_resource')['with_attr'])

    def test_unknown_resource_is_404(self):
        resp = self.request('GET', self.path + '/resources/nope')
        self.assertFault(resp, 404, 'ResourceNotFound',
                         'The Resource (nope) could not be found in Stack '
                         's1.')

    def test_metadata(self):
        resp = self.request('GET', self.path + '/resources/test1/metadata')
        self.assertEqual({'metadata': {}}, resp.json)

    def test_signal_unsupported_is_400(self):
        resp = self.request('POST', self.path + '/resources/test1/signal',
                            {'a': 1})
        self.assertFault(resp, 400, 'NotSupported')
        self.assertEqual({'a': 1},
                         self.engine.last_call('resource_signal')['details'])

    def test_mark_unhealthy_validates_body(self):
        resp = self.request('PATCH', self.path + '/resources/test1',
                            {'resource_status_reason': 'x'})
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         'Missing mandatory (mark_unhealthy) key from mark '
                         'unhealthy request')


class EventTest(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.path = self.create()

    def events(self, query=''):
        resp = self.request('GET', self.path + '/events' + query)
        self.assertEqual(200, resp.status_int, resp.body)
        return resp.json['events']

    def test_summary_event_shape(self):
        event = self.events('?limit=1')[0]
        self.assertEqual({
            'id', 'links', 'event_time', 'logical_resource_id',
            'resource_name', 'physical_resource_id', 'resource_status',
            'resource_status_reason'}, set(event))
        # newest first by default: the stack's CREATE_COMPLETE
        self.assertEqual('CREATE_COMPLETE', event['resource_status'])
        self.assertEqual('s1', event['resource_name'])
        stack_id = self.path.rsplit('/', 1)[1]
        self.assertEqual(stack_id, event['physical_resource_id'])
        stack_url = BASE + self.path
        self.assertEqual([
            {'href': '%s/resources/s1/events/%s' % (stack_url, event['id']),
             'rel': 'self'},
            {'href': stack_url + '/resources/s1', 'rel': 'resource'},
            {'href': stack_url, 'rel': 'stack'}], event['links'])

    def test_marker_pages_strictly_after_in_requested_order(self):
        ascending = self.events('?sort_dir=asc')
        self.assertEqual('Stack CREATE started',
                         ascending[0]['resource_status_reason'])
        page = self.events('?sort_dir=asc&limit=2&marker=%s'
                           % ascending[1]['id'])
        self.assertEqual([e['id'] for e in ascending[2:4]],
                         [e['id'] for e in page])
        call = self.engine.last_call('list_events')
        self.assertEqual((2, ascending[1]['id'], 'asc'),
                         (call['limit'], call['marker'], call['sort_dir']))

    def test_filters_and_nested_depth_forwarded(self):
        self.events('?resource_status=COMPLETE&resource_type=A&resource_type=B'
                    '&nested_depth=1&sort_keys=event_time&bogus=1')
        call = self.engine.last_call('list_events')
        self.assertEqual({'resource_status': 'COMPLETE',
                          'resource_type': ['A', 'B']}, call['filters'])
        self.assertEqual((1, ['event_time']),
                         (call['nested_depth'], call['sort_keys']))

    def test_no_filters_is_none(self):
        self.events()
        self.assertIsNone(self.engine.last_call('list_events')['filters'])

    def test_bad_limit(self):
        resp = self.request('GET', self.path + '/events?limit=x')
        self.assertFault(resp, 400, 'HTTPBadRequest',
                         "Only integer is acceptable by 'limit'.")

    def test_resource_events_and_404_when_none(self):
        resp = self.request('GET', self.path + '/resources/test1/events')
        names = {e['resource_name'] for e in resp.json['events']}
        self.assertEqual({'test1'}, names)
        resp = self.request('GET', self.path + '/resources/nope/events')
        self.assertFault(resp, 404, 'HTTPNotFound',
                         'No events found for resource nope')

    def test_event_show_detail(self):
        event_id = self.events('?resource_name=test1&limit=1')[0]['id']
        resp = self.request('GET', self.path + '/resources/test1/events/'
                            + event_id)
        event = resp.json['event']
        self.assertEqual('OS::Heat::TestResource', event['resource_type'])
        self.assertEqual({'name': 'test1'}, event['resource_properties'])
        self.assertEqual({'resource_name': 'test1', 'uuid': event_id},
                         self.engine.last_call('list_events')['filters'])
        resp = self.request('GET', self.path + '/resources/test2/events/'
                            + event_id)
        self.assertFault(resp, 404, 'HTTPNotFound',
                         'No event %s found' % event_id)


class ActionTest(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.path = self.create()

    def act(self, body):
        return self.request('POST', self.path + '/actions', body)

    def test_body_validation(self):
        self.assertFault(self.act({}), 400, 'HTTPBadRequest',
                         'No action specified')
        self.assertFault(self.request('POST', self.path + '/actions'), 400,
                         'HTTPBadRequest', 'No action specified')
        self.assertFault(self.act({'check': None, 'resume': None}), 400,
                         'HTTPBadRequest', 'Multiple actions specified')
        self.assertFault(self.act({'bogus': None}), 400, 'HTTPBadRequest',
                         'Invalid action bogus specified')

    def test_check_is_200_null(self):
        resp = self.act({'check': None})
        self.assertEqual(200, resp.status_int)
        self.assertIsNone(resp.json)

    def test_cancel_update_rejected_when_not_updating(self):
        self.assertFault(self.act({'cancel_update': None}), 400,
                         'NotSupported',
                         'Cancelling update when stack is CREATE_COMPLETE '
                         'is not supported.')

    def test_cancel_flavours(self):
        self.engine.auto_complete = False
        self.request('PUT', self.path, {'template': base.TEMPLATE})
        self.assertEqual(200, self.act({'cancel_update': None}).status_int)
        self.assertTrue(self.engine.last_call('stack_cancel_update')[
            'cancel_with_rollback'])
        self.request('PUT', self.path, {'template': base.TEMPLATE})
        self.act({'cancel_without_rollback': None})
        self.assertFalse(self.engine.last_call('stack_cancel_update')[
            'cancel_with_rollback'])

    def test_suspend_resume(self):
        self.act({'suspend': None})
        self.act({'resume': None})
        self.assertEqual(['stack_suspend', 'stack_resume'],
                         [m for m, _ in self.engine.calls[-2:]])
