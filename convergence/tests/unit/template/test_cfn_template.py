"""CFN templates: versions, sections, resource and output keys."""

import testscenarios

from convergence import exceptions
from convergence.template import Template, template_functions
from convergence.tests.unit.template import base, cfn

load_tests = testscenarios.load_tests_apply_scenarios

BOTH = [('aws', {'header': cfn.AWS}), ('heat', {'header': cfn.HEAT})]
NONE = {'Type': 'OS::Heat::None'}


class VersionTest(cfn.CfnTestCase):
    """Given a CFN version key, then the template has that version."""

    def test_aws_version(self):
        tmpl = Template(cfn.template())
        self.assertEqual('2010-09-09', tmpl.version)
        self.assertTrue(tmpl.spec.has_conditions)

    def test_heat_version_has_no_conditions(self):
        tmpl = Template(cfn.template(cfn.HEAT))
        self.assertEqual('2012-12-12', tmpl.version)
        self.assertFalse(tmpl.spec.has_conditions)

    def test_unknown_heat_version(self):
        exc = self.assertRaises(
            exceptions.InvalidTemplateVersion, Template(
                {'HeatTemplateFormatVersion': '2013-01-01'}).validate)
        self.assertIn('"HeatTemplateFormatVersion" should be: 2012-12-12',
                      str(exc))


class SectionsTest(cfn.CfnTestCase):
    """Given a CFN template, when it is validated, then its sections are
    CFN's, spelt CFN's way."""

    scenarios = BOTH

    def test_every_section(self):
        base.definition(cfn.template(
            self.header, Description='d', Parameters={}, Mappings={},
            Resources={}, Outputs={})).validate()

    def test_hot_spelling_is_an_unknown_section(self):
        self.assertEqual('The template section is invalid: resources',
                         self.structure_error(
                             cfn.template(self.header, resources={}),
                             exceptions.InvalidTemplateSection))

    def test_top_level_metadata_is_refused_as_by_heat(self):
        self.assertEqual('The template section is invalid: Metadata',
                         self.structure_error(
                             cfn.template(self.header, Metadata={}),
                             exceptions.InvalidTemplateSection))

    def test_sections_must_be_maps(self):
        for section in ('Parameters', 'Mappings', 'Resources', 'Outputs'):
            self.assertEqual('The "%s" section must be a map, not list'
                             % section, self.structure_error(
                                 cfn.template(self.header, **{section: []}),
                                 exceptions.StackValidationFailed))

    def test_description(self):
        self.assertEqual('d', Template(cfn.template(
            self.header, Description='d')).description)
        self.assertEqual('No description',
                         Template(cfn.template(self.header)).description)


