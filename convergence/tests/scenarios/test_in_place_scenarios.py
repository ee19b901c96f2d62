"""Suspend, resume and check: traversals that act on the resources in place.

A suspend goes dependants first (the cleanup nodes' inverted edges), a
resume and a check in dependency order.  The plugin records each call in
the order it came, so the scenarios read the order off it.  An engine that
dies mid-suspend is recovered like any other: the row's node repeats the
suspend, on the same row.
"""

from convergence import exceptions
from convergence import resources
from convergence.resources import base
from convergence.tests.scenarios import framework
from convergence.tests.scenarios import test_nested_scenarios as nested
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


class Suspendable(framework.ScenarioResource):
    """A scenario resource with Heat's suspend, resume and check hooks.

    ``calls`` records ('SUSPEND', name)... in the order they ran; a true
    ``unhealthy`` property fails the check.
    """

    calls: list = []

    def handle_suspend(self):
        self._maybe_die('SUSPEND', {})
        self.calls.append(('SUSPEND', self.name))

    def handle_resume(self):
        self._maybe_die('RESUME', {})
        self.calls.append(('RESUME', self.name))

    def handle_check(self):
        self.calls.append(('CHECK', self.name))
        if self.properties.get('unhealthy'):
            raise ValueError('%s is not there' % self.name)

    def plan_update(self, new, *, failed=False):
        """A failed resource is replaced, as Heat's default."""
        if failed:
            return base.UpdatePlan(base.REPLACE, {})
        return super().plan_update(new, failed=failed)


class NotCheckable(framework.ScenarioResource):
    """A type without handle_check."""


def _chain() -> Template:
    """C depends on B, B on A."""
    return Template({'A': RsrcDef({'a': 1}),
                     'B': RsrcDef({'b': 2}, depends_on=['A']),
                     'C': RsrcDef({'c': 3}, depends_on=['B'])})


