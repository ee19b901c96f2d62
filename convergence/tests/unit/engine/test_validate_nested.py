"""validate_template of a template with nested stacks, as Heat answers it.

Given the engine on the scenario framework's in-memory database and a
parent whose resource is a provider template in files: the environment
shows the template type registered as itself, ``show_nested`` adds each
child's parameters (with the values the parent passes) down the tree, and
the children's properties are not checked by the validate API (a create
still checks them).
"""

from convergence import exceptions
from convergence.template.template_format import parse_template
from convergence.tests.scenarios import framework

RANDOM = '''
heat_template_version: 2014-10-16
description: the stack description
parameters:
  aparam: {type: number, default: 10, description: the param description}
resources:
  myres:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: aparam}
'''
PARENT = '''
heat_template_version: 2014-10-16
description: the parent template
parameters:
  pparam: {type: number, default: 5, description: the param description}
resources:
  nres:
    type: mynested.yaml
    properties:
      aparam: {get_param: pparam}
'''
PARENT_NOPROP = '''
heat_template_version: 2014-10-16
description: the parent template
resources:
  nres:
    type: mynested.yaml
'''
# Passes its child ``length``, a parameter the child does not have.
MIDDLE = RANDOM.replace('OS::Heat::RandomString', 'mynested2.yaml')


def aparam(**extra) -> dict:
    return dict({'Default': 10, 'Description': 'the param description',
                 'Label': 'aparam', 'NoEcho': 'false', 'Type': 'Number'},
                **extra)


ENVIRONMENT = {'event_sinks': [], 'parameter_defaults': {}, 'parameters': {},
               'resource_registry': {'mynested.yaml': 'mynested.yaml',
                                     'resources': {}}}


class ValidateNestedTest(framework.ScenarioTestCase):

    def validate(self, template, files, show_nested=False) -> dict:
        s = self.scenario
        return s.engine_service.validate_template(
            s.context, parse_template(template), {}, files,
            show_nested=show_nested)

    def test_a_template_type_is_registered_as_itself(self):
        result = self.validate(PARENT, {'mynested.yaml': RANDOM})
        self.assertEqual(ENVIRONMENT, result['Environment'])
        self.assertNotIn('NestedParameters', result)
        self.assertEqual(['pparam'], list(result['Parameters']))

    def test_show_nested_gives_the_childs_parameters(self):
        result = self.validate(PARENT_NOPROP, {'mynested.yaml': RANDOM},
                               show_nested=True)
        self.assertEqual(
            {'nres': {'Description': 'the stack description',
                      'Parameters': {'aparam': aparam()},
                      'Type': 'mynested.yaml'}},
            result['NestedParameters'])

    def test_show_nested_goes_down_the_tree_with_the_values_passed(self):
        """Given parent -> mynested.yaml -> mynested2.yaml, the middle
        child's aparam shows the 5 its parent passes, and the grandchild
        (passed a ``length`` it does not declare) is shown, not refused."""
        result = self.validate(PARENT, {'mynested.yaml': MIDDLE,
                                        'mynested2.yaml': RANDOM},
                               show_nested=True)
        self.assertEqual(
            {'nres': {'Description': 'the stack description',
                      'Parameters': {'aparam': aparam(Value=5)},
                      'Type': 'mynested.yaml',
                      'NestedParameters': {'myres': {
                          'Description': 'the stack description',
                          'Parameters': {'aparam': aparam()},
                          'Type': 'mynested2.yaml'}}}},
            result['NestedParameters'])
        self.assertEqual(ENVIRONMENT, result['Environment'])

    def test_a_create_still_checks_the_childrens_properties(self):
        s = self.scenario
        error = self.assertRaises(
            exceptions.StackValidationFailed, s.engine_service.create_stack,
            s.context, 'tree', parse_template(PARENT), {},
            {'mynested.yaml': MIDDLE, 'mynested2.yaml': RANDOM}, {})
        self.assertIn('Unknown Property length', str(error))
