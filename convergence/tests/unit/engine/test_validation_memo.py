"""A stack definition validated once is not validated again, unless what
its validation reads differs; failures are never remembered."""

import testtools

from convergence import exceptions
from convergence import resources
from convergence.engine import stack_input
from convergence.engine import validation_memo
from convergence.resources import none_resource

LEAF = '''
heat_template_version: 2018-08-31
parameters:
  v: {type: string}
resources:
  r: {type: OS::Heat::None, properties: {value: {get_param: v}}}
'''
NAMED = '''
heat_template_version: 2018-08-31
resources:
  r: {type: OS::Heat::None, properties: {value: {get_param: OS::stack_name}}}
'''


def definition(template, params, name='stack'):
    return stack_input.definition(stack_input.parse(template, 10 ** 6),
                                  {'parameters': params}, {},
                                  ('id-' + name, name, 'tenant'))


def key(stack_def, depth_left=5):
    return validation_memo.fingerprint(stack_def, 1000, depth_left, True)


class ValidationMemoTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        validation_memo.forget_all()
        self.addCleanup(validation_memo.forget_all)

    def test_a_success_is_remembered_for_the_same_definition(self):
        stack_input.validate(definition(LEAF, {'v': 'a'}), 1000, 5)
        self.assertTrue(validation_memo.seen(key(definition(LEAF,
                                                            {'v': 'a'}))))
        self.assertFalse(validation_memo.seen(key(definition(LEAF,
                                                             {'v': 'b'}))))
        self.assertFalse(validation_memo.seen(key(definition(LEAF,
                                                             {'v': 'a'}),
                                                  depth_left=4)))

    def test_the_stack_name_counts_only_where_the_template_reads_it(self):
        self.assertEqual(key(definition(LEAF, {'v': 'a'}, 'one')),
                         key(definition(LEAF, {'v': 'a'}, 'two')))
        self.assertNotEqual(key(definition(NAMED, {}, 'one')),
                            key(definition(NAMED, {}, 'two')))

    def test_a_failure_is_not_remembered(self):
        missing = definition(LEAF, {})
        for _ in range(2):
            self.assertRaises(exceptions.ConvergenceError,
                              stack_input.validate, missing, 1000, 5)
        self.assertFalse(validation_memo.seen(key(missing)))

    def test_registering_a_type_forgets_what_was_valid(self):
        stack_input.validate(definition(LEAF, {'v': 'a'}), 1000, 5)
        resources.register('Bench::Memo::None', none_resource.NoneResource)
        self.addCleanup(resources.unregister, 'Bench::Memo::None')
        self.assertFalse(validation_memo.seen(key(definition(LEAF,
                                                             {'v': 'a'}))))
