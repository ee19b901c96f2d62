"""Bad input is refused with Heat's error body, and leaves nothing behind."""

import re

from functional_tests import base
from functional_tests import templates

HOT = templates.HOT
NO_SUCH_ID = '1b3e4f4e-0000-4000-8000-000000000000'
# Resource names as a cycle message shows them: Heat 27 writes
# 'NoneResource "a": {...}', we write 'a -> c -> b -> a'.
_NAME = re.compile(r'(?<![\w-])([a-z][\w-]*)(?![\w-])')
_NOT_NAMES = {'found', 'circular', 'dependency'}


def names_in(message: str) -> set:
    """The lower-case words of ``message`` that may be resource names."""
    text = message.split(':', 1)[1]
    return {m for m in _NAME.findall(text) if m not in _NOT_NAMES}


class RejectedCreateTest(base.FunctionalTestCase):
    """Each create is refused with 400 and stores no stack."""

    def assertRejected(self, template: str, error_type: str,
                       *message_parts: str, parameters=None,
                       environment=None) -> dict:
        before = self._all_stack_ids()
        body = {'stack_name': self.stack_name(), 'template': template,
                'parameters': parameters or {}, 'disable_rollback': True}
        if environment is not None:
            body['environment'] = environment

        response = self.http('POST', '/stacks', json=body)

        error = self.assertHeatError(response, 400, error_type,
                                     *message_parts)
        self.assertEqual(before, self._all_stack_ids())
        return error

    def _all_stack_ids(self) -> set:
        return {s.id for s in self.client.stacks.list(show_deleted=True)}

    def test_malformed_yaml(self):
        self.assertRejected(HOT + 'resources:\n  a: [\n', 'HTTPBadRequest',
                            'Template not in valid format')

    def test_missing_version(self):
        self.assertRejected('resources: {}\n', 'HTTPBadRequest',
                            'Template format version not found')

    def test_unknown_resource_type(self):
        self.assertRejected(
            HOT + 'resources:\n  a:\n    type: OS::No::Such\n',
            'StackValidationFailed',
            'The Resource Type (OS::No::Such) could not be found.')

    def test_function_of_another_template_dialect(self):
        self.assertRejected(
            HOT + 'resources:\n  a:\n    type: OS::Heat::TestResource\n'
            '    properties:\n      value: {"Fn::Join": ["", [a, b]]}\n',
            'StackValidationFailed', 'Fn::Join', 'resources.a.properties')

    def test_unknown_function(self):
        self.assertRejected(
            HOT + 'resources:\n  a:\n    type: OS::Heat::TestResource\n'
            '    properties:\n      value: {get_nothing: x}\n',
            'StackValidationFailed', 'get_nothing', 'resources.a.properties')

    def test_get_resource_of_a_missing_resource(self):
        self.assertRejected(
            HOT + 'resources:\n  a:\n    type: OS::Heat::Value\n'
            '    properties:\n      value: {get_resource: nosuch}\n',
            'InvalidTemplateReference', 'The specified reference "nosuch"',
            'is incorrect.')

    def test_depends_on_a_missing_resource(self):
        self.assertRejected(
            HOT + 'resources:\n  a:\n    type: OS::Heat::None\n'
            '    depends_on: nosuch\n',
            'InvalidTemplateReference', '"nosuch"')

    def test_dependency_cycle_is_named(self):
        error = self.assertRejected(
            HOT + 'resources:\n'
            '  a: {type: OS::Heat::None, depends_on: c}\n'
            '  b: {type: OS::Heat::None, depends_on: a}\n'
            '  c: {type: OS::Heat::None, depends_on: b}\n'
            '  outside: {type: OS::Heat::None}\n',
            'CircularDependencyException', 'Circular Dependency Found')
        self.assertEqual({'a', 'b', 'c'}, names_in(error['message']))

    def test_wrong_parameter_type(self):
        self.assertRejected(
            HOT + 'parameters:\n  n: {type: number}\n'
            'resources:\n  a: {type: OS::Heat::None}\n',
            'StackValidationFailed', "Parameter 'n' is invalid",
            parameters={'n': 'abc'})

    def test_missing_parameter(self):
        self.assertRejected(
            HOT + 'parameters:\n  n: {type: string}\n'
            'resources:\n  a: {type: OS::Heat::None}\n',
            'UserParameterMissing', 'The Parameter (n) was not provided.')

    def test_misspelled_attribute_in_a_property_and_an_output(self):
        self.assertRejected(
            HOT + 'resources:\n  a: {type: OS::Heat::Value, properties: '
            '{value: 1}}\n  b:\n    type: OS::Heat::Value\n'
            '    properties:\n      value: {get_attr: [a, valu]}\n',
            'StackValidationFailed', 'resources.b.properties.value.get_attr: '
            'The Referenced Attribute (a valu) is incorrect.')
        self.assertRejected(
            HOT + 'resources:\n  a: {type: OS::Heat::TestResource}\n'
            'outputs:\n  o: {value: {get_attr: [a, outptu]}}\n',
            'StackValidationFailed', 'outputs.o.value.get_attr: The '
            'Referenced Attribute (a outptu) is incorrect.')

    def test_snapshot_deletion_policy(self):
        self.assertRejected(
            HOT + 'resources:\n  a: {type: OS::Heat::None, '
            'deletion_policy: Snapshot}\n',
            'StackValidationFailed', 'resources.a.deletion_policy: '
            '"Snapshot" deletion policy not supported')

    def test_update_policy(self):
        self.assertRejected(
            HOT + 'resources:\n  a: {type: OS::Heat::None, '
            'update_policy: {batch_create: {max_batch_size: 1}}}\n',
            'StackValidationFailed', 'Property error: resources.a.'
            'update_policy: Unknown Property batch_create')

    def test_breakpoint_hook(self):
        # Heat's NotSupported prints only "<feature> is not supported.", so
        # this text crosses the bus as a StackValidationFailed (heat_errors).
        self.assertRejected(
            HOT + 'resources:\n  a: {type: OS::Heat::None}\n',
            'StackValidationFailed', 'Breakpoint hooks after an action are not '
            'supported', 'resource "a", hooks: "post-create"',
            environment={'resource_registry': {'resources': {
                'a': {'hooks': 'post-create'}}}})

    def test_bad_yaql_expression(self):
        newton = 'heat_template_version: 2016-10-14\n'
        self.assertRejected(
            newton + 'resources:\n  a:\n    type: OS::Heat::Value\n'
            '    properties:\n      value: {yaql: {expression: "$.data.", '
            'data: {}}}\n',
            'StackValidationFailed', 'resources.a.properties.value.yaql: '
            'Bad expression Parse error: unexpected end of statement.')

    def test_duplicate_name_is_a_conflict(self):
        stack = self.create_stack(templates.test_resources('a'))
        before = self._all_stack_ids()

        response = self.http('POST', '/stacks', json={
            'stack_name': stack.split('/')[0],
            'template': templates.test_resources('b')})

        self.assertHeatError(response, 409, 'StackExists',
                             'The Stack (%s) already exists.'
                             % stack.split('/')[0])
        self.assertEqual(before, self._all_stack_ids())