class ResourceKeysTest(cfn.CfnTestCase):
    """Given CFN resource keys, then each one means what its HOT twin
    does."""

    scenarios = BOTH

    def stack(self, **resources):
        return base.definition(cfn.template(self.header, Resources=resources))

    def test_every_key(self):
        stack = self.stack(a=NONE, b={
            'Type': 'OS::Heat::None', 'Properties': {'p': 1},
            'Metadata': {'m': {'Ref': 'a'}}, 'DependsOn': ['a'],
            'DeletionPolicy': 'Retain', 'UpdatePolicy': {'u': 1},
            'Description': 'd'})
        defn = stack.resource_definition('b')
        self.assertEqual(({'p': 1}, {'m': 'a-id'}, 'Retain', {'u': 1}, 'd'),
                         (defn.properties(),
                          defn.resolved_metadata(base.FakeResolver()),
                          defn.deletion_policy, defn.update_policy,
                          defn.description))
        self.assertEqual({'a': set(), 'b': {'a'}}, stack.dependencies())

    def test_every_key_validates_but_an_update_policy_none_honours(self):
        stack = self.stack(a=NONE, b={
            'Type': 'OS::Heat::None', 'Properties': {'p': 1},
            'Metadata': {'m': {'Ref': 'a'}}, 'DependsOn': ['a'],
            'DeletionPolicy': 'Retain', 'UpdatePolicy': {},
            'Description': 'd'})
        stack.validate()
        self.assertIn('Property error: Resources.b.UpdatePolicy: Unknown '
                      'Property u', self.invalid(cfn.template(
                          self.header, Resources={
                              'b': {**NONE, 'UpdatePolicy': {'u': 1}}}),
                          exceptions.StackValidationFailed))
        self.assertIn('Resources.b.DeletionPolicy', self.invalid(
            cfn.template(self.header, Resources={
                'b': {**NONE, 'DeletionPolicy': 'Snapshot'}}),
            exceptions.StackValidationFailed))

    def test_depends_on_one_name(self):
        stack = self.stack(a=NONE, b={**NONE, 'DependsOn': 'a'})
        self.assertEqual({'a': set(), 'b': {'a'}}, stack.dependencies())

    def test_depends_on_an_unknown_resource(self):
        self.assertIn('The specified reference "zz" (in b) is incorrect.',
                      self.invalid(cfn.template(
                          self.header,
                          Resources={'b': {**NONE, 'DependsOn': 'zz'}}),
                          exceptions.InvalidTemplateReference))

    def test_hot_key_is_not_a_valid_keyword(self):
        self.assertEqual('Resources.a: "properties" is not a valid keyword '
                         'inside a resource definition',
                         self.structure_error(cfn.template(
                             self.header, Resources={
                                 'a': {**NONE, 'properties': {}}}),
                             exceptions.StackValidationFailed))

    def test_missing_type(self):
        self.assertEqual('Resources.a: Each resource must contain a Type '
                         'key.', self.structure_error(cfn.template(
                             self.header,
                             Resources={'a': {'Properties': {}}}),
                             exceptions.StackValidationFailed))

    def test_value_types_name_the_cfn_key(self):
        cases = [({'Type': 5}, 'Resource a Type type must be string'),
                 ({**NONE, 'Properties': []},
                  'Resource a Properties type must be object'),
                 ({**NONE, 'DependsOn': [1]},
                  'Resource a DependsOn must be a list of strings')]
        for snippet, message in cases:
            self.assertEqual('Resources.a: ' + message, self.structure_error(
                cfn.template(self.header, Resources={'a': snippet}),
                exceptions.StackValidationFailed))

    def test_deletion_policy_has_no_lower_case_alias(self):
        self.assertIn('Resources.a.DeletionPolicy: Invalid deletion policy '
                      '"retain"', self.invalid(cfn.template(
                          self.header, Resources={
                              'a': {**NONE, 'DeletionPolicy': 'retain'}}),
                          exceptions.StackValidationFailed))

    def test_properties_resolving_to_a_non_map(self):
        self.assertIn('Resource a Properties type must be object',
                      self.invalid(cfn.template(
                          self.header,
                          Parameters={'l': {'Type': 'CommaDelimitedList',
                                            'Default': 'x'}},
                          Resources={'a': {**NONE, 'Properties': {
                              'Ref': 'l'}}}),
                          exceptions.StackValidationFailed))

    def test_hot_only_keys_are_refused(self):
        self.assertIn('"external_id" is not a valid keyword',
                      self.structure_error(cfn.template(
                          self.header, Resources={
                              'a': {**NONE, 'external_id': 'x'}}),
                          exceptions.StackValidationFailed))


class OutputsTest(cfn.CfnTestCase):
    """Given CFN outputs, then Value and Description are read."""

    scenarios = BOTH

    def test_value_and_description(self):
        stack = base.definition(cfn.template(self.header, Outputs={
            'o': {'Value': {'Fn::Join': ['-', ['a', 'b']]},
                  'Description': 'd'}}))
        stack.validate()
        self.assertEqual(('a-b', 'd'), (stack.resolve_output('o', None),
                                        stack.output_description('o')))

    def test_missing_value(self):
        self.assertEqual('Outputs.o: Each output must contain a Value key.',
                         self.structure_error(cfn.template(
                             self.header, Outputs={'o': {'Description': 1}}),
                             exceptions.StackValidationFailed))

    def test_unknown_key(self):
        self.assertEqual('Outputs.o: "value" is not a valid keyword inside '
                         'a output definition', self.structure_error(
                             cfn.template(self.header,
                                          Outputs={'o': {'value': 1}}),
                             exceptions.StackValidationFailed))

    def test_error_in_a_value_names_the_path(self):
        stack = base.definition(cfn.template(self.header, Outputs={
            'o': {'Value': {'Fn::Base64': [1]}}}))
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.resolve_output, 'o', None)
        self.assertIn('Outputs.o.Value.Fn::Base64: "Fn::Base64" argument '
                      'must be a string', str(exc))


