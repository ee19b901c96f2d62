"""Updates that run alone: in place, replacement, add/remove, no change."""

from functional_tests import base
from functional_tests import templates


class UpdateTest(base.FunctionalTestCase):

    def test_in_place_update_keeps_physical_ids(self):
        stack = self.create_stack(templates.two_tests())
        before = self.physical_ids(stack)

        self.update_stack(stack, templates.two_tests(), {'foo': 'two'})

        self.assertEqual(before, self.physical_ids(stack))
        self.assertEqual({'out1': 'two', 'out2': 'two'}, self.outputs(stack))
        self.assertEqual(
            ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE',
             'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE'],
            self.event_statuses(stack, 'test1'))

    def test_patch_with_parameters_only_reuses_the_template(self):
        stack = self.create_stack(templates.two_tests())

        self.update_stack(stack, None, {'foo': 'patched'}, existing=True)

        self.assertEqual({'out1': 'patched', 'out2': 'patched'},
                         self.outputs(stack))
        self.assertEqual('patched',
                         self.client.stacks.get(stack).parameters['foo'])

    def test_update_replace_gives_a_new_resource_and_deletes_the_old(self):
        tmpl = templates.two_tests(update_replace=True)
        stack = self.create_stack(tmpl)
        before = self.physical_ids(stack)

        self.update_stack(stack, tmpl, {'foo': 'two'})

        after = self.physical_ids(stack)
        self.assertNotEqual(before['test1'], after['test1'])
        self.assertEqual(before['test2'], after['test2'])
        self.assertEqual(['test1', 'test2'], sorted(after))
        self.assertEqual({'out1': 'two', 'out2': 'two'}, self.outputs(stack))
        old_events = [e.resource_status for e in self.events(stack, 'test1')
                      if e.physical_resource_id == before['test1']]
        self.assertIn('DELETE_COMPLETE', old_events)
        self.assertEqual('DELETE_COMPLETE', old_events[-1])

    def test_add_and_remove_resources(self):
        stack = self.create_stack(templates.test_resources('a', 'b'))
        before = self.physical_ids(stack)

        self.update_stack(stack, templates.test_resources('b', 'c'))

        after = self.physical_ids(stack)
        self.assertEqual(['b', 'c'], sorted(after))
        self.assertEqual(before['b'], after['b'])
        self.assertEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE',
                          'DELETE_IN_PROGRESS', 'DELETE_COMPLETE'],
                         self.event_statuses(stack, 'a'))
        self.assertEqual('CREATE_COMPLETE',
                         self.resource_statuses(stack)['c'])

    def test_update_without_changes_touches_no_resource(self):
        tmpl = templates.two_tests()
        stack = self.create_stack(tmpl)
        before = self.physical_ids(stack)

        self.update_stack(stack, tmpl)

        self.assertEqual(before, self.physical_ids(stack))
        for res in ('test1', 'test2'):
            self.assertEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'],
                             self.event_statuses(stack, res))