class InPlaceTestCase(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        Suspendable.calls = []
        resources.register(framework.RESOURCE_TYPE, Suspendable)
        self.s = self.scenario

    def created(self, template: Template) -> None:
        """Create 'foo' and let the create finish."""
        self.s.create_stack('foo', template)
        self.s.run()

    def operate(self, method: str) -> None:
        """Queue an in-place operation of the engine service on 'foo'."""
        self.s.call(lambda: getattr(self.s.engine_service, method)(
            self.s.context, self.s._identity('foo')))

    def states(self) -> dict:
        stack = self.s._stack('foo')
        return {r['name']: '%s_%s' % (r['action'], r['status'])
                for r in self.s.db.resources_of_stack(stack['id'])}

    def events(self) -> list:
        stack = self.s._stack('foo')
        return [(e['resource_name'], e['resource_action'],
                 e['resource_status'], e['resource_status_reason'])
                for e in self.s.db.events_list(stack['id'])]


class SuspendResume(InPlaceTestCase):

    def test_suspend_goes_dependants_first_and_resume_in_order(self):
        """Given a chain A <- B <- C, when it is suspended and resumed, then
        C, B, A are suspended in that order, A, B, C resumed, and every
        row and the stack show Heat's states."""
        self.created(_chain())
        self.operate('stack_suspend')
        self.s.run()
        self.s.assert_state('SUSPEND_COMPLETE')
        self.assertEqual({'A': 'SUSPEND_COMPLETE', 'B': 'SUSPEND_COMPLETE',
                          'C': 'SUSPEND_COMPLETE'}, self.states())
        self.operate('stack_resume')
        self.s.run()
        self.s.assert_state('RESUME_COMPLETE')
        self.assertEqual(
            [('SUSPEND', 'C'), ('SUSPEND', 'B'), ('SUSPEND', 'A'),
             ('RESUME', 'A'), ('RESUME', 'B'), ('RESUME', 'C')],
            Suspendable.calls)
        self.assertEqual({'A': 'RESUME_COMPLETE', 'B': 'RESUME_COMPLETE',
                          'C': 'RESUME_COMPLETE'}, self.states())
        self.s.verify(_chain())

    def test_suspend_events(self):
        """Each resource shows SUSPEND_IN_PROGRESS then SUSPEND_COMPLETE,
        between the stack's own events."""
        self.s.create_stack('foo', _chain())
        self.s.run()
        before = len(self.events())
        self.operate('stack_suspend')
        self.s.run()
        self.assertEqual(
            [('foo', 'SUSPEND', 'IN_PROGRESS', 'Stack SUSPEND started'),
             ('C', 'SUSPEND', 'IN_PROGRESS', 'state changed'),
             ('C', 'SUSPEND', 'COMPLETE', 'state changed'),
             ('B', 'SUSPEND', 'IN_PROGRESS', 'state changed'),
             ('B', 'SUSPEND', 'COMPLETE', 'state changed'),
             ('A', 'SUSPEND', 'IN_PROGRESS', 'state changed'),
             ('A', 'SUSPEND', 'COMPLETE', 'state changed'),
             ('foo', 'SUSPEND', 'COMPLETE',
              'Stack SUSPEND completed successfully')],
            self.events()[before:])

    def test_suspend_of_a_suspended_stack_does_nothing(self):
        self.created(_chain())
        self.operate('stack_suspend')
        self.s.run()
        events = self.events()
        self.operate('stack_suspend')
        self.s.run()
        self.assertEqual(3, len(Suspendable.calls))
        self.assertEqual(events, self.events())
        self.s.assert_state('SUSPEND_COMPLETE')

    def test_resume_of_a_stack_never_suspended_fails_as_heat(self):
        """Heat's words, and the resource is left as it was."""
        self.created(_chain())
        self.operate('stack_resume')
        self.s.run()
        self.s.assert_state('RESUME_FAILED')
        stack = self.s._stack('foo')
        self.assertEqual(
            "Resource RESUME failed: Error: resources.A: State ('CREATE', "
            "'COMPLETE') invalid for resume", stack['status_reason'])
        self.assertEqual('CREATE_COMPLETE', self.states()['A'])
        self.assertEqual([], Suspendable.calls)

    def test_a_suspended_stack_is_deleted(self):
        self.created(_chain())
        self.operate('stack_suspend')
        self.s.run()
        self.s.delete_stack('foo')
        self.s.run()
        self.s.assert_deleted()
        self.s.assert_total(0)

    def test_delete_during_a_suspend_supersedes_it(self):
        """A delete is never refused: it supersedes the suspend, whose
        rows in flight finish first."""
        self.created(_chain())
        self.operate('stack_suspend')
        self.s.noop(1)
        self.s.delete_stack('foo')
        self.s.run()
        self.s.assert_deleted()
        self.s.assert_total(0)

    def test_suspend_while_in_progress_is_refused(self):
        """A suspend must not cut a create short: 409, Heat's words."""
        self.s.create_stack('foo', _chain())
        self.s.call(lambda: self.assertRaisesRegex(
            exceptions.ActionInProgress,
            r'^Stack foo already has an action \(CREATE\) in progress\.$',
            self.s.engine_service.stack_suspend, self.s.context,
            self.s._identity('foo')))
        self.s.run()
        self.s.assert_state('CREATE_COMPLETE')

    def test_update_of_a_suspended_stack_is_refused(self):
        self.created(_chain())
        self.operate('stack_suspend')
        self.s.run()
        error = self.assertRaises(
            exceptions.NotSupported, self.s.engine_service.update_stack,
            self.s.context, self.s._identity('foo'), _chain().to_hot(),
            {'parameters': {}}, {}, {})
        self.assertEqual('Updating a stack when it is suspended is not '
                         'supported.', error.message)

    def test_a_failed_suspend_fails_the_stack_and_can_be_repeated(self):
        """Given B's suspend fails, the stack is SUSPEND_FAILED (no
        rollback); a second suspend suspends B and A."""
        self.s.create_stack('foo', _chain())
        self.s.run()
        refusing = {'B'}
        original = Suspendable.handle_suspend

        def failing(plugin):
            if plugin.name in refusing:
                raise ValueError('%s will not sleep' % plugin.name)
            return original(plugin)
        self.patch(Suspendable, 'handle_suspend', failing)
        self.operate('stack_suspend')
        self.s.run()
        self.s.assert_state('SUSPEND_FAILED')
        self.assertEqual('Resource SUSPEND failed: ValueError: resources.B: '
                         'B will not sleep',
                         self.s._stack('foo')['status_reason'])
        self.assertEqual({'A': 'CREATE_COMPLETE', 'B': 'SUSPEND_FAILED',
                          'C': 'SUSPEND_COMPLETE'}, self.states())
        refusing.clear()
        self.operate('stack_suspend')
        self.s.run()
        self.s.assert_state('SUSPEND_COMPLETE')
        self.assertEqual([('SUSPEND', 'C'), ('SUSPEND', 'C'),
                          ('SUSPEND', 'B'), ('SUSPEND', 'A')],
                         Suspendable.calls)


class DeadEngineMidSuspend(InPlaceTestCase):

    def test_interrupted_suspend_is_repeated_on_the_same_row(self):
        """Given the engine suspending B dies, when another engine
        recovers, then B is suspended on its own row (no replacement),
        A after it, and the stack is SUSPEND_COMPLETE."""
        self.s.create_stack('foo', _chain())
        self.s.run()
        self.s.die_during('B', 'SUSPEND')
        self.operate('stack_suspend')
        self.s.noop(3)
        self.s.call(self.s.assert_state, 'SUSPEND_IN_PROGRESS')
        self.s.recover()
        self.s.run()
        self.s.assert_state('SUSPEND_COMPLETE')
        self.assertEqual(['engine-1'], self.s.dead_engines)
        self.assertEqual(1, len(self.s.rows('B')))
        self.assertEqual([('SUSPEND', 'C'), ('SUSPEND', 'B'),
                          ('SUSPEND', 'A')], Suspendable.calls)
        self.s.verify(_chain())

    def test_lost_messages_of_a_resume_are_resent(self):
        """Given a resume's messages are lost, a recovery pass finds its
        frontier from the rows and the resume completes."""
        self.created(_chain())
        self.operate('stack_suspend')
        self.s.run()
        self.operate('stack_resume')
        self.s.noop(1)
        self.s.lose_messages()
        self.s.recover()
        self.s.run()
        self.s.assert_state('RESUME_COMPLETE')
        self.assertEqual({'A': 'RESUME_COMPLETE', 'B': 'RESUME_COMPLETE',
                          'C': 'RESUME_COMPLETE'}, self.states())


class StackCheck(InPlaceTestCase):

    def test_check_complete(self):
        self.created(_chain())
        self.operate('stack_check')
        self.s.run()
        self.s.assert_state('CHECK_COMPLETE')
        self.assertEqual('Stack CHECK completed successfully',
                         self.s._stack('foo')['status_reason'])
        self.assertEqual([('CHECK', 'A'), ('CHECK', 'B'), ('CHECK', 'C')],
                         Suspendable.calls)

    def test_failed_check_skips_dependants_and_checks_the_rest(self):
        """Given B is unhealthy and D independent, then B is CHECK_FAILED,
        C (which depends on B) is not checked, A and D are, and the stack
        is CHECK_FAILED naming B."""
        template = _chain()
        template.resources['B'] = RsrcDef({'b': 2, 'unhealthy': True},
                                          depends_on=['A'])
        template.resources['D'] = RsrcDef({'d': 4})
        self.created(template)
        self.operate('stack_check')
        self.s.run()
        self.s.assert_state('CHECK_FAILED')
        self.assertEqual(
            'Resource CHECK failed: B: Resource CHECK failed: ValueError: '
            'resources.B: B is not there',
            self.s._stack('foo')['status_reason'])
        self.assertEqual({'A': 'CHECK_COMPLETE', 'B': 'CHECK_FAILED',
                          'C': 'CREATE_COMPLETE', 'D': 'CHECK_COMPLETE'},
                         self.states())
        self.assertNotIn(('CHECK', 'C'), Suspendable.calls)

    def test_check_after_a_failed_update_checks_every_resource(self):
        """Given an update that failed at B (C, depending on B, still at
        the old template), a check checks A, B and C: the rows the stack
        stands on, whatever template they last converged to."""
        self.created(_chain())
        failing = _chain()
        failing.resources['B'] = RsrcDef({'b': 2, 'fail': True},
                                         depends_on=['A'])
        self.s.update_stack('foo', failing)
        self.s.run()
        self.s.assert_state('UPDATE_FAILED')
        self.operate('stack_check')
        self.s.run()
        self.s.assert_state('CHECK_COMPLETE')
        self.assertEqual([('CHECK', 'A'), ('CHECK', 'B'), ('CHECK', 'C')],
                         Suspendable.calls)
        self.assertEqual({'A': 'CHECK_COMPLETE', 'B': 'CHECK_COMPLETE',
                          'C': 'CHECK_COMPLETE'}, self.states())

    def test_never_created_resource_fails_its_check_as_heat(self):
        """Given a create that failed at B (C never created), a check finds
        C not created: Heat's words on the row and in the stack's reason."""
        failing = _chain()
        failing.resources['B'] = RsrcDef({'b': 2, 'fail': True},
                                         depends_on=['A'])
        self.created(failing)
        self.s.assert_state('CREATE_FAILED')
        self.operate('stack_check')
        self.s.run()
        self.s.assert_state('CHECK_FAILED')
        self.assertEqual('Resource CHECK failed: C: Resource CHECK failed: '
                         'Exception: resources.C: Resource C not created '
                         'yet.', self.s._stack('foo')['status_reason'])
        row = self.s.rows('C')[0]
        self.assertEqual(('CHECK', 'FAILED',
                          'Can not check C, resource not created yet.'),
                         (row['action'], row['status'], row['status_reason']))

    def test_type_without_check_is_said_so(self):
        """Heat's words: the row CHECK_COMPLETE 'CHECK not supported for
        <type>', the stack's reason 'not fully supported'."""
        resources.register('Scenario::Plain', NotCheckable)
        self.addCleanup(resources.unregister, 'Scenario::Plain')
        template = _chain().to_hot()
        template['resources']['P'] = {'type': 'Scenario::Plain'}
        self.s.call(lambda: self.s.engine_service.create_stack(
            self.s.context, 'foo', template, {'parameters': {}}, {}, {}))
        self.s.run()
        self.operate('stack_check')
        self.s.run()
        stack = self.s._stack('foo')
        self.assertEqual('CHECK_COMPLETE', '%s_%s' % (stack['action'],
                                                      stack['status']))
        self.assertEqual("Stack CHECK completed successfully. 'CHECK' not "
                         "fully supported (see resources)",
                         stack['status_reason'])
        self.assertIn(('P', 'CHECK', 'COMPLETE',
                       'CHECK not supported for Scenario::Plain'),
                      self.events())
        self.assertEqual('CHECK_COMPLETE', self.states()['P'])


class MarkUnhealthy(InPlaceTestCase):

    def mark(self, name, unhealthy, reason=None):
        self.s.engine_service.resource_mark_unhealthy(
            self.s.context, self.s._identity('foo'), name, unhealthy, reason)

    def test_marked_resource_is_replaced_by_the_next_update(self):
        """Given B marked unhealthy, the next update (even with the same
        template) replaces B, as Heat does."""
        self.s.create_stack('foo', _chain())
        self.s.run()
        old_ids = self.s.physical_ids('B')
        self.mark('B', True, 'gone bad')
        self.assertEqual('CHECK_FAILED', self.states()['B'])
        self.assertIn(('B', 'CHECK', 'FAILED', 'gone bad'), self.events())
        self.s.update_stack('foo', _chain())
        self.s.run()
        self.s.assert_state('UPDATE_COMPLETE')
        self.assertNotEqual(old_ids, self.s.physical_ids('B'))
        self.s.verify(_chain())

    def test_marked_healthy_again(self):
        self.s.create_stack('foo', _chain())
        self.s.run()
        self.mark('B', True)
        self.mark('B', False)
        self.assertEqual('CHECK_COMPLETE', self.states()['B'])
        row = self.s.rows('B')[0]
        self.assertEqual('state changed by resource_mark_unhealthy api',
                         row['status_reason'])
        # Healthy and not CHECK_FAILED: nothing changes, no event.
        count = len(self.events())
        self.mark('A', False)
        self.assertEqual('CREATE_COMPLETE', self.states()['A'])
        self.assertEqual(count, len(self.events()))

    def test_by_physical_id(self):
        self.s.create_stack('foo', _chain())
        self.s.run()
        physical_id, = self.s.physical_ids('C')
        self.mark(physical_id, True, 'x')
        self.assertEqual('CHECK_FAILED', self.states()['C'])

    def test_errors(self):
        self.s.create_stack('foo', _chain())
        self.s.run()
        error = self.assertRaises(exceptions.ResourceNotFound, self.mark,
                                  'nosuch', True)
        self.assertEqual('The Resource (nosuch) could not be found in Stack '
                         'foo.', error.message)
        error = self.assertRaises(exceptions.Invalid, self.mark, 'A', 'yes')
        self.assertEqual('Data supplied was not valid: mark_unhealthy is '
                         'not a boolean', error.message)

    def test_resource_in_progress_is_refused(self):
        """A row an operation holds: 409, Heat's words."""
        self.s.create_stack('foo', _chain())
        self.s.run()
        row = self.s.rows('A')[0]
        self.s.db.resource_cas(row['id'], {'engine_id': None},
                               {'engine_id': 'engine-9'})
        self.s.db.stack_cas(self.s._stack('foo')['id'],
                            self.s._stack('foo')['current_traversal'],
                            {'action': 'UPDATE', 'status': 'IN_PROGRESS'})
        error = self.assertRaises(exceptions.ActionInProgress, self.mark,
                                  'A', True)
        self.assertEqual('Stack foo already has an action (UPDATE) in '
                         'progress.', error.message)
        self.assertEqual('CREATE_COMPLETE', self.states()['A'])


class TreeTestCase(InPlaceTestCase):
    """The tree of test_nested_scenarios: root -> mid -> leaf (L1 -> L2)."""

    def created_tree(self) -> None:
        s = self.s
        s.call(lambda: s.engine_service.create_stack(
            s.context, 'foo', nested.ROOT, {'parameters': {'v': 'one'}},
            nested._files(), {}))
        s.run()

    def tree_states(self) -> list[str]:
        stacks = sorted(self.s.db.stack_list('test'),
                        key=lambda t: t['nested_depth'])
        return ['%s_%s' % (t['action'], t['status']) for t in stacks]


class NestedInPlace(TreeTestCase):

    def test_suspend_reaches_every_level_children_first(self):
        """Given a tree, when the root is suspended, then the leaves are
        suspended before the rows owning their stacks finish, every level
        is SUSPEND_COMPLETE, and a resume brings every level back."""
        self.created_tree()
        self.operate('stack_suspend')
        self.s.run()
        self.assertEqual(['SUSPEND_COMPLETE'] * 3, self.tree_states())
        order = [name for _, name in Suspendable.calls]
        # R depends on mid: first; the leaf's chain inverted inside.
        self.assertEqual(['R', 'L2', 'L1'], [n for n in order
                                             if n in ('R', 'L1', 'L2')])
        tree = [t['id'] for t in self.s.db.stack_list('test')]
        ended = [(e['resource_name'], e['resource_status'])
                 for e in self.s.db.events_of_stacks(tree)
                 if e['resource_action'] == 'SUSPEND'
                 and e['resource_name'] in ('L1', 'leaf', 'mid')]
        # Each level's rows finish before the row owning that level does.
        self.assertLess(ended.index(('L1', 'COMPLETE')),
                        ended.index(('leaf', 'COMPLETE')))
        self.assertLess(ended.index(('leaf', 'COMPLETE')),
                        ended.index(('mid', 'COMPLETE')))
        self.assertLess(ended.index(('mid', 'IN_PROGRESS')),
                        ended.index(('L1', 'IN_PROGRESS')))
        self.operate('stack_resume')
        self.s.run()
        self.assertEqual(['RESUME_COMPLETE'] * 3, self.tree_states())

    def test_check_fails_in_a_child_fails_the_root(self):
        """A check failing two levels down makes every level CHECK_FAILED,
        the path of the failure named at the root."""
        self.created_tree()
        self.patch(Suspendable, 'handle_check', _unhealthy_l2)
        self.operate('stack_check')
        self.s.run()
        self.assertEqual(['CHECK_FAILED'] * 3, self.tree_states())
        reason = self.s._stack('foo')['status_reason']
        self.assertTrue(reason.startswith(
            'Resource CHECK failed: mid: Resource CHECK failed: '), reason)
        self.assertIn('resources.mid.resources.leaf.resources.L2', reason)
        self.assertEqual('CREATE_COMPLETE', self.states()['R'])


def _unhealthy_l2(plugin):
    if plugin.name == 'L2':
        raise ValueError('L2 is not there')


class NestedRepair(TreeTestCase):
    """What the next update does to a nested resource left CHECK_FAILED."""

    def update_tree(self) -> None:
        s = self.s
        s.call(lambda: s.engine_service.update_stack(
            s.context, s._identity('foo'), nested.ROOT,
            {'parameters': {'v': 'one'}}, nested._files(), {}))
        s.run()

    def test_marked_unhealthy_nested_resource_is_replaced_whole(self):
        self.created_tree()
        old_child = self.s.rows('mid')[0]['physical_resource_id']
        old_l1 = self.s.physical_ids('L1')
        self.s.engine_service.resource_mark_unhealthy(
            self.s.context, self.s._identity('foo'), 'mid', True, 'bad')
        self.update_tree()
        self.s.assert_state('UPDATE_COMPLETE')
        live = [r for r in self.s.rows('mid') if r['action'] != 'DELETE']
        self.assertEqual(1, len(live))
        self.assertNotEqual(old_child, live[0]['physical_resource_id'])
        self.assertNotEqual(old_l1, self.s.physical_ids('L1'))

    def test_nested_resource_failed_by_a_check_is_repaired_inside(self):
        """The child stays; only the resource that failed its check (L2)
        is replaced."""
        self.created_tree()
        old_child = self.s.rows('mid')[0]['physical_resource_id']
        old_l1, old_l2 = self.s.physical_ids('L1'), self.s.physical_ids('L2')
        self.patch(Suspendable, 'handle_check', _unhealthy_l2)
        self.operate('stack_check')
        self.s.run()
        self.update_tree()
        self.s.assert_state('UPDATE_COMPLETE')
        live = [r for r in self.s.rows('mid') if r['action'] != 'DELETE']
        self.assertEqual(old_child, live[0]['physical_resource_id'])
        self.assertEqual(old_l1, self.s.physical_ids('L1'))
        self.assertNotEqual(old_l2, self.s.physical_ids('L2'))
        self.assertEqual(1, self.s.count('L2'))


class RepeatedTrigger(InPlaceTestCase):

    def test_a_repeated_trigger_does_no_second_suspend(self):
        """A trigger sent again within the traversal (recovery re-sending,
        a duplicate delivery) finds the row suspended: nothing more."""
        self.created(_chain())
        self.operate('stack_suspend')
        self.s.run()
        stack = self.s._stack('foo')
        row = self.s.rows('B')[0]
        self.s.db.stack_cas(stack['id'], stack['current_traversal'],
                            {'status': 'IN_PROGRESS'})
        self.s.messenger.cast_check_resource(
            row['id'], stack['current_traversal'], {}, False)
        self.s.run()
        self.assertEqual(3, len(Suspendable.calls))
