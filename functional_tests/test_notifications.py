"""Stack notifications on a real RabbitMQ, as a billing system hears them.

``convergence-all`` keeps its in-process RPC but sends notifications through
``[oslo_messaging_notifications]`` to a private vhost, where an
oslo.messaging notification listener (what ceilometer uses) collects them.
"""

import threading
import time
import uuid

from oslo_config import cfg
import oslo_messaging

from functional_tests import base
from functional_tests import server as server_mod
from functional_tests import services
from functional_tests import templates

WAIT = 30


class Collector:
    """A notification endpoint that keeps what it hears, by stack name."""

    def __init__(self):
        self.heard = []
        self.changed = threading.Condition()

    def _keep(self, priority, event_type, payload):
        with self.changed:
            self.heard.append((priority, event_type, payload))
            self.changed.notify_all()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._keep('INFO', event_type, payload)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._keep('ERROR', event_type, payload)

    def of(self, stack_name: str) -> list[tuple[str, str]]:
        with self.changed:
            return [(priority, event_type)
                    for priority, event_type, payload in self.heard
                    if payload['stack_name'] == stack_name]

    def wait_for(self, stack_name: str, event_type: str) -> list:
        deadline = time.monotonic() + WAIT
        with self.changed:
            while not any(t == event_type for _p, t in self.of(stack_name)):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError('no %s for %s; heard %s' % (
                        event_type, stack_name, self.of(stack_name)))
                self.changed.wait(left)
        return self.of(stack_name)


class NotificationsTest(base.FunctionalTestCase):

    @classmethod
    def _start_server(cls):
        cls.vhost = 'convergence-ft-notify-%s' % uuid.uuid4().hex[:8]
        services.add_vhost(cls.vhost)
        cls.server = base.set_up(server_mod.ServerFixture(
            config={'host': 'notify-engine'},
            sections={'oslo_messaging_notifications': {
                'driver': 'messagingv2',
                'transport_url': services.rabbit_url(cls.vhost)}}))

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        services.delete_vhost(cls.vhost)

    def setUp(self):
        super().setUp()
        self.collector = Collector()
        transport = oslo_messaging.get_notification_transport(
            cfg.ConfigOpts(), url=services.rabbit_url(self.vhost))
        self.addCleanup(transport.cleanup)
        listener = oslo_messaging.get_notification_listener(
            transport, [oslo_messaging.Target(topic='notifications')],
            [self.collector], executor='threading')
        listener.start()
        self.addCleanup(listener.wait)
        self.addCleanup(listener.stop)

    def test_create_update_delete_start_and_end(self):
        stack = self.create_stack(templates.test_resources('a'))
        name = stack.split('/')[0]
        self.update_stack(stack, templates.test_resources('a', 'b'))
        self.delete_stack(stack)

        heard = self.collector.wait_for(name, 'orchestration.stack.delete.end')
        self.assertEqual(
            [('INFO', 'orchestration.stack.%s' % kind) for kind in (
                'create.start', 'create.end', 'update.start', 'update.end',
                'delete.start', 'delete.end')], heard)
        payload = self.collector.heard[0][2]
        self.assertEqual(stack.split('/')[1], payload['stack_identity'])
        self.assertEqual('admin', payload['tenant_id'])

    def test_a_failure_is_an_error(self):
        stack = self.create_stack(
            templates.HOT + 'resources:\n  a:\n    type: OS::Heat::TestResource\n'
            '    properties: {fail: true}\n', expected='CREATE_FAILED')
        name = stack.split('/')[0]

        heard = self.collector.wait_for(name, 'orchestration.stack.create.error')
        self.assertEqual([('INFO', 'orchestration.stack.create.start'),
                          ('ERROR', 'orchestration.stack.create.error')],
                         heard)
