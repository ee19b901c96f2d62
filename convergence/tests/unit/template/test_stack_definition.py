"""StackDefinition: definitions, dependencies, cycles, outputs, validation."""

from unittest import mock

import testtools

from convergence import exceptions
from convergence.template import UNRESOLVED, function
from convergence.tests.unit.template import base

CHAIN = '''
heat_template_version: 2015-10-15
parameters:
  name: {type: string, default: web}
resources:
  net:
    type: OS::Heat::None
  subnet:
    type: OS::Heat::None
    properties:
      network: {get_resource: net}
  server:
    type: My::Server
    depends_on: [subnet]
    metadata:
      note: {get_attr: [net, cidr]}
    properties:
      name: {get_param: name}
      ip: {get_attr: [subnet, addresses, 0, ip]}
      all: {get_attr: [net]}
  lonely:
    type: OS::Heat::None
    deletion_policy: Retain
    update_policy: {batch: {get_param: name}}
    description: on its own
outputs:
  ip:
    description: the address
    value: {get_attr: [server, first_address]}
  name:
    value: {get_param: name}
'''
# CHAIN as a stack operation accepts it: no type here has an update policy.
VALID_CHAIN = CHAIN.replace('    update_policy: {batch: {get_param: name}}\n',
                            '')


def cycle(*edges):
    resources = {name: {'type': 'T'} for edge in edges for name in edge}
    for requirer, required in edges:
        resources[requirer].setdefault('depends_on', []).append(required)
    return base.definition({'heat_template_version': '2015-10-15',
                            'resources': resources})


class ResourcesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.stack = base.definition(CHAIN, env={'resource_registry': {
            'My::Server': 'OS::Heat::TestResource',
            'resources': {'server': {'restricted_actions': 'replace'}}}})

    def test_names_in_template_order(self):
        self.assertEqual(['net', 'subnet', 'server', 'lonely'],
                         self.stack.resource_names())

    def test_definition_fields(self):
        server = self.stack.resource_definition('server')
        self.assertEqual('server', server.name)
        self.assertEqual('My::Server', server.declared_type)
        self.assertEqual('OS::Heat::TestResource', server.type)
        self.assertEqual(['subnet'], server.depends_on)
        self.assertEqual({'replace'}, server.restricted_actions)
        self.assertEqual('Delete', server.deletion_policy)
        self.assertEqual({'note': {'get_attr': ['net', 'cidr']}},
                         server.metadata)
        lonely = self.stack.resource_definition('lonely')
        self.assertEqual('Retain', lonely.deletion_policy)
        self.assertEqual({'batch': 'web'}, lonely.update_policy)
        self.assertEqual('on its own', lonely.description)
        self.assertIsNone(lonely.external_id)

    def test_properties_without_resolver(self):
        self.assertEqual({'name': 'web', 'ip': UNRESOLVED, 'all': UNRESOLVED},
                         self.stack.resource_definition('server').properties())

    def test_properties_with_resolver(self):
        resolver = base.FakeResolver({'subnet': {'addresses': [{'ip': '1'}]},
                                      'net': {'cidr': '10/8'}})
        server = self.stack.resource_definition('server')
        self.assertEqual({'name': 'web', 'ip': '1', 'all': {'cidr': '10/8'}},
                         server.properties(resolver))
        self.assertEqual({'note': '10/8'}, server.resolved_metadata(resolver))

    def test_definitions_are_cached_and_not_reparsed(self):
        defn = self.stack.resource_definition('server')
        self.assertIs(defn, self.stack.resource_definition('server'))
        with mock.patch.object(function, 'parse') as parse:
            defn.properties(base.FakeResolver())
            self.stack.resource_definition('server').properties()
        parse.assert_not_called()

    def test_resolution_reads_only_this_resources_references(self):
        resolver = base.FakeResolver()
        self.stack.resource_definition('subnet').properties(resolver)
        self.assertEqual([('ref', 'net')], resolver.calls)

    def test_required_names(self):
        self.assertEqual({'net', 'subnet'}, self.stack.resource_definition(
            'server').required_names())

    def test_dependencies(self):
        self.assertEqual({'net': set(), 'subnet': {'net'},
                          'server': {'net', 'subnet'}, 'lonely': set()},
                         self.stack.dependencies())

    def test_referenced_attributes(self):
        self.assertEqual({'addresses'},
                         self.stack.referenced_attributes('subnet'))
        self.assertEqual({'cidr', '*'}, self.stack.referenced_attributes('net'))
        self.assertEqual({'first_address'},
                         self.stack.referenced_attributes('server'))
        self.assertEqual(set(), self.stack.referenced_attributes('lonely'))

    def test_unknown_resource(self):
        self.assertRaises(exceptions.ResourceNotFound,
                          self.stack.resource_definition, 'nope')


