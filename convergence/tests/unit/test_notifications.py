"""Stack notifications: heat-engine's event types, priorities and payload."""

import datetime

from oslo_config import cfg
from oslo_messaging.notify import _impl_test
import testtools

from convergence import config
from convergence import events
from convergence import notifications
from convergence import startup
from db import api as db_api

STACK = {'id': 'sid', 'name': 'web', 'tenant': 'demo', 'username': 'alice',
         'created_at': datetime.datetime(2026, 12, 7, 8, 0, 0),
         'updated_at': None, 'tags': ['a', 'b'], 'raw_template_id': 7}


class EventTypeTest(testtools.TestCase):

    def test_start_end_and_error(self):
        self.assertEqual('stack.create.start',
                         notifications.event_type('CREATE', 'IN_PROGRESS'))
        self.assertEqual('stack.update.end',
                         notifications.event_type('UPDATE', 'COMPLETE'))
        self.assertEqual('stack.delete.error',
                         notifications.event_type('DELETE', 'FAILED'))

    def test_payload_is_heat_engines(self):
        body = notifications.payload(STACK, 'CREATE', 'COMPLETE', 'done',
                                     'a web tier')
        self.assertEqual({
            'tenant_id': 'demo', 'user_id': 'alice',
            'user_identity': 'alice', 'username': 'alice',
            'stack_identity': 'sid', 'stack_name': 'web',
            'state': 'CREATE_COMPLETE', 'state_reason': 'done',
            'create_at': '2026-12-07T08:00:00Z', 'updated_at': None,
            'tags': ['a', 'b'], 'description': 'a web tier'}, body)


class FakeTemplates:
    def raw_template_get(self, template_id):
        return {'template': {'heat_template_version': '2013-05-23',
                             'description': 'template %d' % template_id}}


class NotifierTest(testtools.TestCase):

    def conf(self, **notifications_opts) -> cfg.ConfigOpts:
        conf = config.register(cfg.ConfigOpts())
        startup.register_messaging_opts(conf)
        conf([], project='convergence')
        conf.set_override('transport_url', 'inproc://notify-test')
        for name, value in notifications_opts.items():
            conf.set_override(name, value,
                              group='oslo_messaging_notifications')
        return conf

    def setUp(self):
        super().setUp()
        _impl_test.reset()
        self.addCleanup(_impl_test.reset)

    def sent(self):
        return [(message['event_type'], priority, message['publisher_id'],
                 message['payload']['state'])
                for _ctxt, message, priority, _retry in
                _impl_test.NOTIFICATIONS]

    def test_nothing_is_built_without_a_driver(self):
        self.assertIsNone(notifications.build(self.conf(), FakeTemplates()))

    def test_each_state_goes_out_with_its_priority(self):
        conf = self.conf(driver=['test'])
        conf.set_override('host', 'engine-1')
        notifier = notifications.build(conf, FakeTemplates())
        notifier.stack_state(STACK, 'CREATE', 'IN_PROGRESS', 'started')
        notifier.stack_state(STACK, 'CREATE', 'FAILED', 'boom')
        self.assertEqual([
            ('orchestration.stack.create.start', 'INFO',
             'orchestration.engine-1', 'CREATE_IN_PROGRESS'),
            ('orchestration.stack.create.error', 'ERROR',
             'orchestration.engine-1', 'CREATE_FAILED')], self.sent())
        ctxt, message = _impl_test.NOTIFICATIONS[0][:2]
        self.assertEqual('template 7', message['payload']['description'])
        self.assertEqual('demo', ctxt['project_id'])

    def test_level_and_publisher_follow_the_configuration(self):
        conf = self.conf(driver=['test'])
        conf.set_override('default_notification_level', 'warn')
        conf.set_override('default_publisher_id', 'billing')
        notifications.build(conf, FakeTemplates()).stack_state(
            STACK, 'UPDATE', 'COMPLETE', 'done')
        self.assertEqual([('orchestration.stack.update.end', 'WARN',
                           'billing', 'UPDATE_COMPLETE')], self.sent())

    def test_autoscaling_carries_the_adjustment(self):
        conf = self.conf(driver=['test'])
        stack = dict(STACK, action='CREATE', status='COMPLETE',
                     status_reason='done')
        notifications.build(conf, FakeTemplates()).autoscaling(
            stack, 'error', {'adjustment': 1, 'capacity': 2,
                             'message': 'boom'})
        (_ctxt, message, priority, _retry), = _impl_test.NOTIFICATIONS
        self.assertEqual('orchestration.autoscaling.error',
                         message['event_type'])
        self.assertEqual('ERROR', priority)
        self.assertEqual((1, 2, 'boom', 'CREATE_COMPLETE'), tuple(
            message['payload'][k] for k in ('adjustment', 'capacity',
                                            'message', 'state')))

    def test_a_failing_bus_does_not_fail_the_operation(self):
        class Broken:
            def info(self, *args):
                raise OSError('bus down')

        notifier = notifications.StackNotifier(Broken(), 'INFO',
                                               lambda stack: None)
        notifier.stack_state(STACK, 'CREATE', 'IN_PROGRESS', 'started')


class EventLogNotifiesTest(testtools.TestCase):

    def test_every_stack_event_is_announced_after_it_is_stored(self):
        db = db_api.Database('sqlite://')
        db.create_schema()
        announced = []

        class Recorder:
            def stack_state(self, stack, action, status, reason):
                announced.append((action, status, len(db.events_list('sid'))))

        log = events.EventLog(db, notifier=Recorder())
        log.resource_event('sid', {'name': 'r', 'type': 'T'}, 'CREATE',
                           'COMPLETE', 'done')
        log.stack_event(STACK, 'CREATE', 'COMPLETE', 'done')
        self.assertEqual([('CREATE', 'COMPLETE', 2)], announced)
