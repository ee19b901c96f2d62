"""Request bodies over max_json_body_size are refused before they are read.

A body announced by Content-Length is refused from the header alone; a
chunked body as soon as it passes the limit.  Either way the server is asked
to close the connection instead of reading the rest.
"""

import webob

from convergence.api import params
from convergence.tests.unit.api import base
from convergence.tests.unit.api.base import T

LIMIT = 1048576


class EndlessBody:
    """A body stream that never ends; counts what was read of it."""

    def __init__(self, start: bytes = b'{"stack_name": "') -> None:
        self.start = start
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        assert size > 0, 'the whole body was asked for'
        chunk = (self.start + b'x' * size)[:size]
        self.start = b''
        self.read_bytes += len(chunk)
        return chunk


class BodyLimitTest(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.closed = []

    def _post(self, stream, headers: dict):
        req = webob.Request.blank(T + '/stacks', method='POST', headers=dict(
            {'Content-Type': 'application/json', 'Host': base.HOST},
            **headers))
        req.environ['wsgi.input'] = stream
        req.environ[params.CLOSE_CONNECTION] = lambda: self.closed.append(1)
        return req.get_response(self.app)

    def test_content_length_over_the_limit_reads_nothing(self):
        stream = EndlessBody()
        resp = self._post(stream, {'Content-Length': '300000000'})
        self.assertFault(
            resp, 400, 'RequestLimitExceeded',
            'Request limit exceeded: JSON body size (300000000 bytes) '
            'exceeds maximum allowed size (%d bytes).' % LIMIT)
        self.assertEqual(0, stream.read_bytes)
        self.assertEqual([1], self.closed)

    def test_chunked_body_is_refused_once_past_the_limit(self):
        stream = EndlessBody()
        resp = self._post(stream, {'Transfer-Encoding': 'chunked'})
        self.assertFault(
            resp, 400, 'RequestLimitExceeded',
            'Request limit exceeded: JSON body size (more than %d bytes) '
            'exceeds maximum allowed size (%d bytes).' % (LIMIT, LIMIT))
        self.assertEqual(LIMIT + 1, stream.read_bytes)
        self.assertEqual([1], self.closed)

    def test_chunked_body_within_the_limit_is_read(self):
        body = b'{"stack_name": "s1", "template": %s}' % (
            base.json.dumps(base.TEMPLATE).encode())
        resp = self._post(_Stream(body), {'Transfer-Encoding': 'chunked'})
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual([], self.closed)

    def test_body_at_the_limit_is_read(self):
        body = b'{"a": "%s"}' % (b"x" * (LIMIT - 9))
        req = webob.Request.blank(T + '/validate', method='POST')
        req.body = body
        self.assertEqual(LIMIT, len(body))
        self.assertEqual({"a": "x" * (LIMIT - 9)},
                         params.read_json_body(req, LIMIT))


class _Stream:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int) -> bytes:
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk
