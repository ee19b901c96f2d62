"""Stacks stored under names the API now refuses stay reachable by id.

Against a real ``convergence-all``: a stack's name is rewritten in its
database to one a client may no longer create (``a/b``, ``..``, ``""``,
NUL, non-ASCII, an ARN ...).  ``GET /stacks/<id>`` must redirect to a link
that shows that stack and deletes it, sent as is (http.client changes
nothing in a path).
"""

import http.client
import json
import sqlite3
import time

import testtools

from functional_tests import server as server_mod

STORED = ['a/b', '', '.', '..', 'a\x00b', 'caf\u00e9', 'ab\u202ecd',
          'a' * 300, 'arn:openstack:heat::admin:stacks/x/y']
EMPTY = {'heat_template_version': '2015-10-15', 'resources': {}}
# Seconds an empty stack may take to be created.
CREATE_TIMEOUT = 30


class StoredNameTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(server_mod.ServerFixture())
        self.prefix = '/v1/%s' % server_mod.TENANT

    def _request(self, method: str, path: str, body=None):
        conn = http.client.HTTPConnection('127.0.0.1', self.server.port,
                                          timeout=10)
        self.addCleanup(conn.close)
        conn.request(method, path, body=None if body is None else
                     json.dumps(body), headers={
                         'Content-Type': 'application/json',
                         'Accept': 'application/json'})
        resp = conn.getresponse()
        data = resp.read()
        return resp, json.loads(data) if data else None

    def _created(self, name: str) -> str:
        resp, body = self._request('POST', self.prefix + '/stacks',
                                   {'stack_name': name, 'template': EMPTY})
        self.assertEqual(201, resp.status, body)
        stack_id = body['stack']['id']
        path = '%s/stacks/%s/%s' % (self.prefix, name, stack_id)
        deadline = time.monotonic() + CREATE_TIMEOUT
        while self._request('GET', path)[1]['stack']['stack_status'] != \
                'CREATE_COMPLETE':
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.2)
        return stack_id

    def _rename_in_database(self, stack_id: str, name: str) -> None:
        path = self.server.database_url[len('sqlite:///'):]
        with sqlite3.connect(path) as db:
            db.execute('UPDATE stack SET name = ? WHERE id = ?',
                       (name, stack_id))

    def test_shown_and_deleted_by_id(self):
        for index, name in enumerate(STORED):
            stack_id = self._created('stored%d' % index)
            self._rename_in_database(stack_id, name)
            found, _ = self._request('GET', '%s/stacks/%s'
                                     % (self.prefix, stack_id))
            self.assertEqual(302, found.status, repr(name))
            link = found.getheader('Location').split(
                '127.0.0.1:%d' % self.server.port, 1)[1]
            shown, body = self._request('GET', link)
            self.assertEqual(200, shown.status, (name, link, body))
            self.assertEqual((name, stack_id), (body['stack']['stack_name'],
                                                body['stack']['id']))
            deleted, body = self._request('DELETE', link)
            self.assertEqual(204, deleted.status, (name, link, body))