class CycleTest(testtools.TestCase):

    def test_cycle_is_named(self):
        exc = self.assertRaises(exceptions.CircularDependencyException,
                                cycle(('a', 'b'), ('b', 'c'), ('c', 'a'))
                                .dependencies)
        self.assertIn('Circular Dependency Found: ', str(exc))
        for name in 'abc':
            self.assertIn(name, str(exc))
        self.assertRegex(str(exc), r'(\w) -> \w -> \w -> \1$')

    def test_self_reference(self):
        defn = base.definition({'heat_template_version': '2015-10-15',
                                'resources': {'a': {
                                    'type': 'T', 'properties': {
                                        'x': {'get_attr': ['a', 'y']}}}}})
        exc = self.assertRaises(exceptions.CircularDependencyException,
                                defn.validate)
        self.assertEqual('Circular Dependency Found: a -> a', str(exc))

    def test_no_cycle(self):
        self.assertEqual({'a': {'b'}, 'b': set()},
                         cycle(('a', 'b')).dependencies())


class OutputsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.stack = base.definition(CHAIN)

    def test_names_and_descriptions(self):
        self.assertEqual(['ip', 'name'], self.stack.output_names())
        self.assertEqual('the address', self.stack.output_description('ip'))
        self.assertEqual('No description given',
                         self.stack.output_description('name'))

    def test_resolve(self):
        resolver = base.FakeResolver({'server': {'first_address': '1.2.3.4'}})
        self.assertEqual('1.2.3.4', self.stack.resolve_output('ip', resolver))
        self.assertEqual('web', self.stack.resolve_output('name', resolver))

    def test_output_resources_are_those_the_outputs_read(self):
        self.assertEqual({'server'}, self.stack.output_resources(['ip']))
        self.assertEqual(set(), self.stack.output_resources(['name']))
        disabled = CHAIN.replace('2015-10-15', '2016-10-14').replace(
            'value: {get_attr: [server, first_address]}',
            'value: {get_attr: [server, first_address]}\n'
            '    condition: false')
        self.assertEqual(set(), base.definition(disabled).output_resources(
            ['ip']))

    def test_unknown_output(self):
        exc = self.assertRaises(exceptions.NotFound,
                                self.stack.resolve_output, 'nope', None)
        self.assertEqual('Specified output key nope not found.', str(exc))

    def test_failure_names_the_output(self):
        stack = base.definition({
            'heat_template_version': '2015-10-15',
            'outputs': {'o': {'value': {'str_split': [',', 'a', 5]}},
                        'p': {'value': {'get_param': 'missing'}}}})
        stack.validate()      # like Heat, outputs are not resolved here
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.resolve_output, 'o', None)
        self.assertEqual('outputs.o.value.str_split: Incorrect index to '
                         '"str_split" should be between 0 and 0', str(exc))
        exc = self.assertRaises(exceptions.UserParameterMissing,
                                stack.resolve_output, 'p', None)
        self.assertEqual('The Parameter (missing) was not provided.',
                         str(exc))

    def test_reference_to_unknown_resource(self):
        stack = base.definition({
            'heat_template_version': '2015-10-15',
            'outputs': {'o': {'value': {'get_attr': ['nope', 'x']}}}})
        exc = self.assertRaises(exceptions.InvalidTemplateReference,
                                stack.validate)
        self.assertEqual('The specified reference "nope" (in outputs.o.value.'
                         'get_attr) is incorrect.', str(exc))


