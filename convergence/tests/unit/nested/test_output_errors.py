"""A nested stack's output that fails, as its parent shows it.

Given a provider template whose output reads a parameter it does not
have, the parent's output reading that output through get_attr carries
Heat's ``output_error`` ("Error in <resource> output <name>: ...") after a
create and after an update that changes nothing, while the child's other
outputs still resolve.
"""

import testtools

from convergence import definitions
from convergence import exceptions
from convergence.template.template_format import parse_template
from convergence.tests.scenarios import framework

PARENT = '''
heat_template_version: 2015-10-15
resources:
  parent:
    type: 1.yaml
outputs:
  resource_output_a:
    value: { get_attr: [parent, resource_output_a] }
    description: 'parent a'
  resource_output_b:
    value: { get_attr: [parent, resource_output_b] }
    description: 'parent b'
'''
CHILD = '''
heat_template_version: 2015-10-15
resources:
  test_resource_a:
    type: OS::Heat::TestResource
    properties:
      value: 'a'
outputs:
  resource_output_a:
    value: { get_attr: [test_resource_a, output] }
  resource_output_b:
    value: { get_param: foo }
'''
EXPECTED = [
    {'output_key': 'resource_output_a', 'output_value': 'a',
     'description': 'parent a'},
    {'output_key': 'resource_output_b', 'output_value': None,
     'output_error': 'Error in parent output resource_output_b: The '
                     'Parameter (foo) was not provided.',
     'description': 'parent b'}]


class NestedOutputErrorTest(framework.ScenarioTestCase):

    def outputs(self, identity) -> list:
        shown = self.scenario.engine_service.show_stack(
            self.scenario.context, identity)[0]
        self.assertEqual('COMPLETE', shown['stack_status'])
        return sorted(shown['outputs'], key=lambda o: o['output_key'])

    def test_the_parent_output_names_the_failed_child_output(self):
        s = self.scenario
        service, files = s.engine_service, {'1.yaml': CHILD}
        identity = service.create_stack(s.context, 'o',
                                        parse_template(PARENT), {}, files, {})
        s.run()
        self.assertEqual(EXPECTED, self.outputs(identity))
        service.update_stack(s.context, identity, parse_template(PARENT), {},
                             files, {})
        s.run()
        self.assertEqual(EXPECTED, self.outputs(identity))


class StoredAttributeErrorTest(testtools.TestCase):

    def test_a_stored_failure_is_raised_word_for_word(self):
        resolver = definitions.TriggerDataResolver({'r': {
            'reference_id': 'x', 'attrs': {'a': None, 'b': 2},
            definitions.ATTRIBUTE_ERRORS: {'a': 'Error in r output a: no'}}})
        error = self.assertRaises(exceptions.StoredAttributeError,
                                  resolver.attribute, 'r', 'a')
        self.assertEqual('Error in r output a: no', error.message)
        self.assertEqual(2, resolver.attribute('r', 'b'))
