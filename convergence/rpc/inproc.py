"""``inproc://``: an oslo.messaging driver for senders and servers in one process.

``convergence-all`` talks to itself over this transport.  oslo.messaging's
``fake://`` driver would do the same, but its listeners sleep 50 ms between
polls, so each hop of a dependency chain waited for the next poll; here a
listener blocks on a doorbell that every delivery to its queues rings, and
takes the message at once.

Semantics follow a broker: a cast to a topic goes to one of the servers
listening on it, a cast to ``topic`` + ``server`` to that server, a fanout to
every server of the topic; messages sent before anyone listens wait in their
queue.  Every message is JSON-encoded on the way in and decoded on the way
out, and a failed call's exception crosses as oslo.messaging's remote error,
exactly as over RabbitMQ.  Brokers are per virtual host (the URL's path), so
``inproc://`` and ``inproc:///other`` are separate buses.

Unlike a broker's queue, a queue here is not first come, first served: the
messages of different stack traversals take turns (``fairness.FairQueue``),
and a listener lets other threads run between two messages, so a stack that
casts thousands of nodes at once does not hold up a small stack's few.

Nothing here sleeps or spins: waits are ``threading`` events, which are green
once eventlet has monkey-patched (the console entry points) and OS-level
otherwise, so the driver works with either oslo.messaging executor.
"""

import threading
import time

import oslo_messaging
from oslo_messaging._drivers import base
from oslo_messaging._drivers import common as rpc_common
from oslo_serialization import jsonutils

from convergence.rpc import fairness

_brokers_lock = threading.Lock()
_brokers: dict[str, '_Broker'] = {}


class _Queue:
    """Messages for one queue, and the doorbells of those who listen on it.

    Messages of different flows (stack traversals) are taken in turn.
    """

    def __init__(self):
        self.messages = fairness.FairQueue()
        self.doorbells: set[threading.Event] = set()


class _Broker:
    """The queues of one virtual host, shared by every driver instance."""

    def __init__(self):
        self._lock = threading.Lock()
        self._topic_queues: dict[tuple, _Queue] = {}
        self._server_queues: dict[tuple, _Queue] = {}

    def _queue(self, exchange: str, topic: str, server: str | None,
               pool: str | None = None) -> _Queue:
        if server is not None:
            return self._server_queues.setdefault((exchange, topic, server),
                                                  _Queue())
        key = (exchange, topic, pool)
        if key not in self._topic_queues and pool is not None:
            # A new notification pool starts with what is already waiting.
            self._topic_queues[key] = _Queue()
            for flow, item in self._queue(exchange, topic,
                                          None).messages.items():
                self._topic_queues[key].messages.put(flow, item)
        return self._topic_queues.setdefault(key, _Queue())

    def subscribe(self, exchange, topic, server, pool,
                  doorbell: threading.Event) -> _Queue:
        with self._lock:
            queue = self._queue(exchange, topic, server, pool)
            queue.doorbells.add(doorbell)
            return queue

    def unsubscribe(self, queue: _Queue, doorbell: threading.Event) -> None:
        with self._lock:
            queue.doorbells.discard(doorbell)

    def deliver(self, exchange: str, topic: str, server: str | None,
                fanout: bool, flow, item) -> None:
        with self._lock:
            if fanout:
                queues = [q for (e, t, _), q in self._server_queues.items()
                          if (e, t) == (exchange, topic)]
            elif server is not None:
                queues = [self._queue(exchange, topic, server)]
            else:
                self._queue(exchange, topic, None)
                queues = [q for (e, t, _), q in self._topic_queues.items()
                          if (e, t) == (exchange, topic)]
            doorbells = set()
            for queue in queues:
                queue.messages.put(flow, item)
                doorbells.update(queue.doorbells)
        for doorbell in doorbells:
            doorbell.set()

    def take(self, queues: list[_Queue]):
        """The next message of the first non-empty queue, or None."""
        with self._lock:
            for queue in queues:
                if queue.messages:
                    return queue.messages.get()
        return None


def _broker(virtual_host: str) -> _Broker:
    with _brokers_lock:
        return _brokers.setdefault(virtual_host, _Broker())


class _Reply:
    """Where the server puts the answer to one call."""

    def __init__(self):
        self._done = threading.Event()
        self.result = None
        self.failure = None

    def put(self, result, failure) -> None:
        self.result, self.failure = result, failure
        self._done.set()

    def wait(self, timeout: float | None) -> bool:
        return self._done.wait(timeout)


class _IncomingMessage(base.RpcIncomingMessage):

    def __init__(self, ctxt, message, reply: _Reply | None, requeue):
        super().__init__(ctxt, message)
        self._reply = reply
        self._requeue = requeue

    def acknowledge(self):
        """Taken off the queue already; nothing to confirm."""

    def requeue(self):
        self._requeue()

    def heartbeat(self):
        """Calls wait in memory; there is no broker to keep informed."""

    def reply(self, reply=None, failure=None):
        if self._reply is None:
            return
        if failure is not None:
            failure = rpc_common.serialize_remote_exception(failure)
        self._reply.put(_decode(_encode(reply)), failure)