class ConditionsTest(cfn.CfnTestCase):
    """Given AWS 2010-09-09 Conditions, then the Condition keys of
    resources and outputs use them; 2012-12-12 has none of it."""

    def stack(self, header=None):
        return base.definition(cfn.template(
            header, Parameters={'on': {'Type': 'Boolean', 'Default': False}},
            Conditions={'c': {'Fn::Equals': [{'Ref': 'on'}, True]}},
            Resources={'a': NONE, 'b': {**NONE, 'Condition': 'c'}},
            Outputs={'o': {'Value': {'Ref': 'b'}, 'Condition': 'c'}}))

    def test_a_false_condition_leaves_resource_and_output_out(self):
        stack = self.stack()
        stack.validate()
        self.assertEqual(['a'], stack.resource_names())
        self.assertIsNone(stack.resolve_output('o', None))

    def test_an_unknown_condition_names_the_key(self):
        self.assertIn('Resources.b.Condition: Invalid condition "nope"',
                      self.invalid(cfn.template(Resources={
                          'b': {**NONE, 'Condition': 'nope'}}),
                          exceptions.StackValidationFailed))

    def test_heat_version_has_no_conditions_section(self):
        self.assertEqual('The template section is invalid: Conditions',
                         self.structure_error(
                             cfn.template(cfn.HEAT, Conditions={}),
                             exceptions.InvalidTemplateSection))

    def test_heat_version_has_no_condition_key(self):
        self.assertIn('"Condition" is not a valid keyword',
                      self.structure_error(cfn.template(
                          cfn.HEAT,
                          Resources={'b': {**NONE, 'Condition': True}}),
                          exceptions.StackValidationFailed))


class EmptyLikeTest(cfn.CfnTestCase):
    """Given a CFN template, when the empty template of a delete is made
    from it, then it keeps everything but Resources and Outputs."""

    def test_keeps_version_parameters_mappings_conditions(self):
        tmpl = cfn.template(Description='d', Parameters={}, Mappings={},
                            Conditions={}, Resources={'a': NONE},
                            Outputs={'o': {'Value': 1}})
        empty = Template.empty_like(Template(tmpl)).to_dict()
        self.assertEqual(cfn.template(Description='d', Parameters={},
                                      Mappings={}, Conditions={}), empty)


class FunctionListTest(cfn.CfnTestCase):
    """Given the functions API, then it lists CFN's as Heat does."""

    def names(self, version, with_condition=False):
        return [f['functions']
                for f in template_functions(version, with_condition)]

    def test_heat_version(self):
        self.assertEqual(
            ['Fn::FindInMap', 'Fn::GetAZs', 'Ref', 'Fn::GetAtt',
             'Fn::Select', 'Fn::Join', 'Fn::Split', 'Fn::Replace',
             'Fn::Base64', 'Fn::MemberListToMap', 'Fn::ResourceFacade'],
            self.names('HeatTemplateFormatVersion.2012-12-12'))

    def test_aws_version_with_conditions(self):
        self.assertEqual(
            ['Fn::FindInMap', 'Fn::GetAZs', 'Ref', 'Fn::GetAtt',
             'Fn::Select', 'Fn::Join', 'Fn::Split', 'Fn::Replace',
             'Fn::Base64', 'Fn::MemberListToMap', 'Fn::ResourceFacade',
             'Fn::If', 'Fn::Equals',
             'Fn::Not', 'Fn::And', 'Fn::Or'],
            self.names('AWSTemplateFormatVersion.2010-09-09', True))

    def test_descriptions_are_heats(self):
        described = {f['functions']: f['description'] for f in
                     template_functions('AWSTemplateFormatVersion.2010-09-09')}
        self.assertEqual('A function for resolving keys in the template '
                         'mappings.', described['Fn::FindInMap'])
        self.assertEqual('A function to return corresponding value based on '
                         'condition evaluation.', described['Fn::If'])

    def test_unknown_cfn_version(self):
        self.assertRaises(exceptions.NotFound, template_functions,
                          'AWSTemplateFormatVersion.2012-12-12')
