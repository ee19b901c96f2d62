"""get_param, get_resource, get_attr, get_file and Ref."""

from convergence import exceptions
from convergence import template as tmpl
from convergence.template import UNRESOLVED
from convergence.tests.unit.template import base

JSON_PARAM = {'j': {'type': 'json', 'default': {'a': {'b': [10, 20]}}}}
LIST_PARAM = {'l': {'type': 'comma_delimited_list', 'default': 'x,y,z'}}


class GetParamTest(base.TemplateTestCase):

    def test_by_name(self):
        self.assertEqual('v', self.resolve(
            {'get_param': 'p'}, parameters={'p': {'type': 'string'}},
            params={'p': 'v'}))

    def test_path_into_json(self):
        self.assertEqual(20, self.resolve({'get_param': ['j', 'a', 'b', 1]},
                                          parameters=JSON_PARAM))

    def test_string_index_into_list(self):
        self.assertEqual('y', self.resolve({'get_param': ['l', '1']},
                                           parameters=LIST_PARAM))

    def test_path_that_does_not_fit_gives_empty_string(self):
        for path in (['j', 'nope'], ['j', 'a', 'b', 5], ['l', 'x'],
                     ['j', 'a', 'b', 0, 'deeper']):
            self.assertEqual('', self.resolve(
                {'get_param': path}, parameters={**JSON_PARAM,
                                                 **LIST_PARAM}))

    def test_returned_value_is_a_private_copy(self):
        stack = base.definition(base.one_resource({'get_param': 'j'},
                                                  parameters=JSON_PARAM))
        defn = stack.resource_definition('r')
        defn.properties()['v']['a']['b'].append(30)
        self.assertEqual([10, 20], defn.properties()['v']['a']['b'])

    def test_pseudo_parameters(self):
        self.assertEqual(['stack-uuid', 'mystack', 'tenant-1'], self.resolve(
            [{'get_param': 'OS::stack_id'}, {'get_param': 'OS::stack_name'},
             {'get_param': 'OS::project_id'}]))

    def test_unknown_parameter(self):
        """In a property, Heat's property error naming where it is."""
        exc = self.assertFails('Property error: : resources.r.properties.v: '
                               ': The Parameter (nope) was not provided.',
                               {'get_param': 'nope'},
                               error=exceptions.StackValidationFailed)
        self.assertEqual('StackValidationFailed', exc.error_type)

    def test_unknown_parameter_outside_properties(self):
        stack = base.definition({
            'heat_template_version': '2015-10-15',
            'resources': {'r': {'type': 'OS::Heat::None',
                                'metadata': {'m': {'get_param': 'nope'}}}}})
        exc = self.assertRaises(
            exceptions.UserParameterMissing,
            stack.resource_definition('r').resolved_metadata)
        self.assertEqual('The Parameter (nope) was not provided.', str(exc))

    def test_required_parameter_without_value(self):
        self.assertFails('The Parameter (p) was not provided.',
                         {'get_param': 'p'},
                         parameters={'p': {'type': 'string'}})

    def test_no_arguments(self):
        self.assertFails('resources.r.properties.v.get_param: Function '
                         '"get_param" must have arguments',
                         {'get_param': []})

    def test_arguments_must_be_string_or_list(self):
        self.assertFails('Argument to "get_param" must be string or list',
                         {'get_param': 5})

    def test_name_must_be_string(self):
        self.assertFails('Parameter name in "get_param" must be string',
                         {'get_param': [5]})

    def test_name_from_another_function(self):
        self.assertEqual('v', self.resolve(
            {'get_param': {'list_join': ['', ['p']]}},
            parameters={'p': {'type': 'string', 'default': 'v'}}))


