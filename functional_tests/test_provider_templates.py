"""Provider templates through python-heatclient: a type that is a template
from files or from the environment's registry, its outputs as attributes,
its reference, and the 400s for a tree that cannot be built (nothing is
stored then)."""

import yaml
from heatclient import exc as heat_exc

from functional_tests import base

NESTED = '''
heat_template_version: 2015-10-15
parameters:
  length: {type: number, default: 8}
  tags: {type: comma_delimited_list, default: []}
resources:
  secret:
    type: OS::Heat::RandomString
    properties: {length: {get_param: length}}
outputs:
  value: {value: {get_attr: [secret, value]}}
  tag_count: {value: {list_join: ['-', {get_param: tags}]}}
'''
PARENT = '''
heat_template_version: 2015-10-15
resources:
  box:
    type: %s
    properties: {length: 5, tags: [a, b, c]}
outputs:
  value: {value: {get_attr: [box, value]}}
  tags: {value: {get_attr: [box, tag_count]}}
  inner: {value: {get_attr: [box, resource.secret, value]}}
  ref: {value: {get_resource: box}}
'''


class ProviderTemplateTest(base.FunctionalTestCase):

    def assertProvided(self, stack, length=5):
        outputs = self.outputs(stack)
        self.assertEqual(length, len(outputs['value']))
        self.assertEqual('a-b-c', outputs['tags'])
        self.assertEqual(outputs['value'], outputs['inner'])
        self.assertIn('arn:openstack:heat::', outputs['ref'])
        self.assertEqual('CREATE_COMPLETE',
                         self.resource_statuses(stack)['box'])

    def test_a_type_from_files(self):
        stack = self.create_stack(PARENT % 'nested.yaml',
                                  files={'nested.yaml': NESTED})
        self.assertProvided(stack)

    def test_a_type_from_the_registry(self):
        stack = self.create_stack(
            PARENT % 'My::Box', files={'nested.yaml': NESTED},
            environment={'resource_registry': {'My::Box': 'nested.yaml'}})
        self.assertProvided(stack)
        self.assertEqual('My::Box', self.client.resources.get(
            stack, 'box').resource_type)

    def test_update_and_delete(self):
        stack = self.create_stack(PARENT % 'nested.yaml',
                                  files={'nested.yaml': NESTED})
        before = self.outputs(stack)['value']
        self.update_stack(stack, PARENT.replace('length: 5', 'length: 7')
                          % 'nested.yaml', files={'nested.yaml': NESTED})
        after = self.outputs(stack)['value']
        self.assertEqual(7, len(after))
        self.assertNotEqual(before, after)
        self.delete_stack(stack)

    def test_the_stack_id_output_is_the_reference(self):
        nested = yaml.safe_load(NESTED)
        nested['outputs']['OS::stack_id'] = {
            'value': {'get_resource': 'secret'}}
        stack = self.create_stack(PARENT % 'nested.yaml',
                                  files={'nested.yaml': yaml.safe_dump(nested)})
        outputs = self.outputs(stack)
        self.assertEqual(outputs['value'], outputs['ref'])

    def test_a_template_standing_in_for_the_type_it_uses(self):
        template = PARENT.replace('length: 5, tags: [a, b, c]',
                                  'length: 5') % 'OS::Heat::RandomString'
        template = template.replace('tags: {value: {get_attr: [box, '
                                    'tag_count]}}', '')
        stack = self.create_stack(template, files={'nested.yaml': NESTED},
                                  environment={'resource_registry': {
                                      'OS::Heat::RandomString':
                                          'nested.yaml'}})
        self.assertEqual(5, len(self.outputs(stack)['value']))


FACADE_PARENT = '''
heat_template_version: 2013-05-23
resources:
  box:
    type: facade.yaml
    metadata: {foo: %s, ref: {get_resource: before}}
    deletion_policy: Retain
  before: {type: OS::Heat::None}
outputs:
  metadata: {value: {get_attr: [box, metadata]}}
  policy: {value: {get_attr: [box, policy]}}
  foo: {value: {get_attr: [box, foo]}}
'''
FACADE_CHILD = '''
heat_template_version: 2013-05-23
resources:
  echo:
    type: OS::Heat::TestResource
    properties:
      value: {"Fn::Select": [foo, {resource_facade: metadata}]}
outputs:
  metadata: {value: {resource_facade: metadata}}
  policy: {value: {resource_facade: deletion_policy}}
  foo: {value: {get_attr: [echo, output]}}
'''


class ResourceFacadeTest(base.FunctionalTestCase):
    """A provider template reads its parent resource (Heat's
    TemplateResourceFacadeTest), and sees it change with an update."""

    def test_metadata_and_deletion_policy_of_the_parent(self):
        files = {'facade.yaml': FACADE_CHILD}
        stack = self.create_stack(FACADE_PARENT % 'bar', files=files)
        outputs = self.outputs(stack)
        before = self.client.resources.get(stack, 'before').physical_resource_id
        self.assertEqual({'foo': 'bar', 'ref': before}, outputs['metadata'])
        self.assertEqual('Retain', outputs['policy'])
        self.assertEqual('bar', outputs['foo'])
        self.update_stack(stack, FACADE_PARENT % 'baz', files=files)
        self.assertEqual('baz', self.outputs(stack)['foo'])


class RejectedProviderTest(base.FunctionalTestCase):
    """Each error is a 400 naming the place; no stack is left behind."""

    def assertRejected(self, message, template, files, **fields):
        name = self.stack_name()
        exc = self.assertRaises(heat_exc.HTTPBadRequest,
                                self.client.stacks.create, stack_name=name,
                                template=template, files=files, **fields)
        self.assertIn(message, str(exc))
        self.assertRaises(heat_exc.HTTPNotFound, self.client.stacks.get,
                          name)

    def test_missing_from_files(self):
        self.assertRejected('resources.box: Could not fetch remote template '
                            '"nested.yaml"', PARENT % 'nested.yaml', {})

    def test_a_template_that_nests_itself(self):
        loop = 'heat_template_version: 2015-10-15\n' \
               'resources: {again: {type: loop.yaml}}\n'
        self.assertRejected(
            'RequestLimitExceeded: resources.again<loop.yaml>.resources.'
            'again<loop.yaml>', loop, {'loop.yaml': loop})

    def test_too_deep(self):
        files = {'l%d.yaml' % i: 'heat_template_version: 2015-10-15\n'
                 'resources: {down: {type: l%d.yaml}}\n' % (i + 1)
                 for i in range(6)}
        files['l6.yaml'] = 'heat_template_version: 2015-10-15\n'
        self.assertRejected('Recursion depth exceeds 5.', files['l0.yaml'],
                            files)

    def test_a_property_without_parameter(self):
        self.assertRejected(
            'Property error: resources.box.properties: Unknown Property '
            'colour', PARENT.replace('length: 5', 'length: 5, colour: red')
            % 'nested.yaml', {'nested.yaml': NESTED})

    def test_an_unknown_type_below(self):
        self.assertRejected(
            'resources.box<nested.yaml>: The Resource Type (No::Such) could '
            'not be found.', PARENT % 'nested.yaml',
            {'nested.yaml': NESTED.replace('OS::Heat::RandomString',
                                           'No::Such')})
