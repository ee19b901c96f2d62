"""Delivering a result: retried while it may still land, final once the
server answers."""

import testtools

from convergence.agent import protocol
from convergence.agent import signals
from convergence.agent import webclient

TARGET = protocol.SignalTarget('TEMP_URL_SIGNAL', 'http://h/sig', 'PUT')


class ScriptedServer:
    """A sender answering from a script: an int is an HTTP status, an
    exception is raised; it records what it was sent."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = []

    def __call__(self, target, body):
        self.sent.append((target, body))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return webclient.described(target.verb, target.url, (
            answer, {}, b'answer %d' % answer))


class DeliverTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.pauses = []

    def deliver(self, server, attempts=signals.ATTEMPTS):
        return signals.deliver(TARGET, b'{}', send=server, attempts=attempts,
                               sleep=self.pauses.append)

    def test_a_signal_that_lands_at_once(self):
        server = ScriptedServer(200)
        self.assertEqual(
            signals.Delivery(signals.LANDED,
                             'PUT http://h/sig: HTTP 200 answer 200', 1),
            self.deliver(server))
        self.assertEqual([(TARGET, b'{}')], server.sent)
        self.assertEqual([], self.pauses)

    def test_connection_errors_and_5xx_are_retried_with_backoff(self):
        down = webclient.RetryableError('connection refused')
        server = ScriptedServer(down, down, down, down, down,
                                webclient.RetryableError('HTTP 503'), 204)
        delivery = self.deliver(server)
        self.assertEqual((signals.LANDED, 7),
                         (delivery.outcome, delivery.attempts))
        self.assertEqual([0.5, 1.0, 2.0, 4.0, 8.0, 8.0], self.pauses)

    def test_a_refusal_is_final(self):
        server = ScriptedServer(404)
        delivery = self.deliver(server)
        self.assertEqual((signals.REFUSED, 1,
                          'PUT http://h/sig: HTTP 404 answer 404'),
                         (delivery.outcome, delivery.attempts,
                          delivery.detail))

    def test_giving_up_leaves_it_undelivered(self):
        server = ScriptedServer(*[webclient.RetryableError('timed out')] * 3)
        delivery = self.deliver(server, attempts=3)
        self.assertEqual((signals.UNDELIVERED, 3), (delivery.outcome,
                                                    delivery.attempts))
        self.assertEqual([0.5, 1.0], self.pauses)

    def test_no_signal_sends_nothing(self):
        server = ScriptedServer()
        delivery = signals.deliver(protocol.SignalTarget('NO_SIGNAL'), b'{}',
                                   send=server)
        self.assertEqual((signals.LANDED, 0), (delivery.outcome,
                                               delivery.attempts))
        self.assertEqual([], server.sent)