class GetResourceTest(base.TemplateTestCase):

    def test_through_resolver(self):
        resolver = base.FakeResolver()
        self.assertEqual('o-id', self.resolve({'get_resource': 'o'},
                                              others=['o'],
                                              resolver=resolver))
        self.assertEqual([('ref', 'o')], resolver.calls)

    def test_unresolved_without_resolver(self):
        self.assertIs(UNRESOLVED, self.resolve({'get_resource': 'o'},
                                               others=['o']))

    def test_unknown_resource(self):
        exc = self.assertFails(
            'The specified reference "nope" (in resources.r.properties.v.'
            'get_resource) is incorrect.', {'get_resource': 'nope'},
            error=exceptions.InvalidTemplateReference)
        self.assertEqual(400, exc.http_status)

    def test_name_from_parameter(self):
        self.assertEqual('o-id', self.resolve(
            {'get_resource': {'get_param': 'which'}}, others=['o'],
            parameters={'which': {'type': 'string', 'default': 'o'}},
            resolver=base.FakeResolver()))

    def test_name_must_be_a_string(self):
        self.assertFails('Argument to "get_resource" must be a resource name',
                         {'get_resource': ['o']})

    def test_name_may_not_depend_on_a_resource(self):
        self.assertFails('must not depend on another resource',
                         {'get_resource': {'get_attr': ['o', 'a']}},
                         others=['o'])


class GetAttrTest(base.TemplateTestCase):

    resolver = base.FakeResolver({'o': {'a': {'k': ['x', 'y']}, 's': 'v'}})

    def test_attribute(self):
        self.assertEqual('v', self.resolve({'get_attr': ['o', 's']},
                                           others=['o'],
                                           resolver=self.resolver))

    def test_path_of_keys_and_indices(self):
        self.assertEqual('y', self.resolve({'get_attr': ['o', 'a', 'k', 1]},
                                           others=['o'],
                                           resolver=self.resolver))

    def test_path_that_does_not_fit_gives_none(self):
        for path in (['nope'], ['k', 5], ['k', 0, 'z'], ['k', 'x']):
            self.assertIsNone(self.resolve({'get_attr': ['o', 'a'] + path},
                                           others=['o'],
                                           resolver=self.resolver))

    def test_path_from_function(self):
        self.assertEqual('x', self.resolve(
            {'get_attr': ['o', 'a', {'str_split': [',', 'k,j', 0]}, 0]},
            others=['o'], resolver=self.resolver))

    def test_a_members_attribute_is_one_attribute_name(self):
        # [g, resource.0, value, ...] is read as [g, resource.0.value, ...]:
        # the member's attribute is what the group provides and sends.
        resolver = base.FakeResolver({'o': {'resource.0.value': ['p', 'q']}})
        self.assertEqual('q', self.resolve(
            {'get_attr': ['o', 'resource.0', 'value', 1]}, others=['o'],
            resolver=resolver))
        stack = base.definition(base.one_resource(
            {'get_attr': ['o', 'resource.0', 'value']}, others=['o']))
        self.assertEqual({'resource.0.value'},
                         stack.referenced_attributes('o'))

    def test_all_attributes(self):
        self.assertEqual({'a': {'k': ['x', 'y']}, 's': 'v'}, self.resolve(
            {'get_attr': ['o']}, others=['o'], resolver=self.resolver))

    def test_all_attributes_from_a_two_method_resolver(self):
        class TwoMethods:
            def reference_id(self, name):
                return name

            def attribute(self, name, attr):
                return {'*': {'every': 'thing'}}.get(attr)
        self.assertEqual({'every': 'thing'}, self.resolve(
            {'get_attr': ['o']}, others=['o'], resolver=TwoMethods()))

    def test_unresolved_without_resolver(self):
        self.assertIs(UNRESOLVED, self.resolve({'get_attr': ['o', 's']},
                                               others=['o']))

    def test_unknown_resource(self):
        self.assertFails('The specified reference "nope" (in resources.r.'
                         'properties.v.get_attr) is incorrect.',
                         {'get_attr': ['nope', 'a']},
                         error=exceptions.InvalidTemplateReference)

    def test_arguments_must_be_a_list(self):
        self.assertFails('Argument to "get_attr" must be a list',
                         {'get_attr': 'o.a'}, others=['o'])

    def test_empty_arguments(self):
        self.assertFails('Arguments to "get_attr" can be of the next forms',
                         {'get_attr': []})

    def test_attribute_name_must_be_a_string(self):
        self.assertFails('Attribute name in "get_attr" must be a string',
                         {'get_attr': ['o', 5]}, others=['o'])

    def test_resolver_errors_pass_through(self):
        class Broken(base.FakeResolver):
            def attribute(self, name, attr):
                raise KeyError('boom')
        self.assertRaises(KeyError, self.resolve, {'get_attr': ['o', 's']},
                          others=['o'], resolver=Broken())