class NotFoundTest(base.FunctionalTestCase):

    def test_unknown_stack_name(self):
        for method in ('GET', 'PUT', 'PATCH', 'DELETE'):
            response = self.http(method, '/stacks/nosuch',
                                 allow_redirects=False)
            self.assertHeatError(response, 404, 'EntityNotFound',
                                 'The Stack (nosuch) could not be found.')

    def test_unknown_stack_id(self):
        response = self.http('GET', '/stacks/nosuch/%s' % NO_SUCH_ID)
        self.assertHeatError(response, 404, 'EntityNotFound',
                             'The Stack (nosuch) could not be found.')
        response = self.http('GET', '/stacks/%s' % NO_SUCH_ID,
                             allow_redirects=False)
        self.assertHeatError(response, 404, 'EntityNotFound', NO_SUCH_ID)

    def test_unknown_resource_and_output(self):
        stack = self.create_stack(templates.single())

        response = self.http('GET', '/stacks/%s/resources/nosuch' % stack)
        self.assertHeatError(response, 404, 'ResourceNotFound',
                             'The Resource (nosuch) could not be found')
        response = self.http('GET', '/stacks/%s/outputs/nosuch' % stack)
        # Heat 27's message is literally 'Specified output key {} not found.'
        self.assertHeatError(response, 404, 'NotFound', 'Specified output key')
