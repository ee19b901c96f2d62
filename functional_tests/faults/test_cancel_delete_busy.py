"""Cancel and delete a stack whose resources other engines are working on.

The request reaches one engine; the actions in flight run on all three.
As in Heat, a cancelled update starts its rollback traversal at once and
the updates in flight hand over: each finishes, then its resource is rolled
back to the previous value, and the stack ends ROLLBACK_COMPLETE with the
same physical resources.  A delete stops the creates in flight instead
(the engine that got the request tells the others); a create whose lock
was taken just as the delete began may instead finish first and hand over.
Either way the stack is DELETE_COMPLETE without waiting for anything else,
and nothing the creates made is left.
"""

import uuid

from testtools import content

from functional_tests.faults import base
from functional_tests.faults import workload

LEAVES = 12
# Seconds each interrupted action would take if it were not stopped.
LONG_ACTION = 10
# Seconds of engine work on top of the actions' own waits.
SLACK = 10
# Seconds the stack has to reach its final status after the request.
BOUND = 60


class CancelBusyTest(base.FaultTestCase):

    def test_cancel_update_while_other_engines_update(self):
        template = workload.wide(LEAVES, create_wait=0.2,
                                 update_wait=LONG_ACTION)
        identifier = self.create('cancel-%s' % uuid.uuid4().hex[:6],
                                 template=template)
        self.assertConverged(self.wait_converged(
            identifier, 'CREATE_COMPLETE', BOUND), 'create')
        before = self.listed(identifier)
        self.update(identifier, {'foo': 'two'}, template=template)
        self.wait_for_engines_holding(identifier, 2)

        self.client.actions.cancel_update(identifier)
        outcome = self.wait_converged(identifier, 'ROLLBACK_COMPLETE',
                                      BOUND, stale='UPDATE_IN_PROGRESS')

        self.addDetail('statuses', content.text_content(outcome.describe()))
        self.addDetail('events of %s' % workload.leaf(0), content.text_content(
            self.event_lines(identifier, workload.leaf(0))))
        self.assertConverged(outcome, 'cancelled update')
        rollback_started = outcome.first_seen('ROLLBACK_IN_PROGRESS')
        self.assertIsNotNone(rollback_started, outcome.describe())
        self.assertLess(rollback_started, LONG_ACTION / 2, outcome.describe())
        # the updates in flight finish, then the leaves are updated back
        self.assertLess(outcome.seconds, 2 * LONG_ACTION + SLACK,
                        outcome.describe())
        self.assertEqual({'values': ['one'] * LEAVES},
                         self.outputs(identifier))
        self.assertEqual(before, self.listed(identifier))
        names = {workload.leaf(i) for i in range(LEAVES)}
        self.assertClean(self.audit_converged(identifier, names=names),
                         'after rollback')
        statuses = {r.resource_name: r.resource_status
                    for r in self.client.resources.list(identifier)}
        self.assertEqual(dict.fromkeys(names, True),
                         {name: status.endswith('_COMPLETE')
                          for name, status in statuses.items()}, statuses)

    def event_lines(self, identifier: str, resource_name: str) -> str:
        return '\n'.join(
            '%s %s %s' % (e.event_time, e.resource_status,
                          e.resource_status_reason)
            for e in self.client.events.list(
                identifier, sort_dir='asc',
                filters={'resource_name': resource_name}))

    def test_delete_while_other_engines_create(self):
        template = workload.wide(LEAVES, create_wait=LONG_ACTION)
        identifier = self.create('delete-%s' % uuid.uuid4().hex[:6],
                                 template=template)
        self.wait_for_engines_holding(identifier, 2)

        self.delete(identifier)
        outcome = self.wait_converged(identifier, 'DELETE_COMPLETE', BOUND,
                                      stale='CREATE_IN_PROGRESS')

        self.addDetail('statuses', content.text_content(outcome.describe()))
        self.assertConverged(outcome, 'delete during create')
        self.assertLess(outcome.seconds, LONG_ACTION + SLACK,
                        outcome.describe())
        self.assertClean(self.audit_deleted(identifier), 'after delete')
