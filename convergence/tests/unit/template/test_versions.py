"""Template versions: recognition, aliases, and which functions each has."""

import testscenarios

from convergence import exceptions
from convergence.template import Template, template_functions, versions
from convergence.template import template_versions
from convergence.tests.unit.template import base

load_tests = testscenarios.load_tests_apply_scenarios


class VersionNameTest(base.TemplateTestCase):

    scenarios = [(v, {'given': v, 'date': d}) for v, d in [
        ('2013-05-23', '2013-05-23'), ('2014-10-16', '2014-10-16'),
        ('2015-04-30', '2015-04-30'), ('2015-10-15', '2015-10-15'),
        ('2016-04-08', '2016-04-08'), ('2016-10-14', '2016-10-14'),
        ('2017-02-24', '2017-02-24'), ('2017-09-01', '2017-09-01'),
        ('2018-03-02', '2018-03-02'), ('2018-08-31', '2018-08-31'),
        ('2021-04-16', '2021-04-16'), ('newton', '2016-10-14'),
        ('ocata', '2017-02-24'), ('pike', '2017-09-01'),
        ('queens', '2018-03-02'), ('rocky', '2018-08-31'),
        ('wallaby', '2021-04-16')]]

    def test_version_is_the_date(self):
        tmpl = Template({'heat_template_version': self.given})
        self.assertEqual(self.date, tmpl.version)
        tmpl.validate()

    def test_every_version_resolves_get_param(self):
        self.assertEqual('x', self.resolve(
            {'get_param': 'p'}, version=self.given,
            parameters={'p': {'type': 'string', 'default': 'x'}}))


class BadVersionTest(base.TemplateTestCase):

    def test_unknown_version_lists_the_valid_ones(self):
        exc = self.assertRaises(
            exceptions.InvalidTemplateVersion, Template(
                {'heat_template_version': '2012-01-01'}).validate)
        self.assertIn('The template version is invalid: '
                      '"heat_template_version: 2012-01-01". '
                      '"heat_template_version" should be one of: '
                      '2013-05-23, 2014-10-16', str(exc))
        self.assertIn('newton, ocata', str(exc))

    def test_missing_version(self):
        exc = self.assertRaises(exceptions.InvalidTemplateVersion,
                                lambda: Template({'resources': {}}).version)
        self.assertEqual('The template version is invalid: Template version '
                         'was not provided', str(exc))

    def test_version_must_be_a_string(self):
        exc = self.assertRaises(
            exceptions.InvalidTemplateVersion,
            lambda: Template({'heat_template_version': 20151015}).version)
        self.assertIn('was not provided', str(exc))

    def test_unknown_cfn_version_names_the_valid_one(self):
        exc = self.assertRaises(
            exceptions.InvalidTemplateVersion,
            lambda: Template({'AWSTemplateFormatVersion': '2010-09-10'}
                             ).version)
        self.assertEqual('The template version is invalid: '
                         '"AWSTemplateFormatVersion: 2010-09-10". '
                         '"AWSTemplateFormatVersion" should be: 2010-09-09',
                         str(exc))

    def test_two_version_keys_are_ambiguous(self):
        exc = self.assertRaises(
            exceptions.InvalidTemplateVersion,
            lambda: Template({'heat_template_version': '2015-10-15',
                              'HeatTemplateFormatVersion': '2012-12-12'}
                             ).version)
        self.assertIn('Ambiguous versions', str(exc))

    def test_available_versions(self):
        names = versions.available_versions()
        self.assertEqual('2013-05-23', names[0])
        self.assertIn('rocky', names)
        self.assertEqual(17, len(names))


class FunctionGatingTest(base.TemplateTestCase):
    """A function from a later version is an error naming both versions."""

    scenarios = [
        ('map_merge', {'fn': {'map_merge': [{}]}, 'old': '2015-10-15',
                       'new': '2016-04-08'}),
        ('str_split', {'fn': {'str_split': [',', 'a']}, 'old': '2015-04-30',
                       'new': '2015-10-15'}),
        ('repeat', {'fn': {'repeat': {'template': 'x',
                                      'for_each': {'%v%': ['a']}}},
                    'old': '2014-10-16', 'new': '2015-04-30'}),
        ('digest', {'fn': {'digest': ['md5', 'a']}, 'old': '2014-10-16',
                    'new': '2015-04-30'}),
        ('map_replace', {'fn': {'map_replace': [{}, {}]},
                         'old': '2016-04-08', 'new': '2016-10-14'}),
        ('if', {'fn': {'if': [True, 1, 2]}, 'old': '2016-04-08',
                'new': '2016-10-14'}),
        ('filter', {'fn': {'filter': [[], []]}, 'old': '2016-10-14',
                    'new': '2017-02-24'}),
        ('str_replace_strict', {'fn': {'str_replace_strict': {
            'template': 'a', 'params': {'a': 'b'}}},
            'old': '2016-10-14', 'new': '2017-02-24'}),
        ('str_replace_vstrict', {'fn': {'str_replace_vstrict': {
            'template': 'a', 'params': {'a': 'b'}}},
            'old': '2017-02-24', 'new': '2017-09-01'}),
        ('contains', {'fn': {'contains': ['a', ['a']]}, 'old': '2017-02-24',
                      'new': '2017-09-01'}),
        ('make_url', {'fn': {'make_url': {'host': 'h'}}, 'old': '2017-02-24',
                      'new': '2017-09-01'}),
        ('list_concat', {'fn': {'list_concat': [[1]]}, 'old': '2017-02-24',
                         'new': '2017-09-01'}),
        ('list_concat_unique', {'fn': {'list_concat_unique': [[1]]},
                                'old': '2017-02-24', 'new': '2017-09-01'}),
    ]

    def test_rejected_before_its_version(self):
        name = next(iter(self.fn))
        exc = self.assertFails('The function "%s" is not available in '
                               'heat_template_version %s; it needs %s or '
                               'later.' % (name, self.old, self.new),
                               self.fn, version=self.old,
                               error=exceptions.StackValidationFailed)
        self.assertIn('resources.r.properties.v.%s' % name, str(exc))

    def test_accepted_from_its_version(self):
        self.resolve(self.fn, version=self.new)


