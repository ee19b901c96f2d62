"""SIGTERM of every engine mid-traversal, then all started again.

A graceful stop: each engine exits by itself, promptly and with status 0,
and removes its service row (so nobody has to wait for its heartbeat to
age); once the engines are back the interrupted create finishes unattended,
with nothing created twice, and the stack deletes cleanly.
"""

import uuid

from functional_tests.faults import base

# Seconds every engine has to exit after SIGTERM.
STOP_BOUND = 20
# Seconds the create has, from the restart, to complete.
CONVERGE_BOUND = 60


class GracefulStopTest(base.FaultTestCase):

    def test_sigterm_every_engine_mid_create_then_restart(self):
        identifier = self.create('term-%s' % uuid.uuid4().hex[:6])
        self.wait_for_engines_holding(identifier, 2)
        before = set(self.deployment.engine_ids)

        codes = self.deployment.terminate_engines(timeout=STOP_BOUND)

        self.assertEqual({0: 0, 1: 0, 2: 0}, codes,
                         'engines still running (None) or exiting badly '
                         '%s s after SIGTERM' % STOP_BOUND)
        for engine in self.deployment.engines:
            self.assertIn('stopping', engine.log_tail(2000), engine.label)
        left = before & {s['engine_id'] for s in
                         self.deployment.db.service_list()}
        self.assertEqual(set(), left, 'service rows of stopped engines')

        for index in range(len(self.deployment.engines)):
            self.deployment.start_engine(index)
        outcome = self.wait_converged(identifier, 'CREATE_COMPLETE',
                                      CONVERGE_BOUND)
        self.assertConverged(outcome, 'create interrupted by SIGTERM')
        self.assertClean(self.audit_converged(identifier), 'after create')

        self.delete(identifier)
        self.assertConverged(self.wait_converged(
            identifier, 'DELETE_COMPLETE', CONVERGE_BOUND,
            stale='CREATE_COMPLETE'), 'delete')
        self.assertClean(self.audit_deleted(identifier), 'after delete')
