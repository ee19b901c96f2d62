"""list_join, str_replace (plain, strict, very strict), str_split, digest,
make_url."""

import hashlib

from convergence.template import UNRESOLVED
from convergence.tests.unit.template import base


class ListJoinTest(base.TemplateTestCase):

    def test_join(self):
        self.assertEqual('a-b', self.resolve({'list_join': ['-', ['a', 'b']]}))

    def test_several_lists(self):
        self.assertEqual('a,b,c', self.resolve(
            {'list_join': [',', ['a'], ['b', 'c']]}))

    def test_maps_and_lists_become_json(self):
        self.assertEqual('{"k": 1};[2]', self.resolve(
            {'list_join': [';', [{'k': 1}, [2]]]}))

    def test_none_items_are_empty(self):
        self.assertEqual('a,', self.resolve({'list_join': [',', ['a', None]]}))

    def test_empty_and_null_lists(self):
        self.assertEqual('', self.resolve({'list_join': [',', [], None]}))

    def test_numbers_are_rejected(self):
        self.assertFails('Items to join must be string, map or list not 5',
                         {'list_join': [',', ['a', 5]]})

    def test_needs_a_list(self):
        self.assertFails('"list_join" must operate on a list',
                         {'list_join': [',', 'abc']})

    def test_delimiter_must_be_a_string(self):
        self.assertFails('"list_join" delimiter must be a string',
                         {'list_join': [1, ['a']]})

    def test_wrong_shape(self):
        for args in ('a', [','], {'a': 1}):
            self.assertFails('Incorrect arguments to "list_join" should be:',
                             {'list_join': args})

    def test_old_join_rejects_non_strings(self):
        self.assertFails('Items to join must be strings not [1]',
                         {'list_join': [',', [[1]]]}, version='2015-04-30')

    def test_unresolved_item(self):
        self.assertIs(UNRESOLVED, self.resolve(
            {'list_join': [',', ['a', {'get_attr': ['o', 'x']}]]},
            others=['o']))


class StrReplaceTest(base.TemplateTestCase):

    def fn(self, template, params, name='str_replace'):
        return {name: {'template': template, 'params': params}}

    def test_replace(self):
        self.assertEqual('Hello world', self.resolve(
            self.fn('Hello $who', {'$who': 'world'})))

    def test_longer_placeholders_win(self):
        self.assertEqual('1-2', self.resolve(
            self.fn('var-var_x', {'var': '1', 'var_x': '2'})))

    def test_inserted_text_is_not_searched_again(self):
        self.assertEqual('ab', self.resolve(
            self.fn('xy', {'x': 'a', 'y': 'b', 'a': 'NO'})))

    def test_numbers_booleans_and_none(self):
        self.assertEqual('1 True  2.5', self.resolve(
            self.fn('a b c d', {'a': 1, 'b': True, 'c': None, 'd': 2.5})))

    def test_params_must_be_a_map(self):
        self.assertFails('"str_replace" parameters must be a mapping',
                         self.fn('a', ['a']))

    def test_missing_keys(self):
        self.assertFails('"str_replace" syntax should be',
                         {'str_replace': {'template': 'a'}})

    def test_arguments_must_be_a_map(self):
        self.assertFails('Arguments to "str_replace" must be a map',
                         {'str_replace': ['a']})

    def test_template_must_be_a_string(self):
        self.assertFails('"str_replace" template must be a string',
                         self.fn(['a'], {'a': 'b'}))

    def test_placeholders_must_be_strings(self):
        self.assertFails('"str_replace" param placeholders must be strings',
                         self.fn('a1', {1: 'b'}))

    def test_bad_value(self):
        self.assertFails('"str_replace" params must be strings, numbers, '
                         'list or map.', self.fn('a', {'a': {1, 2}}))

    def test_strict_needs_every_placeholder(self):
        self.assertFails('The following params were not found in the '
                         'template: bb,a', self.fn(
                             'x', {'a': '1', 'bb': '2', 'x': 'y'},
                             'str_replace_strict'))
        self.assertEqual('1', self.resolve(
            self.fn('a', {'a': '1'}, 'str_replace_strict')))

    def test_very_strict_needs_values(self):
        for value in (None, '', [], {}):
            self.assertFails('str_replace_vstrict has an undefined or empty '
                             'value for param a, must be a defined non-empty '
                             'value', self.fn('a', {'a': value},
                                              'str_replace_vstrict'))
        self.assertEqual('0', self.resolve(
            self.fn('a', {'a': 0}, 'str_replace_vstrict')))

    def test_plain_accepts_empty_values(self):
        self.assertEqual('', self.resolve(self.fn('a', {'a': ''})))


