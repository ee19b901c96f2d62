"""parse_template / parse_environment: JSON, YAML, and their errors."""

import testtools

from convergence import exceptions
from convergence.template import parse_environment, parse_template


class ParseTemplateTest(testtools.TestCase):

    def test_yaml_version_date_stays_a_string(self):
        tmpl = parse_template('heat_template_version: 2015-10-15\n')
        self.assertEqual('2015-10-15', tmpl['heat_template_version'])
        self.assertIsInstance(tmpl['heat_template_version'], str)

    def test_any_timestamp_stays_a_string(self):
        tmpl = parse_template('heat_template_version: 2015-10-15\n'
                              'description: 2001-12-14t21:59:43.10-05:00\n')
        self.assertEqual('2001-12-14t21:59:43.10-05:00', tmpl['description'])

    def test_json_text(self):
        tmpl = parse_template('{"heat_template_version": "2016-10-14", '
                              '"resources": {}}')
        self.assertEqual({'heat_template_version': '2016-10-14',
                          'resources': {}}, tmpl)

    def test_dict_is_returned_as_a_dict(self):
        given = {'heat_template_version': '2016-10-14'}
        self.assertEqual(given, parse_template(given))

    def test_bytes(self):
        tmpl = parse_template(b'heat_template_version: newton\n')
        self.assertEqual('newton', tmpl['heat_template_version'])

    def test_yaml_keeps_other_types(self):
        tmpl = parse_template('heat_template_version: 2015-10-15\n'
                              'x: {a: 1, b: true, c: [1.5, null]}\n')
        self.assertEqual({'a': 1, 'b': True, 'c': [1.5, None]}, tmpl['x'])

    def test_malformed_yaml_names_line_and_column(self):
        exc = self.assertRaises(
            exceptions.BadRequest, parse_template,
            'heat_template_version: 2015-10-15\nresources:\n  a: [1, 2\n')
        self.assertIn('Template not in valid format: Error parsing template',
                      str(exc))
        self.assertIn('line 3', str(exc))
        self.assertIn('column', str(exc))

    def test_malformed_json_is_reported_as_yaml_error(self):
        exc = self.assertRaises(exceptions.BadRequest, parse_template,
                                '{"heat_template_version": "2015-10-15",,}')
        self.assertIn('Template not in valid format', str(exc))
        self.assertIn('line 1', str(exc))

    def test_bad_indentation(self):
        exc = self.assertRaises(
            exceptions.BadRequest, parse_template,
            'heat_template_version: 2015-10-15\n  resources: {}\n')
        self.assertIn('line 2', str(exc))

    def test_non_mapping_yaml(self):
        exc = self.assertRaises(exceptions.BadRequest, parse_template,
                                '- a\n- b\n')
        self.assertEqual('Template not in valid format: The template is not '
                         'a JSON object or YAML mapping.', str(exc))

    def test_non_mapping_json(self):
        exc = self.assertRaises(exceptions.BadRequest, parse_template, '42')
        self.assertIn('not a JSON object or YAML mapping', str(exc))

    def test_missing_version(self):
        exc = self.assertRaises(exceptions.BadRequest, parse_template,
                                'resources: {}\n')
        self.assertEqual('Template not in valid format: Template format '
                         'version not found.', str(exc))

    def test_empty_text_has_no_version(self):
        exc = self.assertRaises(exceptions.BadRequest, parse_template, '')
        self.assertIn('Template format version not found.', str(exc))

    def test_cfn_version_key_is_accepted_by_the_parser(self):
        tmpl = parse_template('AWSTemplateFormatVersion: 2010-09-09\n')
        self.assertEqual('2010-09-09', tmpl['AWSTemplateFormatVersion'])

    def test_unsafe_yaml_tag_is_rejected(self):
        self.assertRaises(exceptions.BadRequest, parse_template,
                          'heat_template_version: 2015-10-15\n'
                          'x: !!python/object/apply:os.system ["true"]\n')

    def test_not_text_or_dict(self):
        self.assertRaises(exceptions.BadRequest, parse_template, 42)


class ParseEnvironmentTest(testtools.TestCase):

    def test_none_is_empty(self):
        self.assertEqual({}, parse_environment(None))

    def test_yaml(self):
        env = parse_environment('parameters:\n  foo: 2015-10-15\n')
        self.assertEqual({'parameters': {'foo': '2015-10-15'}}, env)

    def test_empty_text(self):
        self.assertEqual({}, parse_environment(''))

    def test_dict(self):
        self.assertEqual({'parameters': {}},
                         parse_environment({'parameters': {}}))

    def test_not_a_mapping(self):
        exc = self.assertRaises(exceptions.BadRequest, parse_environment,
                                '[1, 2]')
        self.assertIn('Environment not in valid format', str(exc))

    def test_malformed(self):
        exc = self.assertRaises(exceptions.BadRequest, parse_environment,
                                'parameters: {a: [\n')
        self.assertIn('Environment not in valid format', str(exc))
        self.assertIn('line', str(exc))


def alias_bomb(levels: int = 9, header: str = 'heat_template_version: '
               '2018-08-31\n') -> str:
    """'Billion laughs': each level lists the one before nine times."""
    lines = [header, 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", '
                     '"lol", "lol", "lol"]\n']
    for level in range(1, levels + 1):
        lines.append('l%d: &l%d [%s]\n' % (level, level, ', '.join(
            ['*l%d' % (level - 1)] * 9)))
    return ''.join(lines)


class AliasExpansionTest(testtools.TestCase):
    """Given YAML whose aliases stand for far more than its text, when it
    is parsed, then it is refused before it is built."""

    def test_a_template_alias_bomb_is_refused(self):
        bomb = alias_bomb()
        self.assertLess(len(bomb), 600)
        err = self.assertRaises(exceptions.RequestLimitExceeded,
                                parse_template, bomb)
        self.assertIn('YAML aliases', str(err))

    def test_an_environment_alias_bomb_is_refused(self):
        self.assertRaises(exceptions.RequestLimitExceeded, parse_environment,
                          alias_bomb(header='parameters: {}\n'))

    def test_the_limit_is_the_callers(self):
        bomb = alias_bomb(levels=2)  # 9 * 9 * 9 "lol"s: a few KB written out
        self.assertIn('l2', parse_template(bomb))
        self.assertRaises(exceptions.RequestLimitExceeded,
                          parse_template, bomb, max_expanded=1000)

    def test_a_recursive_alias_is_refused(self):
        self.assertRaises(exceptions.RequestLimitExceeded, parse_template,
                          'heat_template_version: 2018-08-31\na: &a [*a]\n')

    def test_a_few_aliases_and_merge_keys_still_work(self):
        parsed = parse_template('heat_template_version: 2018-08-31\n'
                                'a: &a {x: 1}\nb: *a\nc: {<<: *a, y: 2}\n')
        self.assertEqual({'x': 1}, parsed['b'])
        self.assertEqual({'x': 1, 'y': 2}, parsed['c'])

    def test_deep_yaml_nesting_is_a_bad_request(self):
        self.assertRaises(exceptions.BadRequest, parse_template,
                          'heat_template_version: 2018-08-31\nv: '
                          + '[' * 5000 + ']' * 5000)

    def test_deep_json_nesting_is_a_bad_request(self):
        self.assertRaises(exceptions.BadRequest, parse_template,
                          '[' * 100000 + ']' * 100000)