class ValidateTest(testtools.TestCase):

    def test_valid(self):
        checked = []
        base.definition(VALID_CHAIN).validate(
            type_exists=lambda t: True,
            validate_properties=lambda d, p: checked.append((d.name, p)))
        self.assertEqual(
            [('net', {}), ('subnet', {'network': UNRESOLVED}),
             ('server', {'name': 'web', 'ip': UNRESOLVED, 'all': UNRESOLVED}),
             ('lonely', {})], checked)

    def test_unknown_type(self):
        # Heat reports it as StackValidationFailed, without a path prefix.
        exc = self.assertRaises(
            exceptions.StackValidationFailed, base.definition(CHAIN).validate,
            type_exists=lambda t: t != 'My::Server')
        self.assertEqual('StackValidationFailed', exc.error_type)
        self.assertEqual('The Resource Type (My::Server) could not be found.',
                         str(exc))

    def test_type_is_checked_after_aliasing(self):
        stack = base.definition(VALID_CHAIN, env={'resource_registry': {
            'My::Server': 'OS::Heat::None'}})
        stack.validate(type_exists=lambda t: t == 'OS::Heat::None')

    def test_a_type_that_cannot_be_used_names_its_resource(self):
        stack = base.definition({'heat_template_version': '2015-10-15',
                                 'resources': {'r': {'type': 'nested.yaml'}}})

        def unusable(type_name):
            raise exceptions.StackValidationFailed(message='not in files')
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.validate, type_exists=unusable)
        self.assertEqual('resources.r: not in files', str(exc))

    def test_property_errors_name_the_place(self):
        stack = base.definition(base.one_resource(
            {'a': [{'str_split': [',']}]}))
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.validate)
        self.assertIn('resources.r.properties.v.a[0].str_split: Incorrect '
                      'arguments to "str_split"', str(exc))

    def test_property_checker_errors_pass_through(self):
        def reject(defn, props):
            raise exceptions.StackValidationFailed('no', path=['x'])
        self.assertRaises(exceptions.StackValidationFailed,
                          base.definition(CHAIN).validate,
                          validate_properties=reject)

    def test_depends_on_unknown_message(self):
        stack = base.definition({'heat_template_version': '2015-10-15',
                                 'resources': {'a': {'type': 'T',
                                                     'depends_on': 'zz'}}})
        exc = self.assertRaises(exceptions.InvalidTemplateReference,
                                stack.validate)
        self.assertEqual('The specified reference "zz" (in a) is incorrect.',
                         str(exc))

    def test_duplicate_names(self):
        stack = base.definition({'heat_template_version': '2015-10-15',
                                 'parameters': {'a': {'type': 'string',
                                                      'default': ''}},
                                 'resources': {'a': {'type': 'T'}}})
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.validate)
        self.assertEqual("Duplicate names {'a'}", str(exc))

    def test_invalid_deletion_policy(self):
        stack = base.definition({'heat_template_version': '2015-10-15',
                                 'resources': {'a': {
                                     'type': 'T',
                                     'deletion_policy': 'retain'}}})
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.validate)
        self.assertEqual('resources.a.deletion_policy: Invalid deletion '
                         'policy "retain"', str(exc))

    def test_deletion_policy_from_parameter(self):
        stack = base.definition({'heat_template_version': '2015-10-15',
                                 'parameters': {'dp': {'type': 'string'}},
                                 'resources': {'a': {
                                     'type': 'T', 'deletion_policy': {
                                         'get_param': 'dp'}}}},
                                {'dp': 'Snapshot'})
        self.assertEqual('Snapshot',
                         stack.resource_definition('a').deletion_policy)

    def test_external_resource_cannot_depend(self):
        stack = base.definition({'heat_template_version': '2016-10-14',
                                 'resources': {'a': {'type': 'T'},
                                               'b': {'type': 'T',
                                                     'external_id': 'x',
                                                     'depends_on': 'a'}}})
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.validate)
        self.assertIn('Invalid dependency with external T resource: x',
                      str(exc))

    def test_properties_that_are_not_a_map(self):
        stack = base.definition({
            'heat_template_version': '2015-10-15',
            'parameters': {'p': {'type': 'string', 'default': 'x'}},
            'resources': {'a': {'type': 'T',
                                'properties': {'get_param': 'p'}}}})
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                stack.validate)
        self.assertIn('Resource a properties type must be object', str(exc))

    def test_properties_from_a_json_parameter(self):
        stack = base.definition({
            'heat_template_version': '2015-10-15',
            'parameters': {'p': {'type': 'json', 'default': {'k': 1}}},
            'resources': {'a': {'type': 'T',
                                'properties': {'get_param': 'p'}}}})
        stack.validate()
        self.assertEqual({'k': 1}, stack.resource_definition('a').properties())

    def test_non_strict_does_not_resolve_properties(self):
        stack = base.definition(base.one_resource({'get_param': 'p'},
                                                  parameters={'p': {
                                                      'type': 'string'}}))
        stack.validate(strict=False)
        self.assertRaises(exceptions.UserParameterMissing, stack.validate)
