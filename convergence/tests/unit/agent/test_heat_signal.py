"""HEAT_SIGNAL: a Keystone v3 token for the deployment's credentials, the
orchestration endpoint of its catalog, the resource's signal URL."""

import json

import testtools

from convergence.agent import heat_signal
from convergence.agent import protocol
from convergence.agent import signals
from convergence.agent import webclient

AUTH = {'auth_url': 'http://ks:5000/v3/', 'user_id': 'uid', 'password': 'pw',
        'project_id': 'proj', 'stack_id': 'my stack/1234',
        'resource_name': 'deploy one', 'region_name': None}
CATALOG = [
    {'type': 'identity', 'endpoints': [
        {'interface': 'public', 'region_id': 'R1', 'url': 'http://ks'}]},
    {'type': 'orchestration', 'endpoints': [
        {'interface': 'internal', 'region_id': 'R1', 'url': 'http://int'},
        {'interface': 'public', 'region_id': 'R1',
         'url': 'http://heat/v1/proj'},
        {'interface': 'public', 'region_id': 'R2',
         'url': 'http://heat2/v1/proj/'}]}]


class Cloud:
    """Keystone and Heat as a Request: answers in turn, requests recorded."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def __call__(self, method, url, body, headers):
        self.requests.append((method, url, body, dict(headers)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def token(catalog=CATALOG, status=201):
    return (status, {'X-Subject-Token': 'tok'},
            json.dumps({'token': {'catalog': catalog}}).encode())


class TokenRequestTest(testtools.TestCase):

    def test_password_auth_scoped_to_the_project(self):
        url, body = heat_signal.token_request(AUTH)
        self.assertEqual('http://ks:5000/v3/auth/tokens', url)
        self.assertEqual({'auth': {
            'identity': {'methods': ['password'], 'password': {
                'user': {'id': 'uid', 'password': 'pw'}}},
            'scope': {'project': {'id': 'proj'}}}}, json.loads(body))

    def test_an_unversioned_auth_url_gets_v3(self):
        self.assertEqual('http://ks:5000/v3/auth/tokens',
                         heat_signal.token_request(dict(
                             AUTH, auth_url='http://ks:5000'))[0])


class EndpointTest(testtools.TestCase):

    def test_the_public_orchestration_endpoint(self):
        self.assertEqual('http://heat/v1/proj',
                         heat_signal.orchestration_endpoint(CATALOG, None))

    def test_in_the_region_given(self):
        self.assertEqual('http://heat2/v1/proj/',
                         heat_signal.orchestration_endpoint(CATALOG, 'R2'))

    def test_none_is_named(self):
        e = self.assertRaises(webclient.Refused,
                              heat_signal.orchestration_endpoint, CATALOG,
                              'R3')
        self.assertEqual('the token\'s catalog has no public orchestration '
                         'endpoint in region R3', str(e))

    def test_the_signal_url_of_a_stack_path(self):
        self.assertEqual(
            'http://heat2/v1/proj/stacks/my%20stack/1234/resources/'
            'deploy%20one/signal',
            heat_signal.signal_url('http://heat2/v1/proj/', 'my stack/1234',
                                   'deploy one'))


class SendTest(testtools.TestCase):

    def test_a_token_then_the_signal_with_it(self):
        cloud = Cloud(token(), (200, {}, b''))
        detail = heat_signal.send(AUTH, b'{"deploy_status_code": 0}', cloud)
        [(_, token_url, _, _), signal] = cloud.requests
        self.assertEqual('http://ks:5000/v3/auth/tokens', token_url)
        url = ('http://heat/v1/proj/stacks/my%20stack/1234/resources/'
               'deploy%20one/signal')
        self.assertEqual(('POST', url, b'{"deploy_status_code": 0}'),
                         signal[:3])
        self.assertEqual('tok', signal[3]['X-Auth-Token'])
        self.assertEqual('POST %s: HTTP 200' % url, detail)

    def test_bad_credentials_are_refused(self):
        cloud = Cloud((401, {}, b'{"error": {"code": 401}}'))
        e = self.assertRaises(webclient.Refused, heat_signal.send, AUTH,
                              b'{}', cloud)
        self.assertEqual('POST http://ks:5000/v3/auth/tokens: HTTP 401 '
                         '{"error": {"code": 401}}', str(e))
        self.assertNotIn('pw', str(e))

    def test_a_catalog_without_heat_is_refused(self):
        e = self.assertRaises(webclient.Refused, heat_signal.send, AUTH,
                              b'{}', Cloud(token(CATALOG[:1])))
        self.assertIn('no public orchestration endpoint', str(e))

    def test_a_refused_signal(self):
        e = self.assertRaises(webclient.Refused, heat_signal.send, AUTH,
                              b'{}', Cloud(token(), (404, {}, b'gone')))
        self.assertIn('HTTP 404 gone', str(e))

    def test_heat_down_is_retryable(self):
        self.assertRaises(webclient.RetryableError, heat_signal.send, AUTH,
                          b'{}', Cloud(token(), webclient.RetryableError(
                              'HTTP 503')))


class SendOnceTest(testtools.TestCase):

    def test_a_url_transport_is_one_request(self):
        cloud = Cloud((204, {}, b''))
        target = protocol.SignalTarget('TEMP_URL_SIGNAL', 'http://s/1', 'PUT')
        self.assertEqual('PUT http://s/1: HTTP 204',
                         signals.send_once(target, b'{}', cloud))
        self.assertEqual([('PUT', 'http://s/1', b'{}',
                           webclient.JSON_HEADERS)], cloud.requests)

    def test_heat_signal_goes_through_keystone(self):
        cloud = Cloud(token(), (200, {}, b''))
        target = protocol.SignalTarget('HEAT_SIGNAL', verb='POST', auth=AUTH)
        signals.send_once(target, b'{}', cloud)
        self.assertEqual(2, len(cloud.requests))
