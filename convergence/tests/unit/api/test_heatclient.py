"""The real python-heatclient against the app on a localhost port.

Proves that what heatclient sends parses here and what we answer parses
there, for the calls the CLIs make: create, list, show (name → 302 → id),
resources, events (with marker paging), update, cancel, delete.  Both of
heatclient's transports are used: the legacy HTTPClient (``heat`` CLI with
``--os-no-client-auth``) and the keystoneauth SessionClient (``openstack``).
"""

import threading
from wsgiref import simple_server

from heatclient import exc as heat_exc
from heatclient.v1 import client as heat_client
from keystoneauth1 import noauth
from keystoneauth1 import session as ks_session
import testtools

from convergence.api import make_app
from convergence.tests.unit.api import base
from convergence.tests.unit.api import fakes


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


class HeatclientTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine = fakes.FakeEngine()
        server = simple_server.make_server(
            '127.0.0.1', 0, make_app(self.engine),
            handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.endpoint = 'http://127.0.0.1:%d/v1/admin' % server.server_port

    def legacy_client(self):
        return heat_client.Client(endpoint=self.endpoint, token='x')

    def session_client(self):
        sess = ks_session.Session(auth=noauth.NoAuth())
        return heat_client.Client(session=sess,
                                  endpoint_override=self.endpoint)

    def _lifecycle(self, heat):
        created = heat.stacks.create(
            stack_name='s1', template=base.TEMPLATE,
            parameters={'foo': 'one'}, tags='a,b', timeout_mins=5,
            disable_rollback=True)
        stack_id = created['stack']['id']
        self.assertEqual(['s1'], [s.stack_name for s in heat.stacks.list()])

        stack = heat.stacks.get('s1')
        self.assertEqual((stack_id, 'CREATE_COMPLETE', 'CREATE'),
                         (stack.id, stack.stack_status, stack.action))
        self.assertEqual('one', stack.outputs[0]['output_value'])
        by_id = heat.stacks.get(stack_id, resolve_outputs=False)
        self.assertFalse(hasattr(by_id, 'outputs'))

        resources = heat.resources.list('s1')
        self.assertEqual({'test1', 'test2'},
                         {r.resource_name for r in resources})
        test1 = heat.resources.get('s1', 'test1')
        self.assertEqual({'output': 'one'}, test1.attributes)

        events = heat.events.list('s1', sort_dir='asc')
        self.assertEqual('Stack CREATE started',
                         events[0].resource_status_reason)
        later = heat.events.list('s1', marker=events[-2].id, sort_dir='asc')
        self.assertEqual([events[-1].id], [e.id for e in later])

        self.assertEqual('one', heat.stacks.output_show(
            's1', 'out1')['output']['output_value'])
        return stack_id

    def _update_cancel_delete(self, heat, stack_id):
        self.engine.auto_complete = False
        heat.stacks.update('s1', existing=True, parameters={'foo': 'two'})
        self.assertEqual('UPDATE_IN_PROGRESS',
                         heat.stacks.get('s1').stack_status)
        heat.actions.cancel_update('s1')
        self.assertEqual('ROLLBACK_COMPLETE',
                         heat.stacks.get('s1').stack_status)
        self.assertRaises(heat_exc.HTTPBadRequest,
                          heat.actions.cancel_update, 's1')

        heat.stacks.delete('s1')
        self.assertRaises(heat_exc.HTTPNotFound, heat.stacks.get, 's1')
        gone = heat.stacks.get('s1/%s' % stack_id)
        self.assertEqual('DELETE_COMPLETE', gone.stack_status)

    def test_legacy_http_client(self):
        heat = self.legacy_client()
        self._update_cancel_delete(heat, self._lifecycle(heat))

    def test_session_client_as_openstackclient_uses_it(self):
        heat = self.session_client()
        self._update_cancel_delete(heat, self._lifecycle(heat))

    def test_error_message_reaches_the_client(self):
        heat = self.legacy_client()
        heat.stacks.create(stack_name='s1', template=base.TEMPLATE)
        err = self.assertRaises(heat_exc.HTTPConflict, heat.stacks.create,
                                stack_name='s1', template=base.TEMPLATE)
        self.assertIn('The Stack (s1) already exists.', str(err))
        err = self.assertRaises(heat_exc.HTTPNotFound, heat.stacks.get,
                                'nope')
        self.assertIn('The Stack (nope) could not be found.', str(err))
