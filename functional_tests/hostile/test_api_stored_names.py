"""Stacks stored under names the API now refuses stay reachable by id.

Against a real ``convergence-all``: a stack's name is rewritten in its
database to one a client may no longer create (``a/b``, ``..``, ``""``,
NUL, non-ASCII, an ARN ...).  ``GET /stacks/<id>`` must redirect to a link
that shows that stack and deletes it, sent as is (http.client changes
nothing in a path).
"""

import sqlite3

import testtools

from functional_tests import server as server_mod
from functional_tests.hostile import base

STORED = ['a/b', '', '.', '..', 'a\x00b', 'caf\u00e9', 'ab\u202ecd',
          'a' * 300, 'arn:openstack:heat::admin:stacks/x/y']
EMPTY = {'heat_template_version': '2015-10-15', 'resources': {}}


class StoredNameTest(base.RawRequests, testtools.TestCase):

    request_timeout = 10

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(server_mod.ServerFixture())

    def _created(self, name: str) -> str:
        """The id of a new empty stack called ``name``."""
        return self.create_and_wait(name, EMPTY).rsplit('/', 1)[1]

    def _rename_in_database(self, stack_id: str, name: str) -> None:
        path = self.server.database_url[len('sqlite:///'):]
        with sqlite3.connect(path) as db:
            db.execute('UPDATE stack SET name = ? WHERE id = ?',
                       (name, stack_id))

    def test_shown_and_deleted_by_id(self):
        for index, name in enumerate(STORED):
            stack_id = self._created('stored%d' % index)
            self._rename_in_database(stack_id, name)
            found, _ = self.request('GET', '%s/stacks/%s'
                                    % (self.prefix, stack_id))
            self.assertEqual(302, found.status, repr(name))
            link = found.getheader('Location').split(
                '127.0.0.1:%d' % self.server.port, 1)[1]
            shown, body = self.request('GET', link)
            self.assertEqual(200, shown.status, (name, link, body))
            self.assertEqual((name, stack_id), (body['stack']['stack_name'],
                                                body['stack']['id']))
            deleted, body = self.request('DELETE', link)
            self.assertEqual(204, deleted.status, (name, link, body))