class StrSplitTest(base.TemplateTestCase):

    def test_split(self):
        self.assertEqual(['a', 'b', 'c'], self.resolve(
            {'str_split': [',', 'a,b,c']}))

    def test_index(self):
        self.assertEqual('b', self.resolve({'str_split': [',', 'a,b', 1]}))
        self.assertEqual('b', self.resolve({'str_split': [',', 'a,b', '1']}))

    def test_index_out_of_range(self):
        self.assertFails('Incorrect index to "str_split" should be between 0 '
                         'and 1', {'str_split': [',', 'a,b', 2]})

    def test_bad_index(self):
        self.assertFails('Incorrect index to "str_split" should be:',
                         {'str_split': [',', 'a,b', 'x']})

    def test_none_string(self):
        self.assertIsNone(self.resolve({'str_split': [',', None]}))

    def test_wrong_shape(self):
        for args in ('a,b', {'a': 1}):
            self.assertFails('Incorrect arguments to "str_split" should be:',
                             {'str_split': args})
        self.assertFails('Incorrect arguments to "str_split" should be:',
                         {'str_split': [',']})

    def test_string_to_split_must_be_a_string(self):
        self.assertFails('"str_split" can only split a string',
                         {'str_split': [',', 5]})


class DigestTest(base.TemplateTestCase):

    def test_digest(self):
        self.assertEqual(hashlib.sha256(b'abc').hexdigest(),
                         self.resolve({'digest': ['sha256', 'abc']}))
        self.assertEqual(hashlib.md5(b'abc').hexdigest(),
                         self.resolve({'digest': ['MD5', 'abc']}))

    def test_unknown_algorithm(self):
        self.assertFails('Algorithm must be one of',
                         {'digest': ['nope', 'abc']})

    def test_wrong_arguments(self):
        self.assertFails('Argument to function "digest" must be a list of '
                         'strings', {'digest': ['md5', 5]})
        self.assertFails('Function "digest" usage: ["<algorithm>", '
                         '"<value>"]', {'digest': ['md5']})


class MakeUrlTest(base.TemplateTestCase):

    def test_full_url(self):
        self.assertEqual(
            'https://u%40x:p%3Aw@example.com:8080/a%20b?q=1&r=a/b#frag',
            self.resolve({'make_url': {
                'scheme': 'https', 'username': 'u@x', 'password': 'p:w',
                'host': 'example.com', 'port': 8080, 'path': '/a b',
                'query': {'q': '1', 'r': 'a/b'}, 'fragment': 'frag'}}))

    def test_ipv6_host(self):
        self.assertEqual('http://[::1]:80/', self.resolve({'make_url': {
            'scheme': 'http', 'host': '::1', 'port': '80', 'path': '/'}}))

    def test_bad_port(self):
        self.assertFails('Invalid URL port 70000, must be in range 1-65535',
                         {'make_url': {'host': 'h', 'port': 70000}})
        self.assertFails('Invalid URL port "x"',
                         {'make_url': {'host': 'h', 'port': 'x'}})

    def test_unknown_key(self):
        self.assertFails('Invalid arguments to "make_url": nope',
                         {'make_url': {'nope': 1}})

    def test_not_a_map(self):
        self.assertFails('The arguments to "make_url" must be a map',
                         {'make_url': ['h']})

    def test_scheme_without_colon(self):
        self.assertFails('URL "scheme" should not contain \':\'',
                         {'make_url': {'scheme': 'http:', 'host': 'h'}})

    def test_string_arguments(self):
        self.assertFails('The "host" argument to "make_url" must be a string',
                         {'make_url': {'host': 5}})
        self.assertFails('The "query" argument to "make_url" must be a map',
                         {'make_url': {'query': 'a=b'}})
