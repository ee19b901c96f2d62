"""Drive the WSGI app with webob requests against the in-memory engine."""

import json

import testtools
import webob

from convergence.api import make_app
from convergence.tests.unit.api import fakes

HOST = 'heat.example:8004'
BASE = 'http://%s' % HOST
T = '/v1/admin'
TEMPLATE = '''heat_template_version: 2015-10-15
description: anchor
parameters:
  foo: {type: string, default: x}
resources:
  test1: {type: OS::Heat::TestResource}
  test2: {type: OS::Heat::TestResource, depends_on: [test1]}
outputs:
  out1: {value: one, description: the value}
'''


class ApiTestCase(testtools.TestCase):
    """Given an empty engine twin and the app over it."""

    conf = None

    def setUp(self):
        super().setUp()
        self.engine = fakes.FakeEngine()
        self.app = make_app(self.engine, self.conf)

    def request(self, method: str, path: str, body=None,
                headers: dict | None = None) -> webob.Response:
        all_headers = {'Accept': 'application/json',
                       'Content-Type': 'application/json', 'Host': HOST,
                       'X-Auth-Token': 'anything'}
        all_headers.update(headers or {})
        req = webob.Request.blank(path, method=method, headers=all_headers)
        if body is not None:
            req.body = body if isinstance(body, bytes) else \
                json.dumps(body).encode()
        return req.get_response(self.app)

    def create(self, name: str = 's1', **extra) -> str:
        """Create a stack; return its canonical path."""
        body = {'stack_name': name, 'template': TEMPLATE,
                'parameters': {'foo': 'one'}}
        body.update(extra)
        resp = self.request('POST', T + '/stacks', body)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.location[len(BASE):]

    def assertFault(self, resp, status: int, error_type: str,
                    message: str | None = None) -> dict:
        """The response is Heat's fault body with this type (and message)."""
        self.assertEqual(status, resp.status_int, resp.body)
        body = resp.json
        self.assertEqual({'code', 'title', 'explanation', 'error'},
                         set(body))
        self.assertEqual(status, body['code'])
        self.assertEqual(error_type, body['error']['type'])
        self.assertIsNone(body['error']['traceback'])
        if message is not None:
            self.assertEqual(message, body['error']['message'])
        return body
