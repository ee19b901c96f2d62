"""SdkIdentity's requests: Keystone's v3 paths and bodies."""

import json

import testtools

from convergence.clients import errors
from convergence.clients import identity


class Answer:

    def __init__(self, status: int, body: dict | None = None):
        self.status_code = status
        self._body = body
        self.text = json.dumps(body) if body is not None else ''

    def json(self):
        return self._body


class RecordingProxy:
    """An identity proxy answering from ``answers`` (url -> Answer)."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.requests: list[tuple] = []

    def request(self, url, method, raise_exc=False, **kwargs):
        self.requests.append((method, url, kwargs.get('json'),
                              kwargs.get('params')))
        return self.answers.get((method, url), Answer(404, {'error': {
            'message': 'Could not find %s.' % url}}))


class SdkIdentityTest(testtools.TestCase):

    def test_a_name_is_looked_up_in_its_domain_after_the_id(self):
        proxy = RecordingProxy({('GET', '/users'): Answer(200, {'users': [
            {'id': 'u1', 'name': 'bob a'}, {'id': 'u2', 'name': 'bobby'}]})})
        found = identity.SdkIdentity(proxy, 0).find('user', 'bob a', 'd1')
        self.assertEqual('u1', found['id'])
        self.assertEqual([('GET', '/users/bob%20a', None, None),
                          ('GET', '/users', None, {'name': 'bob a',
                                                   'domain_id': 'd1'})],
                         proxy.requests)

    def test_grants_and_memberships_use_keystones_paths(self):
        proxy = RecordingProxy({
            ('PUT', '/projects/p/users/u/roles/r'): Answer(204),
            ('PUT', '/groups/g/users/u'): Answer(204)})
        keystone = identity.SdkIdentity(proxy, 0)
        keystone.grant('r', 'user', 'u', 'project', 'p')
        keystone.add_user_to_group('u', 'g')
        self.assertFalse(keystone.revoke('r', 'group', 'g', 'domain', 'd'))
        self.assertEqual(['PUT /projects/p/users/u/roles/r',
                          'PUT /groups/g/users/u',
                          'DELETE /domains/d/groups/g/roles/r'],
                         ['%s %s' % r[:2] for r in proxy.requests])

    def test_keystones_refusal_is_its_message(self):
        proxy = RecordingProxy({('DELETE', '/domains/d'): Answer(403, {
            'error': {'message': 'Cannot delete a domain that is enabled, '
                                 'please disable it first.'}})})
        error = self.assertRaises(errors.Forbidden, identity.SdkIdentity(
            proxy, 0).delete, 'domain', 'd')
        self.assertEqual('Cannot delete a domain that is enabled, please '
                         'disable it first.', str(error))
