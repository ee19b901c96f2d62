"""Environment files merged over a request's environment, as heat-engine
merges them (parameter_merge_strategies)."""

import testtools

from convergence import exceptions
from convergence.template import env_merge

TYPES = {'s': 'string', 'l': 'comma_delimited_list', 'j': 'json',
         'n': 'number', 'b': 'boolean'}


def merged(*files, base=None):
    named = [('env%d.yaml' % i, f) for i, f in enumerate(files)]
    return env_merge.merge_files(base or {'parameters': {}}, named, TYPES)


class OverwriteTest(testtools.TestCase):

    def test_later_files_win(self):
        self.assertEqual({'s': 'b', 'n': 1}, merged(
            {'parameters': {'s': 'a', 'n': 1}},
            {'parameters': {'s': 'b'}})['parameters'])

    def test_files_win_over_the_request_parameters(self):
        # heat-api keeps only the request's parameters; files merge over.
        self.assertEqual({'s': 'file'}, merged(
            {'parameters': {'s': 'file'}},
            base={'parameters': {'s': 'request'}})['parameters'])

    def test_undeclared_parameters_only_start_a_section(self):
        self.assertEqual({'s': 'a'}, merged(
            {'parameters': {'s': 'a'}},
            {'parameters': {'other': 'x'}})['parameters'])

    def test_registry_entries_merge_key_by_key(self):
        env = merged({'resource_registry': {'A': 'B', 'C': 'D'}},
                     {'resource_registry': {'A': 'E'}})
        self.assertEqual({'A': 'E', 'C': 'D'}, env['resource_registry'])


class MergeTest(testtools.TestCase):

    def strategy(self, name, **per_param):
        return {'parameter_merge_strategies': {'default': name, **per_param}}

    def test_merge_each_type(self):
        first = {**self.strategy('merge'),
                 'parameters': {'s': 'a', 'l': 'x,y', 'j': {'k': {'a': 1}},
                                'n': 2}}
        second = {'parameters': {'s': 'b', 'l': 'z', 'j': {'k': {'b': 2}},
                                 'n': 3}}
        self.assertEqual({'s': 'ab', 'l': 'x,y,z', 'j': {'k': {'b': 2}},
                          'n': 5}, merged(first, second)['parameters'])

    def test_deep_merge(self):
        first = {**self.strategy('deep_merge'),
                 'parameters': {'j': {'k': {'a': 1}, 'l': [1]}}}
        second = {'parameters': {'j': {'k': {'b': 2}, 'l': [2]}}}
        self.assertEqual({'j': {'k': {'a': 1, 'b': 2}, 'l': [1, 2]}},
                         merged(first, second)['parameters'])

    def test_the_first_file_to_set_a_parameter_fixes_its_strategy(self):
        # As in Heat: a later file's default does not change it.
        self.assertEqual({'s': 'b'}, merged(
            {'parameters': {'s': 'a'}},
            {**self.strategy('merge'), 'parameters': {'s': 'b'}}
        )['parameters'])

    def test_per_parameter_strategy(self):
        strategies = {'parameter_merge_strategies': {'s': 'merge'}}
        second = {**strategies, 'parameters': {'s': 'b', 'n': 9}}
        self.assertEqual({'s': 'ab', 'n': 9}, merged(
            {**strategies, 'parameters': {'s': 'a', 'n': 1}},
            second)['parameters'])

    def test_parameter_defaults_merge_too(self):
        self.assertEqual({'s': 'ab'}, merged(
            {**self.strategy('merge'), 'parameter_defaults': {'s': 'a'}},
            {'parameter_defaults': {'s': 'b'}})['parameter_defaults'])

    def test_a_boolean_cannot_merge(self):
        self.assertRaises(exceptions.InvalidMergeStrategyForParam, merged,
                          {**self.strategy('merge'),
                           'parameters': {'b': True}},
                          {'parameters': {'b': False}})

    def test_conflicting_strategies(self):
        exc = self.assertRaises(
            exceptions.ConflictingMergeStrategyForParam, merged,
            {'parameter_merge_strategies': {'s': 'merge'},
             'parameters': {'s': 'a'}},
            {'parameter_merge_strategies': {'s': 'overwrite'},
             'parameters': {'s': 'b'}})
        self.assertEqual("Conflicting merge strategy 'overwrite' for "
                         "parameter 's' in file 'env1.yaml'.", str(exc))

    def test_unknown_strategy(self):
        self.assertRaises(exceptions.BadRequest, merged,
                          {**self.strategy('sideways'),
                           'parameters': {'s': 'a'}})

    def test_without_parameter_types_merging_is_refused(self):
        exc = self.assertRaises(
            exceptions.BadRequest, env_merge.merge_files,
            {'parameters': {'s': 'a'}},
            [('e.yaml', {'parameter_merge_strategies': {'s': 'merge'},
                         'parameters': {'s': 'b'}})], {'s': None})
        self.assertIn('Parameter s cannot be merged', str(exc))
