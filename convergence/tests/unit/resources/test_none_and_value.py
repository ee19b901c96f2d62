"""OS::Heat::None and OS::Heat::Value."""

import uuid

import testtools

import convergence.resources as resources
from convergence.exceptions import ResourceFailure, StackValidationFailed
from convergence.resources.base import IN_PLACE, NO_CHANGE
from convergence.resources.properties import properties_for_action
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.utils import (SHORT_ID, make_resource,
                                                    validated)
from convergence.template.unresolved import UNRESOLVED


class TestNone(testtools.TestCase):

    def test_accepts_any_properties(self):
        props = {'image': 'x', 'flavor': {'a': [1]}, 'count': UNRESOLVED}
        self.assertEqual(props, validated('OS::Heat::None', props))

    def test_create_sets_a_uuid_and_placeholder_flag(self):
        res = make_resource('OS::Heat::None', {'anything': 1})
        run_action(res, 'CREATE', res.context.clock)
        self.assertEqual(res.resource_id, str(uuid.UUID(res.resource_id)))
        self.assertEqual('True', res.data_get('is_placeholder'))
        self.assertEqual(res.resource_id, res.get_reference_id())
        run_action(res, 'DELETE', res.context.clock)

    def test_any_attribute_is_none(self):
        res = make_resource('OS::Heat::None')
        self.assertTrue(res.has_attribute('whatever'))
        self.assertIsNone(res.get_attribute('whatever'))

    def test_never_updated_or_replaced(self):
        res = make_resource('OS::Heat::None', {'a': 1})
        self.assertEqual(NO_CHANGE, res.plan_update({'a': 2, 'b': 3}).decision)
        self.assertEqual(NO_CHANGE, res.plan_update({}, failed=True).decision)


class TestValue(testtools.TestCase):

    def value(self, props):
        return validated('OS::Heat::Value', props)['value']

    def assertInvalid(self, props, message):
        exc = self.assertRaises(StackValidationFailed, validated,
                                'OS::Heat::Value', props, 'v')
        self.assertEqual(message, str(exc))

    def test_untyped_value_is_kept(self):
        for value in ('x', 5, [1, 'a'], {'k': None}, True):
            self.assertEqual(value, self.value({'value': value}))

    def test_value_is_required(self):
        self.assertInvalid({}, 'Property error: resources.v.properties: '
                           'Property value not assigned')

    def test_string_type(self):
        self.assertEqual('5', self.value({'value': 5, 'type': 'string'}))
        self.assertEqual('True', self.value({'value': True,
                                             'type': 'string'}))
        self.assertInvalid({'value': 1.5, 'type': 'string'},
                           'Property error: resources.v.properties.value: '
                           'Value must be a string; got 1.5')

    def test_number_type(self):
        self.assertEqual(5, self.value({'value': '5', 'type': 'number'}))
        self.assertEqual(2.5, self.value({'value': '2.5', 'type': 'number'}))
        self.assertInvalid({'value': 'x', 'type': 'number'},
                           'Property error: resources.v.properties.value: '
                           "could not convert string to float: 'x'")

    def test_boolean_type(self):
        self.assertIs(True, self.value({'value': 'TRUE', 'type': 'boolean'}))
        self.assertIs(False, self.value({'value': False, 'type': 'boolean'}))
        self.assertInvalid({'value': 'yes', 'type': 'boolean'},
                           'Property error: resources.v.properties.value: '
                           '"yes" is not a valid boolean')

    def test_comma_delimited_list_type_needs_a_list(self):
        self.assertEqual(['a', 'b'], self.value(
            {'value': ['a', 'b'], 'type': 'comma_delimited_list'}))
        self.assertInvalid({'value': 'a,b', 'type': 'comma_delimited_list'},
                           'Property error: resources.v.properties.value: '
                           '"\'a,b\'" is not a list')

    def test_json_type_needs_a_map(self):
        self.assertEqual({'a': 1}, self.value({'value': {'a': 1},
                                               'type': 'json'}))
        self.assertInvalid({'value': '{}', 'type': 'json'},
                           'Property error: resources.v.properties.value: '
                           '"{}" is not a map')

    def test_unknown_type(self):
        self.assertInvalid({'value': 1, 'type': 'int'},
                           'Property error: resources.v.properties.type: '
                           '"int" is not an allowed value ["string", '
                           '"number", "comma_delimited_list", "json", '
                           '"boolean"]')

    def test_value_known_only_at_action_time_fails_the_resource(self):
        cls = resources.get_class('OS::Heat::Value')
        self.assertIs(UNRESOLVED, self.value({'value': UNRESOLVED,
                                              'type': 'number'}))
        exc = self.assertRaises(ResourceFailure, properties_for_action, cls,
                                'v', {'value': 'x', 'type': 'number'})
        self.assertEqual('StackValidationFailed: resources.v: Property '
                         'error: v.properties.value: could not convert '
                         "string to float: 'x'", str(exc))

    def test_lifecycle(self):
        res = make_resource('OS::Heat::Value', {'value': '5',
                                                'type': 'number'}, name='v')
        run_action(res, 'CREATE', res.context.clock)
        self.assertEqual('st-v-' + SHORT_ID, res.resource_id)
        self.assertEqual(res.resource_id, res.get_reference_id())
        self.assertEqual(5, res.get_attribute('value'))
        new = validated('OS::Heat::Value', {'value': 'seven'})
        plan = res.plan_update(new)
        self.assertEqual(IN_PLACE, plan.decision)
        run_action(res, 'UPDATE', res.context.clock, new_properties=new,
                   prop_diff=plan.prop_diff)
        self.assertEqual('seven', res.get_attribute('value'))
        self.assertEqual(0, res.context.clock.now())
