"""Stack names: Heat's rule on every way a new stack is named.

A name is checked where it enters (the API and the engine's create_stack),
never where a stored stack is looked up, so a stack stored under a name the
rule now refuses can still be shown and deleted by id.
"""

import testtools

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
