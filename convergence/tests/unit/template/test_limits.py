"""Small templates that stand for huge values are refused before they grow.

Given functions whose results would pass ``limits.MAX_VALUE_BYTES``, when
they are resolved, then RequestLimitExceeded names the function's place,
and values within the limit resolve as before.
"""

from convergence import exceptions
from convergence.template import limits
from convergence.tests.unit.template import base

LIMIT = limits.MAX_VALUE_BYTES
TOO_LARGE = exceptions.RequestLimitExceeded


def _items(count: int) -> list[str]:
    return ['item%d' % i for i in range(count)]


class SizeOfTest(base.TemplateTestCase):

    def test_about_the_json_length(self):
        self.assertEqual(len('abc') + 3, limits.size_of('abc'))
        self.assertLess(limits.size_of({'k': ['x' * 100]}), 120)

    def test_stops_past_the_limit(self):
        self.assertIsNone(limits.size_of(['x' * 10] * 10, limit=50))

    def test_deep_values_are_measured(self):
        deep = []
        for _ in range(10000):
            deep = [deep]
        self.assertEqual(20002, limits.size_of(deep))


class NestingTest(base.TemplateTestCase):

    def test_deeper_than_the_limit(self):
        deep = 'x'
        for _ in range(limits.MAX_NESTING + 1):
            deep = [deep]
        self.assertTrue(limits.nested_too_deeply(deep))
        self.assertFalse(limits.nested_too_deeply(deep[0]))

    def test_wide_is_not_deep(self):
        self.assertFalse(limits.nested_too_deeply([[1]] * 10000))


class RepeatLimitTest(base.TemplateTestCase):

    def test_nested_loops_past_the_limit_are_refused_at_once(self):
        # 1,000 ** 3 copies: a billion, counted before one is built
        self.assertFails('properties.v.repeat', {'repeat': {
            'template': 'x', 'for_each': {
                '%a%': _items(1000), '%b%': _items(1000),
                '%c%': _items(1000)}}}, TOO_LARGE)

    def test_copies_grown_by_their_values_are_refused(self):
        big = 'y' * 20000
        self.assertFails('would be larger than %d bytes' % LIMIT,
                         {'repeat': {'template': '%v%', 'for_each': {
                             '%v%': [big] * 100}}}, TOO_LARGE)

    def test_a_repeat_of_repeats_is_bounded_too(self):
        inner = {'repeat': {'template': 'abcdefgh%i%',
                            'for_each': {'%i%': _items(5000)}}}
        outer = {'repeat': {'template': {'list': inner},
                            'for_each': {'%o%': _items(100)}}}
        self.assertFails('repeat', outer, TOO_LARGE)

    def test_within_the_limit(self):
        self.assertEqual(1000, len(self.resolve({'repeat': {
            'template': '%i%', 'for_each': {'%i%': _items(1000)}}})))


class StrReplaceLimitTest(base.TemplateTestCase):

    def test_a_long_value_at_many_places_is_refused(self):
        self.assertFails('properties.v.str_replace', {'str_replace': {
            'template': '$v ' * 8000, 'params': {'$v': 'z' * 8000}}},
            TOO_LARGE)

    def test_values_of_two_placeholders_add_up(self):
        self.assertFails('str_replace', {'str_replace': {
            'template': 'ab' * 1000,
            'params': {'a': 'x' * 600, 'b': 'y' * 600}}}, TOO_LARGE)

    def test_thousands_of_placeholders(self):
        params = {'$k%04d' % i: 'v' for i in range(5000)}
        self.assertEqual('v v', self.resolve({'str_replace': {
            'template': '$k0001 $k4999', 'params': params}}))

    def test_a_longer_placeholder_wins_and_inserts_are_not_searched(self):
        self.assertEqual('aV1', self.resolve({'str_replace': {
            'template': 'abcd', 'params': {'bcd': 'V1', 'ab': 'V2', 'V': '!'}}}))

    def test_within_the_limit(self):
        self.assertEqual('x-y', self.resolve({'str_replace': {
            'template': 'a-b', 'params': {'a': 'x', 'b': 'y'}}}))


class ListJoinLimitTest(base.TemplateTestCase):

    def test_a_long_delimiter_is_refused(self):
        self.assertFails('properties.v.list_join', {'list_join': [
            'd' * 10000, _items(200)]}, TOO_LARGE)

    def test_within_the_limit(self):
        self.assertEqual('a,b', self.resolve({'list_join': [',',
                                                            ['a', 'b']]}))


class PropertiesAndOutputsLimitTest(base.TemplateTestCase):

    def test_properties_of_many_large_values_are_refused(self):
        half = {'str_replace': {'template': 'x' * 1000,
                                'params': {'x': 'y' * 500}}}
        self.assertFails('resources.r.properties', {'l': [half] * 3},
                         TOO_LARGE)

    def test_an_output_too_large_fails_validation(self):
        stack = base.definition({
            'heat_template_version': base.LATEST,
            'resources': {'r': {'type': 'OS::Heat::None'}},
            'outputs': {'o': {'value': {'repeat': {
                'template': 'x' * 1000,
                'for_each': {'%a%': _items(100), '%b%': _items(100)}}}}}})
        err = self.assertRaises(TOO_LARGE, stack.validate)
        self.assertIn('outputs.o', str(err))

    def test_other_output_errors_wait_until_the_output_is_read(self):
        stack = base.definition({
            'heat_template_version': base.LATEST,
            'resources': {'r': {'type': 'OS::Heat::None'}},
            'outputs': {'o': {'value': {'str_split': [',', 'a,b', 5]}}}})
        stack.validate()
        self.assertRaises(exceptions.StackValidationFailed,
                          stack.resolve_output, 'o', None)
