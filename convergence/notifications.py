"""Notifications: heat-engine's ``orchestration.stack.*`` and
``orchestration.autoscaling.*`` messages.

Each stack state change the event log records is also announced through
oslo.messaging's notifier, as heat-engine does for billing and monitoring
systems: ``orchestration.stack.<action>.start`` when an operation begins,
``.end`` when it completes and ``.error`` (at ERROR priority) when it fails,
with heat-engine's payload.  Nothing is sent unless
``[oslo_messaging_notifications] driver`` names a driver; the messages go to
its transport (``transport_url`` there, else the RPC one) on the
``control_exchange``, topic ``notifications`` (``topics`` there).
"""

import logging

import oslo_messaging

from convergence import states
from convergence.engine.format import isotime
from convergence.rpc.context import RequestContext
from convergence.rpc.serializer import RequestContextSerializer

LOG = logging.getLogger(__name__)

SERVICE = 'orchestration'


def event_type(action: str, status: str) -> str:
    """``stack.create.start``, ``stack.update.end``, ``stack.delete.error``…"""
    suffix = {states.Status.IN_PROGRESS: 'start',
              states.Status.COMPLETE: 'end'}.get(status, 'error')
    return 'stack.%s.%s' % (action.lower(), suffix)


def payload(stack: dict, action: str, status: str, reason: str,
            description: str | None) -> dict:
    """heat-engine's notification body for ``stack`` in that state."""
    return {'tenant_id': stack['tenant'], 'user_id': stack['username'],
            'user_identity': stack['username'],
            'username': stack['username'], 'stack_identity': stack['id'],
            'stack_name': stack['name'], 'state': '%s_%s' % (action, status),
            'state_reason': reason,
            'create_at': isotime(stack.get('created_at')),
            'updated_at': isotime(stack.get('updated_at')),
            'tags': stack.get('tags'), 'description': description}


class StackNotifier:
    """Sends the notification of each stack state change."""

    def __init__(self, notifier: oslo_messaging.Notifier, level: str,
                 description_of):
        self._notifier = notifier
        self._level = level.lower()
        self._description_of = description_of

    def stack_state(self, stack: dict, action: str, status: str,
                    reason: str) -> None:
        level = 'error' if status == states.Status.FAILED else self._level
        self._send(stack, level, event_type(action, status),
                   payload(stack, action, status, reason,
                           self._description_of(stack)))

    def autoscaling(self, stack: dict, suffix: str, details: dict) -> None:
        """``orchestration.autoscaling.<start|end|error>`` of a group of
        ``stack`` resized by a signal: the stack's payload and ``details``
        (adjustment, adjustment_type, capacity, groupname, message)."""
        body = payload(stack, stack['action'], stack['status'],
                       stack['status_reason'], self._description_of(stack))
        body.update(details)
        self._send(stack, 'error' if suffix == 'error' else self._level,
                   'autoscaling.%s' % suffix, body)

    def _send(self, stack: dict, level: str, kind: str, body: dict) -> None:
        ctxt = RequestContext(project_id=stack['tenant'],
                              username=stack['username'])
        try:
            getattr(self._notifier, level)(ctxt, '%s.%s' % (SERVICE, kind),
                                           body)
        except Exception:
            # A notification is a courtesy to other systems: the bus being
            # down must not fail the operation it announces.
            LOG.exception('notification %s of stack %s not sent', kind,
                          stack['id'])


def build(conf, db) -> StackNotifier | None:
    """The notifier ``conf`` asks for, or None when no driver is set."""
    drivers = set(conf.oslo_messaging_notifications.driver) - {'noop'}
    if not drivers:
        return None
    transport = oslo_messaging.get_notification_transport(conf)
    publisher = conf.default_publisher_id or '%s.%s' % (SERVICE, conf.host)
    notifier = oslo_messaging.Notifier(
        transport, publisher_id=publisher,
        serializer=RequestContextSerializer())

    def description_of(stack: dict) -> str | None:
        stored = db.raw_template_get(stack['raw_template_id'])
        template = stored['template'] if stored else {}
        return template.get('description', template.get('Description'))

    return StackNotifier(notifier, conf.default_notification_level,
                         description_of)
