"""A definition asks only for what its resource types and the engine do:
attributes that exist, deletion and update policies carried out."""

import testtools

from convergence import exceptions
from convergence.tests.unit.template import base

# Attributes by type, as a type catalogue would answer (every type has
# Heat's "show"); "Any::Thing" has dynamic attributes, as OS::Heat::None.
ATTRIBUTES = {'My::Value': {'value', 'show'}, 'My::Server': {'show', 'ip'}}


def has_attribute(type_name: str, attr: str) -> bool:
    return type_name == 'Any::Thing' or attr in ATTRIBUTES[type_name]


def stack(resources: dict, outputs=None, env=None):
    tmpl = {'heat_template_version': base.LATEST, 'resources': resources}
    if outputs:
        tmpl['outputs'] = outputs
    return base.definition(tmpl, env=env)


def reading(value, target_type='My::Value', **reader) -> dict:
    """``a`` of ``target_type`` and ``b`` whose property ``v`` is ``value``."""
    return {'a': {'type': target_type},
            'b': dict({'type': 'My::Value', 'properties': {'v': value}},
                      **reader)}


class AttributeTest(testtools.TestCase):
    """Given a get_attr, when the stack is validated, then its attribute must
    be one of the target type's."""

    def assertRefused(self, definition, message):
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                definition.validate,
                                has_attribute=has_attribute)
        self.assertEqual(400, exc.http_status)
        self.assertEqual(message, str(exc))

    def test_a_misspelled_attribute_in_a_property(self):
        self.assertRefused(
            stack(reading({'get_attr': ['a', 'valu']})),
            'resources.b.properties.v.get_attr: The Referenced Attribute '
            '(a valu) is incorrect.')

    def test_a_misspelled_attribute_deep_in_metadata(self):
        resources = reading(1, metadata={'m': [{'get_attr': ['a', 'x']}]})
        self.assertRefused(
            stack(resources),
            'resources.b.metadata.m[0].get_attr: The Referenced Attribute '
            '(a x) is incorrect.')

    def test_a_misspelled_attribute_in_an_output(self):
        self.assertRefused(
            stack({'a': {'type': 'My::Value'}},
                  {'o': {'value': {'get_attr': ['a', 'valu']}}}),
            'outputs.o.value.get_attr: The Referenced Attribute (a valu) is '
            'incorrect.')

    def test_the_type_is_the_one_the_registry_maps_to(self):
        env = {'resource_registry': {'My::Alias': 'My::Server'}}
        self.assertRefused(
            stack(reading({'get_attr': ['a', 'value']}, 'My::Alias'),
                  env=env),
            'resources.b.properties.v.get_attr: The Referenced Attribute '
            '(a value) is incorrect.')

    def test_only_the_attribute_of_a_path_is_checked(self):
        stack(reading({'get_attr': ['a', 'value', 'key', 0]})).validate(
            has_attribute=has_attribute)

    def test_show_all_attributes_and_dynamic_attributes(self):
        for value, target in (({'get_attr': ['a', 'show']}, 'My::Value'),
                              ({'get_attr': ['a']}, 'My::Value'),
                              ({'get_attr': ['a', 'anything']}, 'Any::Thing')):
            stack(reading(value, target)).validate(has_attribute=has_attribute)

    def test_an_output_whose_condition_is_false_is_not_checked(self):
        definition = base.definition({
            'heat_template_version': base.LATEST,
            'conditions': {'never': False},
            'resources': {'a': {'type': 'My::Value'}},
            'outputs': {'o': {'value': {'get_attr': ['a', 'valu']},
                              'condition': 'never'}}})
        definition.validate(has_attribute=has_attribute)


class PolicyTest(testtools.TestCase):
    """Given a deletion or update policy, when the stack is validated, then
    it is refused unless the engine carries it out."""

    def assertRefused(self, snippet, message):
        resource = dict({'type': 'My::Value'}, **snippet)
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack({'a': resource}).validate)
        self.assertEqual(message, str(exc))

    def test_snapshot_deletion_policy(self):
        for policy in ('Snapshot', 'snapshot'):
            self.assertRefused({'deletion_policy': policy},
                               'resources.a.deletion_policy: "Snapshot" '
                               'deletion policy not supported')

    def test_delete_and_retain_are_carried_out(self):
        for policy in ('Delete', 'Retain', 'retain'):
            stack({'a': {'type': 'My::Value',
                         'deletion_policy': policy}}).validate()

    def test_an_update_policy_key(self):
        self.assertRefused({'update_policy': {'batch_create': {}}},
                           'Property error: resources.a.update_policy: '
                           'Unknown Property batch_create')

    def test_an_empty_update_policy(self):
        stack({'a': {'type': 'My::Value', 'update_policy': {}}}).validate()
