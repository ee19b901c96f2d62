"""Validation of a request down its tree of provider templates: every
error is a 400 naming the file and the resource path as Heat does."""

import testtools

from convergence import exceptions
from convergence.engine import stack_input

NESTED = '''
heat_template_version: 2015-10-15
parameters:
  p: {type: string}
  l: {type: comma_delimited_list, default: []}
resources:
  r: {type: OS::Heat::RandomString}
outputs:
  o: {value: {get_attr: [r, value]}}
'''
PARENT = '''
heat_template_version: 2015-10-15
resources:
  a: {type: n.yaml, properties: {p: x, l: [a, b]}}
outputs:
  x: {value: {get_attr: [a, o]}}
'''
SELF = '''
heat_template_version: 2015-10-15
resources:
  a: {type: s.yaml}
'''


def validate(template, files, env=None, max_depth=5):
    definition = stack_input.definition(
        stack_input.parse(template, 10 ** 6), env or {}, files,
        ('id', 'stack', 'tenant'))
    stack_input.validate(definition, 1000, max_depth)


class ProviderTreeTest(testtools.TestCase):

    def assertRefused(self, message, template, files, env=None, **kw):
        exc = self.assertRaises(exceptions.StackValidationFailed, validate,
                                template, files, env, **kw)
        self.assertEqual(message, str(exc))
        self.assertEqual(400, exc.http_status)

    def test_a_valid_tree(self):
        validate(PARENT, {'n.yaml': NESTED})

    def test_a_type_mapped_in_the_registry(self):
        validate(PARENT.replace('n.yaml', 'My::T'), {'n.yaml': NESTED},
                 {'resource_registry': {'My::T': 'n.yaml'}})

    def test_a_template_standing_in_for_the_type_it_uses(self):
        validate(SELF.replace('s.yaml', 'OS::Heat::RandomString'),
                 {'n.yaml': NESTED.replace('p: {type: string}',
                                           'p: {type: string, default: d}')
                  .replace('  o: {value', '  value: {value')},
                 {'resource_registry': {'OS::Heat::RandomString': 'n.yaml'}})

    def test_parameter_defaults_make_a_property_optional(self):
        validate(PARENT.replace('p: x, ', ''), {'n.yaml': NESTED},
                 {'parameter_defaults': {'p': 'from-env'}})

    def test_missing_from_files(self):
        self.assertRefused(
            'resources.a: Could not fetch remote template "n.yaml": the '
            'template is not in the request\'s files (this engine does not '
            'download templates).', PARENT, {})

    def test_missing_below(self):
        self.assertRefused(
            'resources.a<n.yaml>.resources.r: Could not fetch remote '
            'template "m.yaml": the template is not in the request\'s files '
            '(this engine does not download templates).', PARENT,
            {'n.yaml': NESTED.replace('OS::Heat::RandomString', 'm.yaml')})

    def test_a_property_without_parameter(self):
        self.assertRefused(
            'Property error: resources.a.properties: Unknown Property q',
            PARENT.replace('p: x,', 'p: x, q: 1,'), {'n.yaml': NESTED})

    def test_a_required_property(self):
        self.assertRefused(
            'Property error: resources.a.properties: Property p not '
            'assigned', PARENT.replace('p: x, ', ''), {'n.yaml': NESTED})

    def test_an_output_the_provider_does_not_have_is_accepted(self):
        # As Heat 27 (its test_nested_preemption updates to a provider
        # without the output the parent reads).
        validate(PARENT.replace('[a, o]', '[a, oo]'), {'n.yaml': NESTED})

    def test_an_unknown_type_below(self):
        self.assertRefused(
            'resources.a<n.yaml>: The Resource Type (OS::Heat::Nope) could '
            'not be found.', PARENT,
            {'n.yaml': NESTED.replace('RandomString', 'Nope')})

    def test_a_bad_property_below(self):
        self.assertRefused(
            'Property error: resources.a<n.yaml>.resources.z.properties: '
            'Unknown Property bad', PARENT,
            {'n.yaml': NESTED.replace('resources:', (
                'resources:\n  z: {type: OS::Heat::TestResource, '
                'properties: {bad: 1}}'))})

    def test_a_template_nesting_itself(self):
        self.assertRefused(
            'RequestLimitExceeded: ' + '.'.join(['resources.a<s.yaml>'] * 3)
            + ': Request limit exceeded: Recursion depth exceeds 2.',
            SELF, {'s.yaml': SELF}, max_depth=2)

    def test_two_templates_nesting_each_other(self):
        one = SELF.replace('s.yaml', 'two.yaml')
        two = SELF.replace('s.yaml', 'one.yaml')
        exc = self.assertRaises(exceptions.StackValidationFailed, validate,
                                one, {'one.yaml': one, 'two.yaml': two})
        self.assertIn('resources.a<two.yaml>.resources.a<one.yaml>.',
                      str(exc))
        self.assertIn('Recursion depth exceeds 5.', str(exc))

    def test_the_depth_limit_allows_the_limit(self):
        leaf = SELF.replace('resources:\n  a: {type: s.yaml}\n',
                            'resources: {}\n')
        validate(SELF, {'s.yaml': leaf}, max_depth=1)


