"""A resource type from ``plugin_dirs``, and its ledger, on a real server.

The server loads ``functional_tests/plugins`` at start; its
``Convergence::Test::Recorded`` keeps books of its physical resources
outside the engine's database, which the fault tests rely on.
"""

from functional_tests import base
from functional_tests import bookkeeping
from functional_tests import recording
from functional_tests import templates

TEMPLATE = templates.HOT + """
parameters:
  foo: {type: string, default: one}
  replace: {type: boolean, default: false}
resources:
  first:
    type: %(type)s
    properties:
      value: {get_param: foo}
      update_replace: {get_param: replace}
  second:
    type: %(type)s
    properties:
      value: {get_attr: [first, output]}
      action_wait_secs: {create: 0.5, update: 0.5, delete: 0.5}
outputs:
  second: {value: {get_attr: [second, output]}}
""" % {'type': recording.RECORDED}


class RecordedResourceTest(base.FunctionalTestCase):

    def ledger(self):
        if not hasattr(self.server, 'ledger'):
            self.skipTest('the server runs elsewhere: its ledger is not here')
        return self.server.ledger

    def audit(self, stack: str, replaced=frozenset()):
        return bookkeeping.audit_converged(
            self.ledger(), stack.split('/')[1], self.physical_ids(stack),
            {'first', 'second'}, replaced)

    def test_plugin_type_is_listed(self):
        types = self.http('GET', '/resource_types').json()['resource_types']
        self.assertIn(recording.RECORDED, types)

    def test_create_update_replace_and_delete_are_recorded(self):
        stack = self.create_stack(TEMPLATE)
        stack_id = stack.split('/')[1]
        self.assertEqual({'second': 'one'}, self.outputs(stack))
        self.assertEqual([], self.audit(stack).problems())
        created = self.ledger().created_per_name(stack_id)
        self.assertEqual(self.physical_ids(stack),
                         {name: ids[0] for name, ids in created.items()})

        self.update_stack(stack, TEMPLATE, {'foo': 'two'})
        self.assertEqual({'second': 'two'}, self.outputs(stack))
        self.assertEqual(created, self.ledger().created_per_name(stack_id))

        self.update_stack(stack, TEMPLATE, {'foo': 'three', 'replace': True})
        self.assertEqual({'second': 'three'}, self.outputs(stack))
        self.assertEqual([], self.audit(stack, {'first'}).problems())
        after = self.ledger().created_per_name(stack_id)
        self.assertEqual(2, len(after['first']))
        self.assertEqual(created['second'], after['second'])

        self.delete_stack(stack)
        self.assertEqual({}, self.ledger().alive(stack_id))
        outcomes = [(c['action'], c['outcome'])
                    for c in self.ledger().calls(stack_id)]
        self.assertEqual(3, outcomes.count(('create', 'created')), outcomes)
        self.assertEqual(3, outcomes.count(('delete', 'deleted')), outcomes)
        self.assertEqual(6, len(outcomes), outcomes)
