"""The HTTP server's pool: each source address gets a bounded share."""

import socket

import eventlet
from eventlet import event
import testtools

from convergence.api import server


class ClientPoolTest(testtools.TestCase):
    """Given a pool of 10 with a share of 2 connections per address."""

    def setUp(self):
        super().setUp()
        self.pool = server.ClientPool(10, 2)
        self.release = event.Event()
        self.served = []

    def _handler(self, connection):
        self.served.append(connection[0])
        self.release.wait()

    def _connect(self, address) -> socket.socket:
        ours, theirs = socket.socketpair()
        self.addCleanup(ours.close)
        self.addCleanup(theirs.close)
        theirs.settimeout(5)
        self.pool.spawn(self._handler, [address, ours, 0])
        return theirs

    def test_a_client_over_its_share_is_answered_503_and_others_served(self):
        clients = [self._connect(('10.0.0.1', port)) for port in (1, 2, 3)]
        self._connect(('10.0.0.2', 1))
        eventlet.sleep(0)
        self.assertEqual(server.BUSY_RESPONSE, clients[2].recv(1000))
        self.assertEqual([('10.0.0.1', 1), ('10.0.0.1', 2), ('10.0.0.2', 1)],
                         self.served)

    def test_a_share_is_given_back_when_its_connections_end(self):
        for port in (1, 2):
            self._connect(('10.0.0.1', port))
        eventlet.sleep(0)
        self.release.send()
        self.pool.waitall()
        self.assertEqual({}, dict(self.pool.open))
        self.release = event.Event()
        self._connect(('10.0.0.1', 3))
        eventlet.sleep(0)
        self.assertEqual(('10.0.0.1', 3), self.served[-1])
        self.release.send()

    def test_no_share_without_a_per_client_limit(self):
        self.pool = server.ClientPool(10, 0)
        for port in range(5):
            self._connect(('10.0.0.1', port))
        eventlet.sleep(0)
        self.assertEqual(5, len(self.served))
        self.release.send()
