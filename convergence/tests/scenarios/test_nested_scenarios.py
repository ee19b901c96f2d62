"""Trees of stacks on the stepped queue: every level converges like a stack.

A root holds ``mid`` (a provider template ``mid.yaml``) and ``R``, which
reads ``mid``'s output; ``mid.yaml`` holds ``leaf`` (``leaf.yaml``) and
``sib``; ``leaf.yaml`` holds a chain ``L1`` -> ``L2``.  A parameter ``v``
flows from the root to every level, so an update of the root changes a
resource at each depth.  Operations are queued between worker messages,
so "update again while the leaf level is half done" is written exactly.
"""

from convergence import resources
from convergence.tests.scenarios import framework
from convergence.tests.scenarios.framework import ScenarioTestCase

RSRC = framework.RESOURCE_TYPE


def _leaf(fail_l2: bool = False) -> dict:
    l2 = {'l2': {'get_attr': ['L1', 'l1']}}
    if fail_l2:
        l2['fail'] = {'get_param': 'fail'}
    return {
        'heat_template_version': '2018-08-31',
        'parameters': {'v': {'type': 'string'},
                       'fail': {'type': 'boolean', 'default': False}},
        'resources': {
            'L1': {'type': RSRC, 'properties': {'l1': {'get_param': 'v'}}},
            'L2': {'type': RSRC, 'properties': l2}},
        'outputs': {'o': {'value': {'get_attr': ['L2', 'l2']}}}}


MID = {
    'heat_template_version': '2018-08-31',
    'parameters': {'v': {'type': 'string'},
                   'fail': {'type': 'boolean', 'default': False}},
    'resources': {
        'leaf': {'type': 'leaf.yaml',
                 'properties': {'v': {'get_param': 'v'},
                                'fail': {'get_param': 'fail'}}},
        'sib': {'type': RSRC, 'properties': {'m': {'get_param': 'v'}}}},
    'outputs': {'o': {'value': {'get_attr': ['leaf', 'o']}}}}

ROOT = {
    'heat_template_version': '2018-08-31',
    'parameters': {'v': {'type': 'string'},
                   'fail': {'type': 'boolean', 'default': False}},
    'resources': {
        'mid': {'type': 'mid.yaml',
                'properties': {'v': {'get_param': 'v'},
                               'fail': {'get_param': 'fail'}}},
        'R': {'type': RSRC, 'properties': {'r': {'get_attr': ['mid', 'o']}}}},
    'outputs': {'out': {'value': {'get_attr': ['R', 'r']}}}}


def _files(fail_l2: bool = False) -> dict:
    return {'mid.yaml': MID, 'leaf.yaml': _leaf(fail_l2)}


