"""Creating stacks of every built-in type and reading back their outputs."""

import uuid

from functional_tests import base
from functional_tests import templates


class CreateTest(base.FunctionalTestCase):

    def test_create_every_type_with_outputs(self):
        stack = self.create_stack(templates.ALL_TYPES)

        outputs = self.outputs(stack)
        secret = outputs['secret']
        self.assertEqual(12, len(secret))
        self.assertTrue(secret.isdigit(), secret)
        self.assertEqual(secret, outputs['secret_ref'])
        self.assertEqual('hello ' + secret, outputs['message'])
        self.assertEqual('hello ' + secret, outputs['slow'])
        self.assertEqual(42, outputs['counted'])
        uuid.UUID(outputs['placeholder'])
        self.assertEqual(
            {'secret': 'CREATE_COMPLETE', 'message': 'CREATE_COMPLETE',
             'counted': 'CREATE_COMPLETE', 'placeholder': 'CREATE_COMPLETE',
             'slow': 'CREATE_COMPLETE'},
            self.resource_statuses(stack))

    def test_create_with_parameters_and_physical_names(self):
        stack = self.create_stack(templates.two_tests(create_wait=1),
                                  parameters={'foo': 'bar'})
        name = stack.split('/')[0]

        self.assertEqual({'out1': 'bar', 'out2': 'bar'}, self.outputs(stack))
        shown = self.client.stacks.get(stack)
        self.assertEqual('bar', shown.parameters['foo'])
        self.assertEqual(name, shown.parameters['OS::stack_name'])
        for res_name, physical in self.physical_ids(stack).items():
            self.assertTrue(physical.startswith('%s-%s-' % (name, res_name)),
                            physical)
        test1 = self.client.resources.get(stack, 'test1')
        self.assertEqual({'output': 'bar'}, test1.attributes)
        self.assertEqual(['test2'], test1.required_by)

    def test_create_emits_stack_and_resource_events(self):
        stack = self.create_stack(templates.two_tests())
        name, stack_id = stack.split('/')

        stack_events = [e for e in self.events(stack)
                        if e.resource_name == name]
        self.assertEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'],
                         [e.resource_status for e in stack_events])
        self.assertEqual({stack_id},
                         {e.physical_resource_id for e in stack_events})
        for res in ('test1', 'test2'):
            self.assertEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'],
                             self.event_statuses(stack, res))
        test1_done = self.events(stack, 'test1')[-1]
        test2_start = self.events(stack, 'test2')[0]
        self.assertLessEqual(test1_done.event_time, test2_start.event_time)

    def test_stack_is_listed_and_found_by_name(self):
        stack = self.create_stack(templates.test_resources('a'))
        name, stack_id = stack.split('/')

        listed = {s.id: s for s in self.client.stacks.list()}
        self.assertEqual('CREATE_COMPLETE', listed[stack_id].stack_status)
        self.assertEqual(stack_id, self.client.stacks.get(name).id)
        self.assertEqual(name, self.client.stacks.get(stack_id).stack_name)


class EnvironmentTest(base.FunctionalTestCase):
    """The environment's resource_registry, given inline or as a file."""

    ENV = 'resource_registry:\n  "My::Random": OS::Heat::RandomString\n'
    TEMPLATE = templates.HOT + """
resources:
  secret:
    type: My::Random
    properties:
      length: 5
outputs:
  secret:
    value: {get_attr: [secret, value]}
"""

    def assertAliased(self, stack):
        self.assertEqual(5, len(self.outputs(stack)['secret']))
        # the declared type is what Heat shows, not the one it maps to
        self.assertEqual(
            'My::Random',
            self.client.resources.get(stack, 'secret').resource_type)

    def test_inline_environment(self):
        stack = self.create_stack(self.TEMPLATE, environment=self.ENV)
        self.assertAliased(stack)

    def test_environment_file(self):
        """What ``openstack stack create -e env.yaml`` sends."""
        env_file = 'file:///tmp/env.yaml'
        stack = self.create_stack(self.TEMPLATE, environment={},
                                  files={env_file: self.ENV},
                                  environment_files=[env_file])
        self.assertAliased(stack)

    def test_yaql_computes_from_another_resources_attribute(self):
        stack = self.create_stack(
            'heat_template_version: 2016-10-14\n'
            'resources:\n'
            '  names:\n'
            '    type: OS::Heat::Value\n'
            '    properties: {value: [web, db, web]}\n'
            'outputs:\n'
            '  unique:\n'
            '    value:\n'
            '      yaql:\n'
            '        expression: $.data.names.distinct().select($.toUpper())\n'
            '        data: {names: {get_attr: [names, value]}}\n')

        self.assertEqual(['WEB', 'DB'], self.outputs(stack)['unique'])
