"""Stack names: Heat's rule on every way a new stack is named.

A name is checked where it enters (the API and the engine's create_stack),
never where a stored stack is looked up, so a stack stored under a name the
rule now refuses can still be shown and deleted by id.
"""

from urllib import parse

import testtools
import webob

from convergence import exceptions
from convergence import stack_names
from convergence.tests.scenarios import framework
from convergence.tests.unit.api import base
from convergence.tests.unit.api.base import T

HEAT_MESSAGE = ('Invalid stack name %s must contain only alphanumeric or '
                '"_-." characters, must start with alpha and must be 255 '
                'characters or less.')
REFUSED = ['', '/', 'a/b', '.', '..', 'a\x00b', '\x00', 'caf\u00e9',
           'ab\u202ecd', '1abc', '-a', '_a', 'a b', 'a\n', 'a' * 256,
           'arn:openstack:heat::admin:stacks/s/1', 'a:b', 'a%2Fb']
ACCEPTED = ['a', 'A-b_c.d', 'a' * 255, 'a..', 'x1.2-3_4']
NOT_STRINGS = [['a'], {'a': 1}, None, 7, True]


class RuleTest(testtools.TestCase):

    def test_heats_names_are_accepted(self):
        for name in ACCEPTED:
            self.assertEqual(name, stack_names.validate(name))

    def test_hostile_names_are_refused_with_heats_message(self):
        for name in REFUSED:
            err = self.assertRaises(exceptions.StackValidationFailed,
                                    stack_names.validate, name)
            self.assertEqual(HEAT_MESSAGE % name, err.message, repr(name))

    def test_a_name_that_is_no_string_is_refused(self):
        for name in NOT_STRINGS:
            err = self.assertRaises(exceptions.StackValidationFailed,
                                    stack_names.validate, name)
            self.assertEqual('Invalid stack name %s, must be a string'
                             % (name,), err.message)


class ApiTest(base.ApiTestCase):

    def _post(self, path: str, name) -> object:
        return self.request('POST', T + path, {
            'stack_name': name, 'template': base.TEMPLATE})

    def test_create_and_preview_refuse_with_400_before_the_engine(self):
        for path in ('/stacks', '/stacks/preview'):
            for name in REFUSED + NOT_STRINGS:
                body = self.assertFault(self._post(path, name), 400,
                                        'StackValidationFailed')
                self.assertIn('Invalid stack name', body['error']['message'])
        self.assertEqual([], self.engine.calls)

    def test_create_accepts_heats_names(self):
        for name in ACCEPTED:
            self.assertEqual(201, self._post('/stacks', name).status_int)


class EngineTest(testtools.TestCase):
    """Given the engine behind some other API (a real heat-api)."""

    def test_create_stack_refuses_a_bad_name_and_stores_nothing(self):
        scenario = framework.Scenario(self)
        template = framework.Template({}).to_hot()
        for name in ('a/b', '..', 'a' * 256, ['a']):
            self.assertRaises(
                exceptions.StackValidationFailed,
                scenario.engine_service.create_stack, scenario.context, name,
                template, {'parameters': {}}, {}, {})
        self.assertEqual([], scenario.db.stack_list('test'))


class StoredNameTest(base.ApiTestCase):
    """Given stacks stored under names the rule now refuses."""

    STORED = ['a/b', '', '.', '..', 'a\x00b', 'caf\u00e9', 'ab\u202ecd',
              'a' * 300, 'arn:openstack:heat::admin:stacks/x/y', 'a%2Fb']

    def _stored(self, name: str) -> str:
        path = self.create('s%d' % len(self.engine.stacks))
        stack_id = path.rsplit('/', 1)[1]
        self.engine.stacks[stack_id]['name'] = name
        return stack_id

    def _as_sent(self, method: str, url: str):
        """The request eventlet hands over for ``url`` as a client sends it:
        RAW_PATH_INFO as on the wire, PATH_INFO unquoted."""
        raw = url[len(base.BASE):]
        req = webob.Request.blank('/', method=method, headers={
            'Host': base.HOST, 'Accept': 'application/json'})
        req.environ['RAW_PATH_INFO'] = raw
        req.environ['PATH_INFO'] = parse.unquote(raw, encoding='latin1')
        return req.get_response(self.app)

    def test_looked_up_by_id_shown_and_deleted(self):
        for name in self.STORED:
            stack_id = self._stored(name)
            found = self.request('GET', T + '/stacks/' + stack_id)
            self.assertEqual(302, found.status_int, repr(name))
            shown = self._as_sent('GET', found.location)
            self.assertEqual(200, shown.status_int, (name, shown.body))
            self.assertEqual(name, shown.json['stack']['stack_name'])
            self.assertEqual(stack_id, shown.json['stack']['id'])
            self.assertEqual(
                204, self._as_sent('DELETE', found.location).status_int)

    def test_dot_names_are_quoted_so_clients_keep_them(self):
        for name in ('.', '..'):
            found = self.request('GET', T + '/stacks/' + self._stored(name))
            self.assertIn('/stacks/%s/' % name.replace('.', '%2E'),
                          found.location)

    def test_an_arn_sent_quoted_is_still_an_arn(self):
        path = self.create()
        stack_id = path.rsplit('/', 1)[1]
        arn = parse.quote('arn:openstack:heat::admin:stacks/s1/%s'
                          % stack_id, '')
        found = self._as_sent('GET', base.BASE + T + '/stacks/' + arn)
        self.assertEqual(302, found.status_int)
        self.assertEqual(base.BASE + path, found.location)

    def test_a_raw_path_naming_another_path_is_not_routed(self):
        """Mounted under a prefix, RAW_PATH_INFO has it and PATH_INFO not:
        the route is PATH_INFO's."""
        path = self.create()
        req = webob.Request.blank(path, headers={
            'Host': base.HOST, 'Accept': 'application/json'})
        req.environ['RAW_PATH_INFO'] = '/orchestration' + path
        self.assertEqual(200, req.get_response(self.app).status_int)
