"""The resource type API's views of a plugin class, in heat-engine's
shapes: its schema and a template made of it."""

import datetime

import testtools

from convergence import exceptions
from convergence import resources
from convergence.engine import catalog
from convergence.engine import stack_input
from convergence.engine import type_schema


def schema_of(type_name, **kwargs):
    return type_schema.resource_schema(resources.get_class(type_name),
                                       type_name, **kwargs)


class ResourceSchemaTest(testtools.TestCase):

    def test_properties_as_heat_shows_them(self):
        shown = schema_of('OS::Heat::RandomString')
        self.assertEqual('OS::Heat::RandomString', shown['resource_type'])
        length = shown['properties']['length']
        self.assertEqual(
            {'type': 'integer', 'default': 32, 'required': False,
             'constraints': [{'range': {'min': 1, 'max': 512}}],
             'update_allowed': False, 'immutable': False},
            {k: v for k, v in length.items() if k != 'description'})
        classes = shown['properties']['character_classes']['schema']['*']
        self.assertEqual({'class', 'min'}, set(classes['schema']))
        # The deprecated, hidden "sequence" is not offered.
        self.assertNotIn('sequence', shown['properties'])

    def test_attributes_and_support_status(self):
        shown = schema_of('OS::Heat::ResourceGroup')
        self.assertEqual('list', shown['attributes']['refs']['type'])
        self.assertEqual({'description': 'Detailed information about '
                                         'resource.', 'type': 'map'},
                         shown['attributes']['show'])
        self.assertEqual({'status': 'SUPPORTED', 'message': None,
                          'version': '2014.1', 'previous_status': None},
                         shown['support_status'])
        self.assertNotIn('description', shown)
        self.assertIn('description', schema_of('OS::Heat::ResourceGroup',
                                               with_description=True))


class GeneratedTemplateTest(testtools.TestCase):

    def template(self, type_name, template_type):
        return type_schema.template(resources.get_class(type_name),
                                    type_name, template_type)

    def test_hot(self):
        t = self.template('OS::Heat::RandomString', 'hot')
        self.assertEqual({'type': 'OS::Heat::RandomString', 'properties': {
            p: {'get_param': p} for p in t['parameters']}},
            t['resources']['RandomString'])
        self.assertEqual('comma_delimited_list',
                         t['parameters']['character_classes']['type'])
        self.assertEqual([{'range': {'min': 1, 'max': 512}}],
                         t['parameters']['length']['constraints'])
        self.assertEqual({'value', 'show', 'OS::stack_id'}, set(t['outputs']))

    def test_cfn(self):
        t = self.template('OS::Heat::TestResource', 'cfn')
        fail = t['Parameters']['fail']
        self.assertEqual(('Boolean', ['True', 'true', 'False', 'false']),
                         (fail['Type'], fail['AllowedValues']))
        self.assertEqual({'Ref': 'TestResource'},
                         t['Outputs']['OS::stack_id']['Value'])

    def test_the_templates_are_valid_templates(self):
        for type_name in ('OS::Heat::RandomString', 'OS::Heat::TestResource',
                          'OS::Heat::None', 'OS::Heat::ResourceChain'):
            for kind in ('hot', 'cfn'):
                definition = stack_input.definition(
                    self.template(type_name, kind), {}, {}, ('i', 'n', 't'))
                stack_input.validate(definition, 100, strict=False)


class CatalogTest(testtools.TestCase):

    def test_an_unknown_type_is_not_found(self):
        exc = self.assertRaises(exceptions.EntityNotFound,
                                catalog.CatalogQueries._global_type,
                                'OS::Heat::Nope')
        self.assertEqual('The Resource Type (OS::Heat::Nope) could not be '
                         'found.', str(exc))

    def test_an_engine_is_up_for_two_intervals(self):
        now = datetime.datetime(2026, 1, 1, 12, 0, 0)
        row = {'report_interval': 10, 'created_at': now,
               'updated_at': now - datetime.timedelta(seconds=20)}
        self.assertEqual('up', catalog.service_status(row, now, 60))
        row['updated_at'] = now - datetime.timedelta(seconds=21)
        self.assertEqual('down', catalog.service_status(row, now, 60))
