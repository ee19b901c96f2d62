"""SIGKILL of the engine whose timer is to end a group's pause.

A ResourceGroup created in batches (``batch_create``) pauses between two
batches on a timer of the engine that saw the batch end; nothing else
waits for it.  Killing that engine during the pause loses the timer: the
row records when the next batch may start (``not_before``), and a live
engine's sweeper starts it once that time has passed and the dead engine
is noticed.  The group still ends with one of each member.
"""

import time
import uuid

from functional_tests.faults import base

COUNT = 4
PAUSE = 6
# Seconds to create the group: two pauses and the dead engine's down time
# (a few heartbeats) with room to spare.
BOUND = 90
# Seconds to wait for the group to reach its first pause.
TO_PAUSE = 30

TEMPLATE = '''
heat_template_version: 2015-10-15
resources:
  group:
    type: OS::Heat::ResourceGroup
    update_policy:
      batch_create: {max_batch_size: 2, pause_time: %d}
    properties:
      count: %d
      resource_def:
        type: OS::Heat::TestResource
        properties:
          value: member-%%index%%
outputs:
  values: {value: {get_attr: [group, output]}}
''' % (PAUSE, COUNT)


class GroupPauseKillTest(base.FaultTestCase):

    def paused_group_row(self, identifier: str) -> dict:
        """The group's row once it pauses after its first batch."""
        deadline = time.monotonic() + TO_PAUSE
        while time.monotonic() < deadline:
            for row in self.deployment.db.resources_of_stack(
                    self.stack_id(identifier)):
                batches = (row['awaiting'] or {}).get('batches') or {}
                if row['name'] == 'group' and batches.get('not_before'):
                    return row
            time.sleep(base.POLL)
        self.fail('the group did not pause within %d s' % TO_PAUSE)

    def test_sigkill_during_a_pause_loses_no_batch(self):
        identifier = self.create('pause-%s' % uuid.uuid4().hex[:6],
                                 template=TEMPLATE)
        row = self.paused_group_row(identifier)
        index = self.deployment.engine_ids.index(row['engine_id'])
        self.deployment.kill_engine(index)

        outcome = self.wait_converged(identifier, 'CREATE_COMPLETE', BOUND,
                                      stale='CREATE_IN_PROGRESS')

        self.assertConverged(outcome, 'batched create')
        self.assertEqual({'values': ['member-%d' % i for i in range(COUNT)]},
                         self.outputs(identifier))
        child = self.client.resources.get(identifier,
                                          'group').physical_resource_id
        self.assertEqual(['%d' % i for i in range(COUNT)], sorted(
            r.resource_name for r in self.client.resources.list(child)))
