"""Provider templates as plugins: schema from parameters, attributes from
outputs, properties to parameters and the reference id, as Heat's
TemplateResource."""

import testtools

from convergence import exceptions
from convergence import resources
from convergence.resources import properties as props
from convergence.resources import template_resource
from convergence.resources.base import ResourceContext

HOT = '''
heat_template_version: 2015-10-15
description: A provider.
parameters:
  s: {type: string, constraints: [{length: {max: 3}}]}
  n: {type: number, default: 1}
  l: {type: comma_delimited_list, default: []}
  j: {type: json, default: {}}
  b: {type: boolean, default: false}
outputs:
  out: {value: 1, description: An output.}
'''
CFN = '''
HeatTemplateFormatVersion: '2012-12-12'
Parameters:
  Size: {Type: Number, MaxValue: 5}
Outputs:
  Out: {Value: 1}
'''


def provider(text=HOT, name='p.yaml'):
    return resources.get_class(name, {name: text})


def plugin(cls, properties, **context):
    ctx = ResourceContext(stack_name='parent', stack_id='pid',
                          resource_name='r',
                          resource_uuid='a3e1c8a2-5b5f-4d1e-9c3b-7f1e2d3c4b5a',
                          tenant='proj', **context)
    return cls('r', properties, ctx)


class SchemaTest(testtools.TestCase):

    def test_types_and_required(self):
        schema = provider().with_parameter_defaults(()).properties_schema
        self.assertEqual(
            {'s': (props.STRING, True), 'n': (props.NUMBER, False),
             'l': (props.LIST, False), 'j': (props.MAP, False),
             'b': (props.BOOLEAN, False)},
            {k: (v.type, v.required) for k, v in schema.items()})
        self.assertTrue(all(v.update_allowed for v in schema.values()))

    def test_parameter_defaults_are_defaults(self):
        schema = provider().with_parameter_defaults({'s'}).properties_schema
        self.assertFalse(schema['s'].required)

    def test_constraints_are_checked_in_the_parent(self):
        exc = self.assertRaises(
            exceptions.StackValidationFailed, props.validate_properties,
            provider(), 'r', {'s': 'long'})
        self.assertIn('resources.r.properties.s', str(exc))

    def test_attributes_are_outputs(self):
        cls = provider()
        self.assertIn('out', cls.attributes_schema)
        self.assertNotIn('other', cls.attributes_schema)
        self.assertEqual('A provider.', cls.__doc__)

    def test_cfn_provider(self):
        cls = provider(CFN)
        self.assertEqual(props.NUMBER,
                         cls.properties_schema['Size'].type)
        self.assertTrue(cls.has_attribute('Out'))
        self.assertRaises(exceptions.StackValidationFailed,
                          props.validate_properties, cls, 'r', {'Size': 9})

    def test_only_yaml_and_template_names_are_templates(self):
        self.assertTrue(template_resource.is_template_type('a/b.yaml'))
        self.assertTrue(template_resource.is_template_type('x.template'))
        self.assertFalse(template_resource.is_template_type('x.json'))

    def test_a_broken_provider_names_its_file(self):
        exc = self.assertRaises(exceptions.StackValidationFailed, provider,
                                'heat_template_version: 2015-10-15\n'
                                'parameters: {p: {type: nope}}\n')
        self.assertIn('p.yaml', str(exc))


class ChildTest(testtools.TestCase):

    def test_properties_become_parameters_as_heat_passes_them(self):
        child = plugin(provider(), {'s': 'a', 'n': 2, 'l': ['x', None],
                                    'j': {'k': 1}, 'b': True})
        self.assertEqual({'s': 'a', 'n': 2, 'l': 'x,', 'j': {'k': 1},
                          'b': True}, child.child_parameters())

    def test_a_list_of_maps_is_flattened(self):
        self.assertEqual('.member.0.a=1,.member.1.b=2',
                         template_resource.parameter_value(
                             props.Schema(props.LIST), [{'a': 1}, {'b': 2}]))

    def test_reference_is_the_stack_arn(self):
        child = plugin(provider(), {}, resource_id='cid', nested_outputs={})
        self.assertEqual(
            'arn:openstack:heat::proj:stacks/%s/cid'
            % child.physical_resource_name(), child.get_reference_id())

    def test_reference_is_the_stack_id_output(self):
        child = plugin(provider(), {}, resource_id='cid',
                       nested_outputs={'OS::stack_id': 'given'})
        self.assertEqual('given', child.get_reference_id())

    def test_reference_before_the_child_exists(self):
        self.assertEqual('r', plugin(provider(), {}).get_reference_id())

    def test_child_environment_drops_its_own_mapping(self):
        env = {'resource_registry': {'My::T': 'p.yaml', 'X': 'Y'},
               'parameter_defaults': {'d': 1}}
        child = plugin(provider(), {'s': 'a'}, environment=env)
        self.assertEqual({'resources': {}, 'X': 'Y'},
                         child.child_environment()['resource_registry'])
        self.assertEqual({'s': 'a'}, child.child_environment()['parameters'])


class NestedResourceAttributesTest(testtools.TestCase):
    """``get_attr: [provider, resource.<name>, ...]`` (Heat's grouputils)."""

    NESTED = ('heat_template_version: 2015-10-15\n'
              'resources: {secret1: {type: OS::Heat::RandomString}}\n')

    def test_an_attribute_of_a_child_resource(self):
        cls = provider(self.NESTED)
        self.assertTrue(cls.has_attribute('resource.secret1'))
        child = plugin(cls, {}, referenced_attributes=frozenset(
            {'resource.secret1', 'resource.secret1.value', 'resource.nope'}))
        self.assertEqual(
            {'resource.secret1': {'value': {'get_resource': 'secret1'}},
             'resource.secret1.value': {
                 'value': {'get_attr': ['secret1', 'value']}}},
            child.child_template()['outputs'])

    def test_without_references_the_template_is_unchanged(self):
        cls = provider(self.NESTED)
        self.assertIs(cls.template, plugin(cls, {}).child_template())