class WithoutParameterValuesTest(testtools.TestCase):
    """The validate API checks a template before its user has the values:
    what needs them (properties, a group's members) is not checked."""

    GROUP = '''
heat_template_version: 2016-10-14
parameters:
  n: {type: number}
resources:
  g:
    type: OS::Heat::ResourceGroup
    properties:
      count: {get_param: n}
      resource_def: {type: OS::Heat::RandomString}
  a: {type: n.yaml, properties: {p: {get_param: n}}}
'''

    def validate(self, template, files, strict):
        definition = stack_input.definition(
            stack_input.parse(template, 10 ** 6), {}, files,
            ('id', 'stack', 'tenant'))
        stack_input.validate(definition, 1000, strict=strict)

    def test_a_group_and_a_provider_whose_values_are_missing(self):
        self.validate(self.GROUP, {'n.yaml': NESTED}, strict=False)
        self.assertRaises(exceptions.UserParameterMissing, self.validate,
                          self.GROUP, {'n.yaml': NESTED}, strict=True)

    def test_a_providers_template_is_still_checked(self):
        broken = NESTED.replace('OS::Heat::RandomString', 'OS::No::Such')
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                self.validate, self.GROUP,
                                {'n.yaml': broken}, strict=False)
        self.assertIn('resources.a<n.yaml>', str(exc))


class ChildValueOfTheWrongTypeTest(testtools.TestCase):
    """A child's property value of the wrong type is worded as Heat's
    heat-api gives it (test_resource_group_zero_novalidate): the read's
    ValueError naming the resource, separators doubled; the top level
    still names the property."""

    GROUP = '''
heat_template_version: 2013-05-23
resources:
  random_group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def: {type: My::RandomString, properties: {length: 30}}
'''
    PROVIDER = '''
heat_template_version: 2013-05-23
parameters:
  length: {type: string, default: 50}
resources:
  random:
    type: OS::Heat::RandomString
    properties: {length: BAD}
'''
    ENV = {'resource_registry': {'My::RandomString': 'provider.yaml'}}

    def test_below_a_group_and_a_provider(self):
        exc = self.assertRaises(exceptions.StackValidationFailed, validate,
                                self.GROUP, {'provider.yaml': self.PROVIDER},
                                self.ENV)
        self.assertEqual(
            "ValueError: : resources.random_group<nested_stack>.resources."
            "0<provider.yaml>.resources.random: : Value 'BAD' is not an "
            "integer", str(exc))

    def test_at_the_top_the_property_is_named(self):
        exc = self.assertRaises(exceptions.StackValidationFailed, validate,
                                self.PROVIDER, {})
        self.assertEqual("Property error: resources.random.properties."
                         "length: Value 'BAD' is not an integer", str(exc))

    def test_a_constraint_below_still_names_the_property(self):
        exc = self.assertRaises(
            exceptions.StackValidationFailed, validate, self.GROUP,
            {'provider.yaml': self.PROVIDER.replace('BAD', '-1')}, self.ENV)
        self.assertIn('resources.random.properties.length: ', str(exc))
