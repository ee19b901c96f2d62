"""Template structure: sections, resource and output keys, groups."""

import testtools

from convergence import exceptions
from convergence.template import Template


def tmpl(resources=None, version='2016-10-14', **sections):
    t = {'heat_template_version': version}
    if resources is not None:
        t['resources'] = resources
    t.update(sections)
    return Template(t)


class StructureTest(testtools.TestCase):

    def invalid(self, template, error=exceptions.StackValidationFailed):
        return str(self.assertRaises(error, template.validate))

    def test_valid(self):
        tmpl({'a': {'type': 'T', 'properties': {}, 'metadata': {},
                    'depends_on': 'b', 'deletion_policy': 'Retain',
                    'update_policy': {}, 'description': 'd',
                    'external_id': 'x', 'condition': True},
              'b': {'type': 'T'}},
             description='d', parameters={}, outputs={},
             conditions={}).validate()

    def test_unknown_section(self):
        self.assertEqual('The template section is invalid: resource',
                         self.invalid(tmpl(resource={}),
                                      exceptions.InvalidTemplateSection))

    def test_unknown_resource_key(self):
        self.assertEqual('resources.a: "propertis" is not a valid keyword '
                         'inside a resource definition',
                         self.invalid(tmpl({'a': {'type': 'T',
                                                  'propertis': {}}})))

    def test_condition_key_needs_2016_10_14(self):
        self.assertIn('"condition" is not a valid keyword', self.invalid(
            tmpl({'a': {'type': 'T', 'condition': True}},
                 version='2016-04-08')))

    def test_missing_type(self):
        self.assertEqual('resources.a: Each resource must contain a type '
                         'key.', self.invalid(tmpl({'a': {'properties': {}}})))
        self.assertIn('Each resource must contain a type key.',
                      self.invalid(tmpl({'a': None})))

    def test_resource_must_be_a_map(self):
        self.assertIn('"resources" must contain a map of resource maps. '
                      'Found a [<class \'str\'>] instead',
                      self.invalid(tmpl({'a': 'T'})))

    def test_value_types(self):
        cases = [({'type': 5}, 'Resource a type type must be string'),
                 ({'type': 'T', 'properties': []},
                  'Resource a properties type must be object'),
                 ({'type': 'T', 'metadata': 'x'},
                  'Resource a metadata type must be object'),
                 ({'type': 'T', 'depends_on': 5},
                  'Resource a depends_on must be a list of strings'),
                 ({'type': 'T', 'depends_on': ['b', 1]},
                  'Resource a depends_on must be a list of strings')]
        for resource, message in cases:
            self.assertEqual('resources.a: ' + message,
                             self.invalid(tmpl({'a': resource})))

    def test_resource_name_without_slash(self):
        self.assertIn('Resource name may not contain "/"',
                      self.invalid(tmpl({'a/b': {'type': 'T'}})))

    def test_output_keys(self):
        self.assertEqual('outputs.o: Each output must contain a value key.',
                         self.invalid(tmpl(outputs={'o': {'description': 'd'}}
                                           )))
        self.assertEqual('outputs.o: "valeu" is not a valid keyword inside a '
                         'output definition',
                         self.invalid(tmpl(outputs={'o': {'valeu': 1}})))

    def test_sections_must_be_maps(self):
        self.assertIn('The "resources" section must be a map',
                      self.invalid(tmpl(['a'])))

    def test_empty_sections_are_fine(self):
        Template({'heat_template_version': '2015-10-15', 'resources': None,
                  'outputs': None, 'parameters': None}).validate()


class ParameterGroupsTest(testtools.TestCase):

    params = {'a': {'type': 'string'}, 'b': {'type': 'string'}}

    def invalid(self, groups):
        return str(self.assertRaises(
            exceptions.StackValidationFailed,
            tmpl(parameters=self.params, parameter_groups=groups).validate))

    def test_valid(self):
        tmpl(parameters=self.params, parameter_groups=[
            {'label': 'g', 'parameters': ['a']},
            {'parameters': ['b']}]).validate()

    def test_errors(self):
        self.assertEqual('Parameter Groups error: parameter_groups: The '
                         'parameter_groups should be a list.',
                         self.invalid({'a': 1}))
        self.assertEqual('Parameter Groups error: parameter_groups.g: The '
                         'parameters must be provided for each parameter '
                         'group.', self.invalid([{'label': 'g'}]))
        self.assertIn('The parameters of parameter group should be a list.',
                      self.invalid([{'parameters': 'a'}]))
        self.assertIn('The a parameter must be assigned to one parameter '
                      'group only.', self.invalid([{'parameters': ['a']},
                                                   {'parameters': ['a']}]))
        self.assertIn('The grouped parameter c does not reference a valid '
                      'parameter.', self.invalid([{'parameters': ['c']}]))


class AccessorsTest(testtools.TestCase):

    def test_description(self):
        self.assertEqual('hi', tmpl(description='hi').description)
        self.assertEqual('No description', tmpl().description)

    def test_to_dict_is_the_original(self):
        t = {'heat_template_version': 'newton'}
        self.assertIs(t, Template(t).to_dict())

    def test_empty_like_keeps_version_and_parameters(self):
        full = tmpl({'a': {'type': 'T'}}, version='pike', description='d',
                    parameters={'p': {'type': 'string'}},
                    outputs={'o': {'value': 1}}, conditions={'c': True})
        empty = Template.empty_like(full)
        self.assertEqual({'heat_template_version': 'pike', 'description': 'd',
                          'parameters': {'p': {'type': 'string'}},
                          'conditions': {'c': True}}, empty.to_dict())
        self.assertEqual('2017-09-01', empty.version)
        self.assertIn('resources', full.to_dict())
