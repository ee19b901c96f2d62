"""map_merge, map_replace, repeat, filter, list_concat(_unique), contains,
Fn::Select."""

from convergence.template import UNRESOLVED
from convergence.tests.unit.template import base


class MapMergeTest(base.TemplateTestCase):

    def test_later_maps_win(self):
        self.assertEqual({'a': 1, 'b': 3, 'c': 4}, self.resolve(
            {'map_merge': [{'a': 1, 'b': 2}, {'b': 3}, None, {'c': 4}]}))

    def test_items_must_be_maps(self):
        self.assertFails('Incorrect arguments: Items to merge must be maps.',
                         {'map_merge': [{'a': 1}, ['b']]})

    def test_arguments_must_be_a_list(self):
        self.assertFails('Incorrect arguments to "map_merge" should be:',
                         {'map_merge': {'a': 1}})

    def test_merges_parameter_values(self):
        self.assertEqual({'a': 1, 'b': 2}, self.resolve(
            {'map_merge': [{'get_param': 'j'}, {'b': 2}]},
            parameters={'j': {'type': 'json', 'default': {'a': 1}}}))


class MapReplaceTest(base.TemplateTestCase):

    def test_keys_and_values(self):
        self.assertEqual({'K1': 'v1', 'k2': 'V2'}, self.resolve(
            {'map_replace': [{'k1': 'v1', 'k2': 'v2'},
                             {'keys': {'k1': 'K1'},
                              'values': {'v2': 'V2'}}]}))

    def test_unhashable_values_are_kept(self):
        self.assertEqual({'k': [1]}, self.resolve(
            {'map_replace': [{'k': [1]}, {'values': {'x': 'y'}}]}))

    def test_key_collision_with_input(self):
        self.assertFails('key replacement b collides with a key in the input '
                         'map', {'map_replace': [{'a': 1, 'b': 2},
                                                 {'keys': {'a': 'b'}}]})

    def test_key_collision_in_output(self):
        self.assertFails('key replacement c collides with a key in the '
                         'output map', {'map_replace': [
                             {'a': 1, 'b': 2}, {'keys': {'a': 'c',
                                                         'b': 'c'}}]})

    def test_unknown_replacement_key(self):
        self.assertFails('Incorrect arguments to "map_replace" should be:',
                         {'map_replace': [{'a': 1}, {'other': {}}]})

    def test_wrong_shape(self):
        self.assertFails('Incorrect arguments to "map_replace" should be:',
                         {'map_replace': [{'a': 1}]})
        self.assertFails('arguments must be a list of maps',
                         {'map_replace': [['a'], {}]})


class RepeatTest(base.TemplateTestCase):

    def test_list(self):
        self.assertEqual([{'port': '80'}, {'port': '443'}], self.resolve(
            {'repeat': {'template': {'port': '%p%'},
                        'for_each': {'%p%': ['80', '443']}}}))

    def test_all_combinations(self):
        self.assertEqual(['a1', 'a2', 'b1', 'b2'], self.resolve(
            {'repeat': {'template': '%x%%y%',
                        'for_each': {'%x%': ['a', 'b'], '%y%': ['1', '2']}}}))

    def test_keys_are_replaced_too(self):
        self.assertEqual([{'k-a': 'v-a'}], self.resolve(
            {'repeat': {'template': {'k-%x%': 'v-%x%'},
                        'for_each': {'%x%': ['a']}}}))

    def test_pairwise_without_permutations(self):
        self.assertEqual(['a1', 'b2'], self.resolve(
            {'repeat': {'template': '%x%%y%', 'permutations': False,
                        'for_each': {'%x%': ['a', 'b'], '%y%': ['1', '2']}}}))

    def test_pairwise_needs_equal_lengths(self):
        self.assertFails('For repeat, the length of for_each values should be '
                         'equal if no nested loop.',
                         {'repeat': {'template': 'x', 'permutations': False,
                                     'for_each': {'a': ['1'],
                                                  'b': ['1', '2']}}})

    def test_pairwise_needs_lists(self):
        self.assertFails('must be lists',
                         {'repeat': {'template': 'x', 'permutations': False,
                                     'for_each': {'a': {'k': 1}}}})

    def test_permutations_must_be_boolean(self):
        self.assertFails('"permutations" should be boolean type for repeat',
                         {'repeat': {'template': 'x', 'permutations': 'no',
                                     'for_each': {'a': ['1']}}})

    def test_permutations_unknown_before_2017_09_01(self):
        self.assertEqual(['a1', 'a2', 'b1', 'b2'], self.resolve(
            {'repeat': {'template': '%x%%y%', 'permutations': False,
                        'for_each': {'%x%': ['a', 'b'], '%y%': ['1', '2']}}},
            version='2017-02-24'))

    def test_list_from_parameter(self):
        self.assertEqual(['<a>', '<b>'], self.resolve(
            {'repeat': {'template': '<%x%>',
                        'for_each': {'%x%': {'get_param': 'l'}}}},
            parameters={'l': {'type': 'comma_delimited_list',
                              'default': 'a,b'}}))

    def test_none_list_gives_nothing(self):
        self.assertEqual([], self.resolve(
            {'repeat': {'template': 'x', 'for_each': {'x': None}}}))

    def test_syntax(self):
        self.assertFails('"repeat" syntax should be',
                         {'repeat': {'template': 'x'}})
        self.assertFails('Arguments to "repeat" must be a map',
                         {'repeat': ['x']})
        self.assertFails('The "for_each" argument to "repeat" must contain a '
                         'map', {'repeat': {'template': 'x', 'for_each': []}})
        self.assertFails('The values of the "for_each" argument to "repeat" '
                         'must be lists or maps',
                         {'repeat': {'template': 'x', 'for_each': {'x': 'a'}}})
        self.assertFails('must not be empty',
                         {'repeat': {'template': 'x', 'for_each': {}}})

    def test_unresolved_list(self):
        self.assertIs(UNRESOLVED, self.resolve(
            {'repeat': {'template': 'x',
                        'for_each': {'x': {'get_attr': ['o', 'l']}}}},
            others=['o']))