class GetFileTest(base.TemplateTestCase):

    def test_content(self):
        self.assertEqual('#!/bin/sh', self.resolve(
            {'get_file': 'a.sh'}, files={'a.sh': '#!/bin/sh'}))

    def test_missing_file(self):
        self.assertFails('No content found in the "files" section for '
                         'get_file path: b.sh', {'get_file': 'b.sh'})

    def test_key_must_be_a_string(self):
        self.assertFails('Argument to "get_file" must be a string',
                         {'get_file': ['a']})


class RefTest(base.TemplateTestCase):

    def test_resource(self):
        self.assertEqual('o-id', self.resolve(
            {'Ref': 'o'}, version='2013-05-23', others=['o'],
            resolver=base.FakeResolver()))

    def test_parameter(self):
        self.assertEqual('v', self.resolve(
            {'Ref': 'p'}, version='2013-05-23',
            parameters={'p': {'type': 'string', 'default': 'v'}}))

    def test_unknown(self):
        self.assertFails('The specified reference "nope" (in unknown) is '
                         'incorrect.', {'Ref': 'nope'}, version='2013-05-23')


class ResourceFacadeTest(base.TemplateTestCase):
    """resource_facade reads the parent resource of a child stack."""

    FACADE = {'metadata': {'foo': ['bar']}, 'deletion_policy': 'Retain',
              'update_policy': {}}

    def child(self, value, version='2013-05-23', facade=FACADE):
        stack = tmpl.StackDefinition(
            tmpl.Template(base.one_resource(value, version)),
            tmpl.Environment(None), {}, base.IDENTITY, facade)
        return stack.resource_definition('r').properties()['v']

    def test_each_part_of_the_parent(self):
        self.assertEqual({'foo': ['bar']},
                         self.child({'resource_facade': 'metadata'}))
        self.assertEqual('Retain',
                         self.child({'resource_facade': 'deletion_policy'}))
        self.assertEqual({}, self.child({'resource_facade': 'update_policy'}))
        self.assertEqual('bar', self.child(
            {'Fn::Select': [0, {'Fn::Select': [
                'foo', {'resource_facade': 'metadata'}]}]}))

    def test_a_private_copy(self):
        self.child({'resource_facade': 'metadata'})['foo'].append('x')
        self.assertEqual({'foo': ['bar']}, self.FACADE['metadata'])

    def test_cfn_spelling(self):
        self.assertEqual('Retain', self.child(
            {'Fn::ResourceFacade': 'DeletionPolicy'}))

    def test_unknown_part(self):
        exc = self.assertRaises(exceptions.StackValidationFailed, self.child,
                                {'resource_facade': 'wrong'})
        self.assertEqual(
            'resources.r.properties.v.resource_facade: Incorrect arguments '
            'to "resource_facade" should be one of: metadata, '
            'deletion_policy, update_policy', str(exc))

    def test_outside_a_child_stack(self):
        exc = self.assertRaises(exceptions.StackValidationFailed, self.child,
                                {'resource_facade': 'metadata'}, facade=None)
        self.assertIn('"resource_facade" is only valid in a nested stack',
                      str(exc))
