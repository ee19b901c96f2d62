"""A provider template standing in for another type offers its interface
(Heat's ValidateFacadeTest)."""

import testtools

from convergence import exceptions
from convergence.tests.unit.engine.test_nested_validation import validate

TEMPLATE = '''
heat_template_version: 2015-10-15
resources:
  thisone:
    type: OS::Thingy
    properties: {one: pre, two: post}
'''
FACADE = '''
heat_template_version: 2015-04-30
parameters:
  one: {type: string}
  two: {type: string}
outputs:
  here-it-is: {value: noop}
'''
ENV = {'resource_registry': {'OS::Thingy': 'facade.yaml', 'resources': {
    'thisone': {'OS::Thingy': 'concrete.yaml'}}}}


class FacadeTest(testtools.TestCase):

    def assertRefused(self, message, concrete, template=TEMPLATE):
        exc = self.assertRaises(
            exceptions.StackValidationFailed, validate, template,
            {'facade.yaml': FACADE, 'concrete.yaml': concrete}, ENV)
        self.assertEqual(message, str(exc))

    def test_the_same_interface(self):
        validate(TEMPLATE, {'facade.yaml': FACADE, 'concrete.yaml': FACADE},
                 ENV)

    def test_missing_parameter(self):
        self.assertRefused(
            'Required property two for facade OS::Thingy missing in '
            'provider', FACADE.replace('  two: {type: string}\n', ''),
            TEMPLATE.replace(', two: post', ''))

    def test_missing_output(self):
        self.assertRefused(
            'Attribute here-it-is for facade OS::Thingy missing in provider',
            FACADE.replace('outputs:\n  here-it-is: {value: noop}\n', ''))

    def test_type_mismatch(self):
        self.assertRefused(
            'Property two type mismatch between facade OS::Thingy (string) '
            'and provider (number)', FACADE.replace(
                'two: {type: string}', 'two: {type: number}'),
            TEMPLATE.replace('two: post', 'two: 2'))

    def test_a_plugin_as_facade(self):
        # RandomString's "length" is an integer: a number parameter fits.
        validate(TEMPLATE.replace('OS::Thingy', 'OS::Heat::RandomString')
                 .replace('{one: pre, two: post}', '{length: 4}'),
                 {'r.yaml': 'heat_template_version: 2015-10-15\n'
                            'parameters: {length: {type: number}}\n'
                            'outputs: {value: {value: 1}}\n'},
                 {'resource_registry': {'OS::Heat::RandomString': 'r.yaml'}})

    def test_an_alias_whose_chain_ends_at_the_provider_has_no_facade(self):
        """A type mapped to another one that the provider stands in for
        (an instance group's OS::Heat::ScaledResource -> AWS::EC2::Instance
        -> provider.yaml) is checked against nothing, as in Heat: the
        alias' only entry ends at the provider."""
        validate(TEMPLATE.replace('OS::Thingy', 'OS::Alias')
                 .replace('{one: pre, two: post}', '{length: 4}'),
                 {'r.yaml': 'heat_template_version: 2015-10-15\n'
                            'parameters: {length: {type: number}}\n'},
                 {'resource_registry': {
                     'OS::Alias': 'OS::Heat::RandomString',
                     'OS::Heat::RandomString': 'r.yaml'}})

    def test_a_plugin_mapped_to_the_provider_is_still_its_facade(self):
        exc = self.assertRaises(
            exceptions.StackValidationFailed, validate,
            TEMPLATE.replace('OS::Thingy', 'OS::Heat::RandomString')
            .replace('{one: pre, two: post}', '{length: 4}'),
            {'r.yaml': 'heat_template_version: 2015-10-15\n'
                       'parameters: {length: {type: number}}\n'},
            {'resource_registry': {'OS::Heat::RandomString': 'r.yaml'}})
        self.assertEqual('Attribute value for facade OS::Heat::RandomString '
                         'missing in provider', str(exc))
