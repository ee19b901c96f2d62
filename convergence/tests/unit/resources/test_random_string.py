"""OS::Heat::RandomString."""

import string

import testtools

from convergence.exceptions import StackValidationFailed
from convergence.resources import random_string
from convergence.resources.base import REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.utils import make_resource, validated
from convergence.template.unresolved import UNRESOLVED

TYPE = 'OS::Heat::RandomString'


def created(props=None, name='rs'):
    res = make_resource(TYPE, props, name=name)
    run_action(res, 'CREATE', res.context.clock)
    return res


class TestValidation(testtools.TestCase):

    def assertInvalid(self, props, message):
        exc = self.assertRaises(StackValidationFailed, validated, TYPE, props,
                                'rs')
        self.assertEqual(message, str(exc))

    def test_defaults(self):
        self.assertEqual({'length': 32, 'sequence': None,
                          'character_classes': [{'class': 'lettersdigits',
                                                 'min': 1}],
                          'character_sequences': None, 'salt': None},
                         validated(TYPE, {}))

    def test_length_range(self):
        self.assertInvalid({'length': 0}, 'Property error: resources.rs.'
                           'properties.length: 0 is out of range (min: 1, '
                           'max: 512)')
        self.assertInvalid({'length': 513}, 'Property error: resources.rs.'
                           'properties.length: 513 is out of range (min: 1, '
                           'max: 512)')

    def test_class_names_and_mins_are_checked(self):
        self.assertInvalid(
            {'character_classes': [{'class': 'emoji'}]},
            'Property error: resources.rs.properties.character_classes[0].'
            'class: "emoji" is not an allowed value ["lettersdigits", '
            '"letters", "lowercase", "uppercase", "digits", "hexdigits", '
            '"octdigits"]')
        self.assertInvalid(
            {'character_sequences': [{'min': 2}]},
            'Property error: resources.rs.properties.character_sequences[0]: '
            'Property sequence not assigned')

    def test_minimums_must_fit_in_the_length(self):
        self.assertInvalid(
            {'length': 3, 'character_classes': [{'class': 'digits',
                                                 'min': 2}],
             'character_sequences': [{'sequence': '!', 'min': 2}]},
            'Length property cannot be smaller than combined character '
            'class and character sequence minimums')
        validated(TYPE, {'length': 4, 'character_classes': [
            {'class': 'digits', 'min': 2}], 'character_sequences': [
            {'sequence': '!', 'min': 2}]})

    def test_minimum_sum_skipped_while_unknown(self):
        validated(TYPE, {'length': UNRESOLVED, 'character_classes': [
            {'class': 'digits', 'min': 20}]})

    def test_deprecated_sequence_becomes_a_class(self):
        values = validated(TYPE, {'sequence': 'octdigits'})
        self.assertEqual([{'class': 'octdigits', 'min': 1}],
                         values['character_classes'])
        self.assertIsNone(values['sequence'])


class TestGeneration(testtools.TestCase):

    def test_default_is_32_letters_and_digits(self):
        res = created()
        value = res.get_attribute('value')
        self.assertEqual(32, len(value))
        self.assertTrue(set(value) <= set(string.ascii_letters +
                                          string.digits))

    def test_reference_is_the_string_itself(self):
        self.assertEqual('rs', make_resource(TYPE, name='rs')
                         .get_reference_id())
        res = created()
        self.assertEqual(res.get_attribute('value'), res.get_reference_id())
        self.assertTrue(res.resource_id.startswith('st-rs-'))

    def test_classes_restrict_the_alphabet(self):
        for cls, members in random_string.CHARACTER_CLASS_MEMBERS.items():
            value = created({'length': 64, 'character_classes': [
                {'class': cls}]}).get_attribute('value')
            self.assertTrue(set(value) <= set(members), cls)
        hexvalue = created({'length': 200, 'character_classes': [
            {'class': 'hexdigits'}]}).get_attribute('value')
        self.assertFalse(set(hexvalue) & set('abcdef'))

    def test_minimums_are_honoured(self):
        for _ in range(20):
            value = created({'length': 6, 'character_classes': [
                {'class': 'lowercase', 'min': 3}],
                'character_sequences': [{'sequence': '#%', 'min': 3}]}
            ).get_attribute('value')
            self.assertEqual(3, sum(c in '#%' for c in value))
            self.assertEqual(3, sum(c.islower() for c in value))

    def test_sequences_join_the_default_class(self):
        value = created({'length': 512, 'character_sequences': [
            {'sequence': '@'}]}).get_attribute('value')
        self.assertIn('@', value)
        self.assertTrue(set(value) - {'@'})

    def test_generate_is_random(self):
        pools = [(string.ascii_letters, 1)]
        self.assertNotEqual(random_string.generate(32, pools),
                            random_string.generate(32, pools))


class TestReplacement(testtools.TestCase):

    def test_any_change_replaces(self):
        res = created({'salt': 'a'})
        for change in ({'salt': 'b'}, {'length': 8},
                       {'character_classes': [{'class': 'digits'}]}):
            new = validated(TYPE, dict({'salt': 'a'}, **change), 'rs')
            self.assertEqual(REPLACE, res.plan_update(new).decision, change)
