"""A body over max_json_body_size is refused before the server reads it.

Against a real ``convergence-all``: a POST announcing 300 MB by
Content-Length is answered 400 RequestLimitExceeded (Heat's answer) from
its headers alone, and a chunked body as soon as it passes the limit; the
connection is then closed, not drained.  The server's peak resident memory
(VmHWM) must not grow by the body's size.  The figures are printed.
"""

import json
import socket

import testtools

from functional_tests import server as server_mod
from functional_tests.hostile import base

BIG = 300 * 1024 * 1024
LIMIT = 1048576
# Chunked bytes sent past the limit before waiting for the answer.
OVERSHOOT = 256 * 1024
CHUNK = 64 * 1024
# Megabytes the server's peak memory may grow by while refusing.
GROWTH_LIMIT_MB = 50


def _headers(port: int, extra: str) -> bytes:
    return ('POST /v1/%s/stacks HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n'
            'Content-Type: application/json\r\n%s\r\n'
            % (server_mod.TENANT, port, extra)).encode()


def _response(sock: socket.socket) -> tuple[int, dict]:
    """(status, JSON body) read to the end of the connection, so a server
    that does not close it fails the test with a socket timeout."""
    data = b''
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break  # closed with our unread bytes in its buffer
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b'\r\n\r\n')
    return int(head.split(b' ')[1]), json.loads(body)


class BodyLimitTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(server_mod.ServerFixture())
        self.pid = self.server.process.pid

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(('127.0.0.1', self.server.port),
                                        timeout=10)
        self.addCleanup(sock.close)
        return sock

    def assertRefused(self, sock, size_text: str) -> None:
        status, body = _response(sock)
        self.assertEqual(400, status)
        self.assertEqual('RequestLimitExceeded', body['error']['type'])
        self.assertEqual(
            'Request limit exceeded: JSON body size (%s bytes) exceeds '
            'maximum allowed size (%d bytes).' % (size_text, LIMIT),
            body['error']['message'])

    def test_content_length_over_the_limit_is_refused_unread(self):
        before = base.peak_rss_mb(self.pid)
        sock = self._connect()
        sock.sendall(_headers(self.server.port,
                              'Content-Length: %d\r\n' % BIG))
        self.assertRefused(sock, str(BIG))
        after = base.peak_rss_mb(self.pid)
        print('\nContent-Length %d: peak RSS %.1f MB -> %.1f MB'
              % (BIG, before, after))
        self.assertLess(after - before, GROWTH_LIMIT_MB)
        self.assertTrue(self.server.answers())

    def test_chunked_body_is_refused_once_past_the_limit(self):
        before = base.peak_rss_mb(self.pid)
        sock = self._connect()
        sock.sendall(_headers(self.server.port,
                              'Transfer-Encoding: chunked\r\n'))
        chunk = b'%x\r\n%s\r\n' % (CHUNK, b'{' + b' ' * (CHUNK - 1))
        for _ in range((LIMIT + OVERSHOOT) // CHUNK):
            sock.sendall(chunk)
        self.assertRefused(sock, 'more than %d' % LIMIT)
        after = base.peak_rss_mb(self.pid)
        print('\nchunked body: peak RSS %.1f MB -> %.1f MB' % (before, after))
        self.assertLess(after - before, GROWTH_LIMIT_MB)
        self.assertTrue(self.server.answers())