class RemovedFunctionTest(base.TemplateTestCase):

    def test_cfn_join_removed_in_2014(self):
        self.assertFails('resources.r.properties.v.Fn::Join: The template '
                         'version is invalid: The function Fn::Join is not '
                         'supported in this version of HOT.',
                         {'Fn::Join': [',', ['a']]}, version='2014-10-16')

    def test_fn_select_removed_in_2015_10_15(self):
        self.assertFails('The function Fn::Select is not supported',
                         {'Fn::Select': [0, ['a']]}, version='2015-10-15')
        self.assertEqual('a', self.resolve({'Fn::Select': [0, ['a']]},
                                           version='2015-04-30'))

    def test_cfn_functions_in_2013(self):
        self.assertEqual('a,b', self.resolve({'Fn::Join': [',', ['a', 'b']]},
                                             version='2013-05-23'))
        self.assertEqual(['a', 'b'], self.resolve(
            {'Fn::Split': [',', 'a,b']}, version='2013-05-23'))
        self.assertEqual('x-1', self.resolve(
            {'Fn::Replace': [{'%v%': 1}, 'x-%v%']}, version='2013-05-23'))
        self.assertEqual('abc', self.resolve({'Fn::Base64': 'abc'},
                                             version='2013-05-23'))

    def test_unknown_single_key_maps_are_data(self):
        self.assertEqual({'not_a_function': [1]},
                         self.resolve({'not_a_function': [1]}))

    def test_condition_function_names_are_data_in_properties(self):
        self.assertEqual({'equals': [1, 1]},
                         self.resolve({'equals': [1, 1]}))


class VersionDifferencesTest(base.TemplateTestCase):

    def test_list_join_takes_one_list_before_2015_10_15(self):
        self.assertFails('Incorrect arguments to "list_join"',
                         {'list_join': [',', ['a'], ['b']]},
                         version='2015-04-30')
        self.assertEqual('a,b', self.resolve(
            {'list_join': [',', ['a'], ['b']]}, version='2015-10-15'))

    def test_get_attr_of_all_attributes_from_2015_10_15(self):
        self.assertFails('must be of the form', {'get_attr': ['o']},
                         version='2015-04-30', others=['o'])
        resolver = base.FakeResolver({'o': {'a': 1}})
        self.assertEqual({'a': 1}, self.resolve(
            {'get_attr': ['o']}, version='2015-10-15', others=['o'],
            resolver=resolver))

    def test_str_replace_json_from_2015_10_15(self):
        fn = {'str_replace': {'template': 'v=X', 'params': {'X': [1]}}}
        self.assertFails('params must be strings or numbers', fn,
                         version='2015-04-30')
        self.assertEqual('v=[1]', self.resolve(fn, version='2015-10-15'))

    def test_repeat_over_map_keys_from_2016_10_14(self):
        fn = {'repeat': {'template': '<%k%>', 'for_each': {'%k%': {'a': 1}}}}
        self.assertFails('must be lists', fn, version='2016-04-08')
        self.assertEqual(['<a>'], self.resolve(fn, version='2016-10-14'))

    def test_if_without_false_value_from_2021_04_16(self):
        fn = {'if': [False, 'yes']}
        self.assertFails('must be of the form', fn, version='2018-08-31')
        self.assertEqual('OMITTED', self.resolve(fn, version='2021-04-16'))


class TemplateVersionsApiTest(base.TemplateTestCase):

    def test_versions_with_aliases(self):
        listed = template_versions()
        self.assertEqual([{'version': 'AWSTemplateFormatVersion.2010-09-09',
                           'type': 'cfn', 'aliases': []},
                          {'version': 'HeatTemplateFormatVersion.2012-12-12',
                           'type': 'cfn', 'aliases': []},
                          {'version': 'heat_template_version.2013-05-23',
                           'type': 'hot', 'aliases': []}], listed[:3])
        self.assertEqual(13, len(listed))
        rocky = [v for v in listed
                 if v['version'] == 'heat_template_version.2018-08-31']
        self.assertEqual(['heat_template_version.rocky'], rocky[0]['aliases'])

    def test_functions_of_a_version(self):
        names = {f['functions'] for f in template_functions(
            'heat_template_version.2016-10-14')}
        self.assertIn('map_replace', names)
        self.assertNotIn('filter', names)
        self.assertNotIn('Fn::Join', names)       # removed
        self.assertIn('yaql', names)
        self.assertNotIn('equals', names)

    def test_condition_functions_on_request(self):
        listed = template_functions('heat_template_version.newton', True)
        described = {f['functions']: f['description'] for f in listed}
        self.assertEqual('A function for comparing whether two values are '
                         'equal.', described['equals'])

    def test_unknown_version(self):
        self.assertRaises(exceptions.NotFound, template_functions,
                          'heat_template_version.1999-01-01')