class FilterTest(base.TemplateTestCase):

    def test_filter(self):
        self.assertEqual([1, 3], self.resolve({'filter': [[2], [1, 2, 3, 2]]}))

    def test_empty_values_keep_the_list(self):
        self.assertEqual([1], self.resolve({'filter': [None, [1]]}))

    def test_empty_list(self):
        self.assertEqual([], self.resolve({'filter': [[1], []]}))

    def test_errors(self):
        self.assertFails('Argument to "filter" must be a list',
                         {'filter': 'x'})
        self.assertFails('"filter" expected 2 arguments of the form [values, '
                         'sequence] but got 1 arguments instead',
                         {'filter': [[1]]})
        self.assertFails('"filter" only works with lists',
                         {'filter': [[1], 'abc']})
        self.assertFails('"filter" filters a list of values',
                         {'filter': ['a', ['a']]})


class ListConcatTest(base.TemplateTestCase):

    def test_concat(self):
        self.assertEqual([1, 2, 2, 3], self.resolve(
            {'list_concat': [[1, 2], None, [2, 3]]}))

    def test_unique(self):
        self.assertEqual([1, 2, {'a': 1}], self.resolve(
            {'list_concat_unique': [[1, 2, {'a': 1}], [2, {'a': 1}]]}))

    def test_errors(self):
        self.assertFails('Incorrect arguments to "list_concat" should be:',
                         {'list_concat': 'ab'})
        self.assertFails('Items to concat must be lists. [[1], "x"] contains '
                         'an item that is not a list: "x"',
                         {'list_concat': [[1], 'x']})


class ContainsTest(base.TemplateTestCase):

    def test_contains(self):
        self.assertEqual([True, False, True], self.resolve([
            {'contains': ['a', ['a', 'b']]}, {'contains': ['c', ['a']]},
            {'contains': ['b', 'abc']}]))

    def test_errors(self):
        self.assertFails('Incorrect arguments to "contains" should be:',
                         {'contains': 'a'})
        self.assertFails('Arguments to "contains" must be of the form',
                         {'contains': ['a']})
        self.assertFails('Second argument to "contains" should be a sequence.',
                         {'contains': ['a', 5]})


class SelectTest(base.TemplateTestCase):

    def resolve13(self, args):
        return self.resolve({'Fn::Select': args}, version='2013-05-23')

    def test_list_and_map(self):
        self.assertEqual('b', self.resolve13(['1', ['a', 'b']]))
        self.assertEqual('v', self.resolve13(['k', {'k': 'v'}]))

    def test_missing_gives_empty_string(self):
        self.assertEqual('', self.resolve13([5, ['a']]))
        self.assertEqual('', self.resolve13(['x', {'k': 'v'}]))
        self.assertEqual('', self.resolve13([0, '']))

    def test_json_text(self):
        self.assertEqual('b', self.resolve13([1, '["a", "b"]']))

    def test_errors(self):
        self.assertFails('Arguments to "Fn::Select" must be of the form',
                         {'Fn::Select': [1]}, version='2013-05-23')
        self.assertFails('Index to "Fn::Select" must be an integer',
                         {'Fn::Select': ['x', ['a']]}, version='2013-05-23')
        self.assertFails('Index to "Fn::Select" must be a string',
                         {'Fn::Select': [1, {'k': 'v'}]},
                         version='2013-05-23')