class NestedScenarios(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.assertTrue(resources.is_nested('mid.yaml'))

    # --- helpers -------------------------------------------------------------

    def create(self, value: str, fail_l2: bool = False,
               disable_rollback: bool = True):
        s = self.scenario
        s.engine_queue.append(lambda: s.engine_service.create_stack(
            s.context, framework.STACK_NAME, ROOT,
            {'parameters': {'v': value}}, _files(fail_l2),
            {'disable_rollback': disable_rollback}))

    def update(self, value: str, fail: bool = False, fail_l2: bool = False):
        s = self.scenario
        s.engine_queue.append(lambda: s.engine_service.update_stack(
            s.context, s._identity(framework.STACK_NAME), ROOT,
            {'parameters': {'v': value, 'fail': fail}}, _files(fail_l2), {}))

    def cancel(self):
        s = self.scenario
        s.engine_queue.append(lambda: s.engine_service.stack_cancel_update(
            s.context, s._identity(framework.STACK_NAME)))

    def assert_cloud(self, value: str) -> None:
        s = self.scenario
        s.assert_counts({'L1': 1, 'L2': 1, 'sib': 1, 'R': 1})
        self.assertEqual({'l1': value}, s.props('L1'))
        self.assertEqual({'l2': value}, s.props('L2'))
        self.assertEqual({'m': value}, s.props('sib'))
        self.assertEqual({'r': value}, s.props('R'))

    def tree(self) -> list[dict]:
        """Every stack of the tree, root first, deleted ones included."""
        return sorted(self.scenario.db.stack_list('test', show_deleted=True),
                      key=lambda s: s['nested_depth'])

    def states(self) -> list[str]:
        return ['%s_%s' % (s['action'], s['status']) for s in self.tree()
                if s['deleted_at'] is None]

    def stack_events(self, status: str) -> list:
        """Stack-level events with ``status`` in any stack of the tree."""
        found = []
        for stack in self.tree():
            found += [e for e in self.scenario.db.events_list(stack['id'])
                      if e['resource_name'] == stack['name']
                      and e['resource_status'] == status]
        return found

    def assert_nothing_locked(self) -> None:
        for stack in self.tree():
            self.assertEqual(
                0, self.scenario.db.resources_locked_count(stack['id']),
                'rows locked in %s' % stack['name'])

    # --- scenarios -------------------------------------------------------------

    def test_create_converges_every_level(self):
        """Given a root whose resource is a stack of a stack, when it is
        created, then each level is a stack of its own, the leaf values
        reach the root through outputs, and every level is COMPLETE."""
        s = self.scenario
        self.create('one')
        s.run()
        self.assert_cloud('one')
        tree = self.tree()
        self.assertEqual([0, 1, 2], [t['nested_depth'] for t in tree])
        root = tree[0]
        self.assertEqual([None, root['id'], tree[1]['id']],
                         [t['owner_id'] for t in tree])
        self.assertEqual({root['id']}, {t['root_stack_id'] for t in tree[1:]})
        self.assertEqual(['CREATE_COMPLETE'] * 3, self.states())
        self.assert_nothing_locked()

    def test_update_during_update_preempts_every_level(self):
        """Given a tree updated to 'two', when it is updated to 'three'
        while the leaf level is still converging, then every level ends at
        'three', UPDATE_COMPLETE, with no stack-level FAILED event (Heat
        stores one for the preempted nested traversal)."""
        s = self.scenario
        self.create('one')
        s.run()
        self.update('two')
        s.noop(3)
        self.update('three')
        s.run()
        self.assert_cloud('three')
        self.assertEqual(['UPDATE_COMPLETE'] * 3, self.states())
        self.assertEqual([], self.stack_events('FAILED'))
        self.assert_nothing_locked()

    def test_update_repeated_at_every_step_ends_at_the_last(self):
        """Updates landing at each successive step of a nested update all
        converge to the last one, whatever level each one interrupts."""
        for gap in range(1, 9):
            with self.subTest(gap=gap):
                self.scenario = framework.Scenario(self)
                s = self.scenario
                self.create('one')
                s.run()
                self.update('two')
                s.noop(gap)
                self.update('three')
                s.run()
                self.assert_cloud('three')
                self.assertEqual(['UPDATE_COMPLETE'] * 3, self.states())
                self.assertEqual([], self.stack_events('FAILED'))

    def test_cancel_rolls_back_every_level(self):
        """Given an update to 'two' under way in the leaf level, when it is
        cancelled, then every level converges back to 'one' and the root
        is ROLLBACK_COMPLETE."""
        s = self.scenario
        self.create('one')
        s.run()
        self.update('two')
        s.noop(3)
        self.cancel()
        s.run()
        self.assert_cloud('one')
        self.assertEqual('ROLLBACK_COMPLETE', self.states()[0])
        self.assert_nothing_locked()

    def test_cancel_without_rollback_stops_every_level(self):
        """Given an update under way in the leaf level, when it is
        cancelled without rollback, then every level still running turns
        UPDATE_FAILED "Stack UPDATE cancelled" and nothing stays locked."""
        s = self.scenario
        self.create('one')
        s.run()
        self.update('two')
        s.noop(4)
        s.engine_queue.append(lambda: s.engine_service.stack_cancel_update(
            s.context, s._identity(framework.STACK_NAME),
            cancel_with_rollback=False))
        s.run()
        self.assertEqual(['UPDATE_FAILED'] * 3, self.states())
        self.assertEqual('Stack UPDATE cancelled',
                         self.tree()[0]['status_reason'])
        self.assert_nothing_locked()

    def test_failure_deep_down_fails_and_rolls_back_the_tree(self):
        """Given a tree created with rollback enabled, when an update makes
        a leaf resource fail, then the failure reaches the root, which
        rolls back every level to 'one'."""
        s = self.scenario
        self.create('one', fail_l2=True, disable_rollback=False)
        s.run()
        self.assertEqual({'l2': 'one', 'fail': False}, s.props('L2'))
        self.update('two', fail=True, fail_l2=True)
        s.run()
        self.assertEqual('ROLLBACK_COMPLETE', self.states()[0])
        self.assertEqual({'l1': 'one'}, s.props('L1'))
        self.assertEqual({'l2': 'one', 'fail': False}, s.props('L2'))
        self.assertEqual({'r': 'one'}, s.props('R'))
        self.assert_nothing_locked()
        root = self.tree()[0]
        failed = [e for e in s.db.events_list(root['id'])
                  if e['resource_name'] == root['name']
                  and e['resource_status'] == 'FAILED']
        self.assertIn('resources.mid.resources.leaf.resources.L2',
                      failed[0]['resource_status_reason'])

    def test_delete_during_create_removes_children_first(self):
        """Given a tree still creating its leaf level, when the root is
        deleted, then every stack of the tree is deleted, children before
        their parent, and the cloud is empty."""
        s = self.scenario
        self.create('one')
        s.noop(3)
        s.delete_stack(framework.STACK_NAME)
        s.run()
        s.assert_total(0)
        tree = self.tree()
        self.assertEqual(3, len(tree))
        for stack in tree:
            self.assertEqual('DELETE_COMPLETE', '%s_%s' % (
                stack['action'], stack['status']))
        by_depth = [t['deleted_at'] for t in tree]
        self.assertEqual(sorted(by_depth, reverse=True), by_depth)

    def test_the_resource_limit_bounds_the_whole_tree(self):
        """Given max_resources_per_stack 5 and a tree of 6 resources (2 at
        each level), when it is created, then the leaf level is refused
        with Heat's message and the root fails."""
        s = self.scenario
        s.rt.settings.max_resources_per_stack = 5
        self.create('one')
        s.run()
        root = self.tree()[0]
        self.assertEqual('CREATE_FAILED', self.states()[0])
        self.assertIn('resources.mid.resources.leaf: Request limit exceeded: '
                      'You have reached the maximum resources per stack, 5.',
                      root['status_reason'])
        self.assert_nothing_locked()

    def test_engine_death_in_the_leaf_level_is_recovered(self):
        """Given an engine that dies as it starts creating a leaf resource,
        when a live engine sweeps, then the tree completes as if nothing
        happened: one of each resource, nothing locked."""
        s = self.scenario
        s.die_during('L2', 'CREATE')
        self.create('one')
        s.noop(12)
        s.recover()
        s.run()
        self.assert_cloud('one')
        self.assertEqual(['CREATE_COMPLETE'] * 3, self.states())
        self.assert_nothing_locked()

    def test_lost_wake_up_is_repaired_by_the_sweeper(self):
        """Given a nested stack whose verdict's wake-up never reaches its
        parent (its engine died in between), when an engine sweeps, then
        the parent's node resumes and the root completes."""
        s = self.scenario
        from convergence.nested import resume
        original = resume.wake_owner
        lost = []

        def lose_first(rt, child):
            if not lost:
                lost.append(child['id'])
                return False
            return original(rt, child)
        self.patch(resume, 'wake_owner', lose_first)
        self.create('one')
        s.run()
        self.assertEqual('CREATE_IN_PROGRESS', self.states()[0])
        s.recover()
        s.run()
        self.assert_cloud('one')
        self.assertEqual(['CREATE_COMPLETE'] * 3, self.states())
        self.assert_nothing_locked()
