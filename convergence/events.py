"""The event log: one row per state change of a resource or of a stack.

Resource events are buffered and written in batches by one background
flusher, so a busy engine spends one INSERT per batch instead of one per
state change.  Stack events are written at once, in the same INSERT as the
buffer and after it: clients (``--wait``) stop on them, so they must come
after every resource event of the operation.  The start of a nested stack's
operation, which nothing waits for, goes with the buffer.

An event carries the time it happened, never the time it was flushed: events
are listed by that time (then id), so one written late by another engine's
flusher still shows in its place.  The end of an action happens when the
row's lock is released, and from that instant the row's next holder (on any
engine) may record the start of its own action; an end stamped after the
release could list after that start.  So the worker takes the time of an end
(``now()``) before it releases and passes it as ``happened_at``.
"""

import datetime
import logging
import threading
import time
import uuid

from convergence import states
from db.api import utcnow

LOG = logging.getLogger(__name__)

STACK_TYPE = 'OS::Heat::Stack'


class EventLog:
    def __init__(self, db, max_events_per_stack: int = 1000,
                 buffered: bool = False, flush_interval: float = 0.05,
                 notifier=None):
        self._db = db
        # Announces each stack state change (convergence/notifications.py).
        self._notifier = notifier
        self._max = max_events_per_stack
        self._buffered = buffered
        self._interval = flush_interval
        self._pending: list[dict] = []
        self._lock = threading.Lock()
        self._flusher = None

    def resource_event(self, stack_id: str, row: dict, action: str,
                       status: str, reason: str | None,
                       properties: dict | None = None, *,
                       happened_at: datetime.datetime | None = None) -> None:
        """Record a state change of ``row``; it happened now, or at
        ``happened_at`` (from ``now()``)."""
        self._add(_event(stack_id, row['name'],
                         row.get('physical_resource_id') or '',
                         row.get('declared_type') or row['type'], action,
                         status, reason, properties, happened_at or now()))

    def stack_event(self, stack: dict, action: str, status: str,
                    reason: str) -> None:
        event = _event(stack['id'], stack['name'], stack['id'], STACK_TYPE,
                       action, status, reason, None, now())
        if (status == states.Status.IN_PROGRESS and self._buffered
                and stack.get('owner_id')):
            # Nothing waits for a nested stack's start: it goes with the
            # buffer, before the events of its operation.
            self._add(event)
        else:
            # The buffer and the stack event in one INSERT (the buffer
            # first); an operation's verdict trims the stack's log in the
            # same transaction.
            with self._lock:
                batch, self._pending = self._pending, []
            batch.append(event)
            trim = (stack['id'], self._max) if (
                status != states.Status.IN_PROGRESS and self._max > 0) \
                else None
            self._db.events_add(batch, trim=trim)
        if self._notifier is not None:
            self._notifier.stack_state(stack, action, status, reason)

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        self._db.events_add(batch)

    def start(self, spawn) -> None:
        """Begin background flushing (buffered mode only)."""
        if self._buffered and self._flusher is None:
            self._flusher = spawn(self._flush_forever)

    def _add(self, event: dict) -> None:
        if not self._buffered:
            self._db.events_add([event])
            return
        with self._lock:
            self._pending.append(event)

    def _flush_forever(self) -> None:
        while True:
            time.sleep(self._interval)
            try:
                self.flush()
            except Exception:
                LOG.exception('writing %d events failed', len(self._pending))


def now() -> datetime.datetime:
    """The time of an event happening now, as the event log stores it."""
    return utcnow()


def _event(stack_id, name, physical_id, rtype, action, status, reason,
           properties, happened_at) -> dict:
    return {'uuid': str(uuid.uuid4()), 'stack_id': stack_id,
            'resource_name': name, 'physical_resource_id': physical_id,
            'resource_type': rtype, 'resource_action': action,
            'resource_status': status, 'resource_status_reason': reason,
            'resource_properties': properties, 'created_at': happened_at}
