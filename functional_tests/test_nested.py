"""Trees of stacks through python-heatclient, with real overlaps.

A root holds ``mid`` (provider template ``mid.yaml`` from ``files``),
which holds ``leaf`` (``leaf.yaml``) whose TestResource waits during its
actions, so that each operation below lands while the leaf level is busy.
The parameter ``foo`` flows from the root to the leaf and back up through
outputs.
"""

import time

from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import waiting

ROOT = '''
heat_template_version: 2018-08-31
parameters:
  foo: {type: string, default: one}
  wait: {type: number, default: 0}
  fail: {type: boolean, default: false}
resources:
  mid:
    type: mid.yaml
    properties:
      foo: {get_param: foo}
      wait: {get_param: wait}
      fail: {get_param: fail}
outputs:
  value: {value: {get_attr: [mid, value]}}
'''

MID = '''
heat_template_version: 2018-08-31
parameters:
  foo: {type: string}
  wait: {type: number}
  fail: {type: boolean}
resources:
  leaf:
    type: leaf.yaml
    properties:
      foo: {get_param: foo}
      wait: {get_param: wait}
      fail: {get_param: fail}
outputs:
  value: {value: {get_attr: [leaf, value]}}
'''

LEAF = '''
heat_template_version: 2018-08-31
parameters:
  foo: {type: string}
  wait: {type: number}
  fail: {type: boolean}
resources:
  slow:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: foo}
      fail: {get_param: fail}
      action_wait_secs:
        create: {get_param: wait}
        update: {get_param: wait}
outputs:
  value: {value: {get_attr: [slow, output]}}
'''

FILES = {'mid.yaml': MID, 'leaf.yaml': LEAF}


class NestedTreeTest(base.FunctionalTestCase):

    def create_tree(self, **parameters) -> str:
        return self.create_stack(ROOT, parameters=parameters, files=FILES,
                                 **({'expected': None}
                                    if parameters.get('wait') else {}))

    def child(self, identifier: str, name: str) -> str:
        """The id of the nested stack of resource ``name``."""
        return self.client.resources.get(identifier,
                                         name).physical_resource_id

    def leaf_stack(self, root: str) -> str:
        return self.child(self.child(root, 'mid'), 'leaf')

    def wait_leaf(self, root: str, status: str) -> str:
        def probe():
            try:
                leaf = self.leaf_stack(root)
                found = self.client.resources.get(leaf, 'slow')
            except heat_exc.HTTPException:
                return None
            return leaf if found.resource_status == status else None
        return waiting.wait_until(probe, base.STACK_TIMEOUT,
                                  'leaf resource %s' % status)

    def stack_level_events(self, stack_id: str, status: str) -> list:
        stack = self.client.stacks.get(stack_id, resolve_outputs=False)
        return [e for e in self.events(stack_id)
                if e.resource_name == stack.stack_name
                and e.resource_status.endswith('_' + status)]

    def tree_ids(self, root: str) -> list[str]:
        mid = self.child(root, 'mid')
        return [self.stack(root).id, mid, self.child(mid, 'leaf')]

    def test_create_update_delete(self):
        root = self.create_tree(foo='one')
        self.assertEqual({'value': 'one'}, self.outputs(root))
        mid = self.child(root, 'mid')
        self.assertEqual('CREATE_COMPLETE', self.stack_status(mid))
        self.update_stack(root, ROOT, parameters={'foo': 'two'}, files=FILES)
        self.assertEqual({'value': 'two'}, self.outputs(root))
        # Updated in place: the same nested stacks.
        self.assertEqual(mid, self.child(root, 'mid'))
        self.delete_stack(root)
        for stack_id in (mid,):
            stack = self.client.stacks.get(stack_id)
            self.assertEqual('DELETE_COMPLETE', stack.stack_status)

    def test_never_complete_while_a_leaf_is_in_progress(self):
        root = self.create_tree(foo='one', wait=3)
        seen = set()

        def probe():
            status = self.stack_status(root)
            try:
                leaf = self.client.resources.get(self.leaf_stack(root),
                                                 'slow').resource_status
            except heat_exc.HTTPException:
                leaf = None
            seen.add((status, leaf))
            return status if status == 'CREATE_COMPLETE' else None
        waiting.wait_until(probe, base.STACK_TIMEOUT, 'CREATE_COMPLETE',
                           interval=0.1)
        self.assertNotIn(('CREATE_COMPLETE', 'CREATE_IN_PROGRESS'), seen)
        self.assertIn(('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS'), seen)

    def test_update_during_nested_update(self):
        """A newer update preempts the leaf level's; no level records a
        stack-level FAILED event (Heat stores one for the preempted nested
        traversal though the tree completes)."""
        root = self.create_tree(foo='one', wait=0)
        self.update_stack(root, ROOT, parameters={'foo': 'two', 'wait': 30},
                          files=FILES, expected=None)
        self.wait_leaf(root, 'UPDATE_IN_PROGRESS')
        started = time.monotonic()
        self.update_stack(root, ROOT, parameters={'foo': 'three', 'wait': 0},
                          files=FILES, stale='UPDATE_IN_PROGRESS')
        self.assertEqual({'value': 'three'}, self.outputs(root))
        for stack_id in self.tree_ids(root):
            self.assertEqual('UPDATE_COMPLETE', self.stack_status(stack_id))
            self.assertEqual([], self.stack_level_events(stack_id, 'FAILED'))
        # The 30 s wait of the preempted update finishes first (a running
        # action is not cut short by an update), well inside the bound.
        self.assertLess(time.monotonic() - started, base.STACK_TIMEOUT)

    def test_cancel_rolls_back_every_level(self):
        root = self.create_tree(foo='one')
        self.update_stack(root, ROOT, parameters={'foo': 'two', 'wait': 30},
                          files=FILES, expected=None)
        self.wait_leaf(root, 'UPDATE_IN_PROGRESS')
        self.client.actions.cancel_update(root)
        self.wait_for_status(root, 'ROLLBACK_COMPLETE',
                             stale='UPDATE_IN_PROGRESS')
        self.assertEqual({'value': 'one'}, self.outputs(root))
        leaf = self.leaf_stack(root)
        self.assertEqual('one', self.client.resources.get(
            leaf, 'slow').attributes['output'])

    def test_delete_while_the_leaf_is_creating(self):
        root = self.create_tree(foo='one', wait=60)
        leaf = self.wait_leaf(root, 'CREATE_IN_PROGRESS')
        mid = self.child(root, 'mid')
        started = time.monotonic()
        self.delete_stack(root)
        # The leaf's 60 s create is cancelled, not waited for.
        self.assertLess(time.monotonic() - started, 30)
        for stack_id in (leaf, mid):
            self.assertEqual('DELETE_COMPLETE',
                             self.client.stacks.get(stack_id).stack_status)

    def test_deep_failure_rolls_back_the_tree(self):
        root = self.create_stack(ROOT, parameters={'foo': 'one'},
                                 files=FILES, disable_rollback=False)
        self.update_stack(root, ROOT, parameters={'foo': 'two', 'fail': True},
                          files=FILES, expected='ROLLBACK_COMPLETE')
        failed = self.stack_level_events(self.stack(root).id, 'FAILED')
        self.assertIn('resources.mid.resources.leaf.resources.slow',
                      failed[0].resource_status_reason)
        self.assertEqual({'value': 'one'}, self.outputs(root))
