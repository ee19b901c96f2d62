"""The snapshot routes, abandon and export, over the real engine on the
scenario framework's in-memory database."""

from convergence.api import make_app
from convergence.tests.scenarios import framework
from convergence.tests.unit.api import base


class SnapshotRoutesTest(base.ApiTestCase):
    """Given the app over an engine with one created stack."""

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.scenario.engine_service.conf.enable_stack_abandon = True
        self.app = make_app(self.scenario.engine_service)
        self.path = self.create()
        self.scenario.run()

    def test_create_list_show_restore_delete(self):
        resp = self.request('POST', self.path + '/snapshots', {'name': 'one'})
        self.assertEqual(200, resp.status_int, resp.body)
        snapshot = resp.json
        self.assertEqual(('one', 'IN_PROGRESS'),
                         (snapshot['name'], snapshot['status']))
        self.scenario.run()
        listed = self.request('GET', self.path + '/snapshots').json
        self.assertEqual([snapshot['id']],
                         [s['id'] for s in listed['snapshots']])
        one = self.path + '/snapshots/' + snapshot['id']
        shown = self.request('GET', one).json['snapshot']
        self.assertEqual('COMPLETE', shown['status'])
        resp = self.request('POST', one + '/restore')
        self.assertEqual(202, resp.status_int, resp.body)
        self.scenario.run()
        self.assertEqual('RESTORE_COMPLETE', self.request(
            'GET', self.path).json['stack']['stack_status'])
        self.assertEqual(204, self.request('DELETE', one).status_int)
        self.assertFault(self.request('GET', one), 404, 'NotFound',
                         'Snapshot with id %s not found' % snapshot['id'])

    def test_a_snapshot_without_a_name(self):
        resp = self.request('POST', self.path + '/snapshots', {})
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertIsNone(resp.json['name'])

    def test_export_then_abandon(self):
        exported = self.request('GET', self.path + '/export')
        self.assertEqual(200, exported.status_int, exported.body)
        abandoned = self.request('DELETE', self.path + '/abandon')
        self.assertEqual(200, abandoned.status_int, abandoned.body)
        self.assertEqual(exported.json, abandoned.json)
        self.assertEqual({'test1', 'test2'}, set(abandoned.json['resources']))
        self.assertFault(self.request('DELETE', self.path + '/abandon'), 404,
                         'EntityNotFound')