class _Envelope:
    """One sent message as it waits in the queues, encoded.

    A plain object rather than closures that send themselves again: those
    made a reference cycle per message, garbage only a full collection
    frees.
    """

    __slots__ = ('_broker', '_address', '_flow', '_payload', '_reply')

    def __init__(self, broker: _Broker, address: tuple, flow, payload: tuple,
                 reply: _Reply | None):
        self._broker, self._address, self._flow = broker, address, flow
        self._payload, self._reply = payload, reply

    def deliver(self) -> None:
        exchange, topic, server, fanout = self._address
        self._broker.deliver(exchange, topic, server, fanout, self._flow, self)

    def open(self) -> _IncomingMessage:
        ctxt, message = self._payload
        return _IncomingMessage(_decode(ctxt), _decode(message), self._reply,
                                self.deliver)


class _Listener(base.PollStyleListener):
    """Takes messages from its queues as soon as one is delivered."""

    def __init__(self, broker: _Broker, subscriptions: list[tuple]):
        super().__init__()
        self._broker = broker
        self._doorbell = threading.Event()
        self._stopped = False
        self._queues = [broker.subscribe(*s, doorbell=self._doorbell)
                        for s in subscriptions]

    @base.batch_poll_helper
    def poll(self, timeout=None):
        # Other threads run between two messages: a burst of thousands of
        # casts is taken one at a time, each in turn with everything else
        # (another server's calls, running nodes), not ahead of it all; and
        # since the queue serves stacks in turn, a small stack's message is
        # taken next, not after the burst.
        time.sleep(0)
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stopped:
            # Cleared before looking, so a delivery after the look rings it.
            self._doorbell.clear()
            taken = self._broker.take(self._queues)
            if taken is not None:
                return taken.open()
            remaining = None
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
            self._doorbell.wait(remaining)
        return None

    def stop(self):
        """Take nothing more; what is still queued waits for other servers."""
        self._stopped = True
        self._doorbell.set()

    def cleanup(self):
        for queue in self._queues:
            self._broker.unsubscribe(queue, self._doorbell)


def _encode(value) -> str:
    return jsonutils.dumps(value)


def _decode(text: str):
    return jsonutils.loads(text)


class InProcDriver(base.BaseDriver):
    """oslo.messaging driver for ``inproc://[/virtual_host]``."""

    def __init__(self, conf, url, default_exchange=None,
                 allowed_remote_exmods=None):
        super().__init__(conf, url, default_exchange, allowed_remote_exmods)
        self._broker = _broker(url.virtual_host or '')

    def require_features(self, requeue=True):
        """Requeueing is supported."""

    def send(self, target, ctxt, message, wait_for_reply=None, timeout=None,
             call_monitor_timeout=None, retry=None, transport_options=None):
        reply = _Reply() if wait_for_reply else None
        self._deliver(target, ctxt, message, reply)
        if reply is None:
            return None
        if not reply.wait(timeout):
            raise oslo_messaging.MessagingTimeout(
                'No reply on topic %s' % target.topic)
        if reply.failure is not None:
            raise rpc_common.deserialize_remote_exception(
                reply.failure, self._allowed_remote_exmods)
        return reply.result

    def send_notification(self, target, ctxt, message, version, retry=None):
        self._deliver(target, ctxt, message, None)

    def _deliver(self, target, ctxt, message, reply: _Reply | None) -> None:
        address = (target.exchange or self._default_exchange, target.topic,
                   target.server, target.fanout)
        # Encoded once and decoded by the taker: a message is a copy, as on a
        # real bus, and what cannot be serialized fails here, at the sender.
        payload = (_encode(ctxt), _encode(message))
        _Envelope(self._broker, address, fairness.flow_of(message), payload,
                  reply).deliver()

    def listen(self, target, batch_size, batch_timeout):
        exchange = target.exchange or self._default_exchange
        subscriptions = [(exchange, target.topic, target.server, None)]
        if target.server is not None:
            subscriptions.append((exchange, target.topic, None, None))
        return base.PollStyleListenerAdapter(
            _Listener(self._broker, subscriptions), batch_size, batch_timeout)

    def listen_for_notifications(self, targets_and_priorities, pool,
                                 batch_size, batch_timeout):
        subscriptions = [
            (target.exchange or self._default_exchange,
             '%s.%s' % (target.topic, priority), None, pool)
            for target, priority in targets_and_priorities]
        return base.PollStyleListenerAdapter(
            _Listener(self._broker, subscriptions), batch_size, batch_timeout)

    def cleanup(self):
        """The broker outlives a transport, as a real one would."""


def reset() -> None:
    """Forget every queue of every virtual host (for tests)."""
    with _brokers_lock:
        _brokers.clear()
