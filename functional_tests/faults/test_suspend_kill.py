"""SIGKILL of the engine suspending a resource, on three real engines.

A stack of two chains of ``Convergence::Test::SlowSuspend`` resources
(each suspend and resume takes ``WAIT`` seconds) is suspended; when rows
are suspending, one engine holding one of them is killed.  The suspend
must still reach SUSPEND_COMPLETE unattended (another engine's sweeper
unlocks the rows and their nodes repeat the suspend on the same rows),
every resource SUSPEND_COMPLETE with its physical resource unchanged; the
resume after it completes too.
"""

import time

from functional_tests.faults import base
from functional_tests.plugins import slow_suspend

WAIT = 3
# Seconds the suspend may take, the kill and the recovery included: an
# undisturbed one takes 2 * WAIT (chains of two).
BOUND = 60
TEMPLATE = '''
heat_template_version: 2018-08-31
resources:
  a1: {type: %(t)s, properties: {suspend_wait_secs: %(w)s}}
  a2: {type: %(t)s, properties: {suspend_wait_secs: %(w)s},
       depends_on: a1}
  b1: {type: %(t)s, properties: {suspend_wait_secs: %(w)s}}
  b2: {type: %(t)s, properties: {suspend_wait_secs: %(w)s},
       depends_on: b1}
''' % {'t': slow_suspend.TYPE_NAME, 'w': WAIT}
NAMES = ('a1', 'a2', 'b1', 'b2')


class SuspendKillTest(base.FaultTestCase):

    def test_engine_killed_mid_suspend(self):
        identifier = self.create('suspend-kill', template=TEMPLATE)
        self.assertConverged(self.wait_converged(
            identifier, 'CREATE_COMPLETE', BOUND), 'create')
        before = self._physical_ids(identifier)

        started = time.monotonic()
        self.client.actions.suspend(identifier)
        holders = self.wait_for_engines_holding(identifier, 1)
        victim = self.deployment.engine_ids.index(sorted(holders)[0])
        self.deployment.kill_engine(victim)
        outcome = self.wait_converged(identifier, 'SUSPEND_COMPLETE', BOUND,
                                      started=started,
                                      stale='CREATE_COMPLETE')
        self.assertConverged(outcome, 'suspend after a kill')
        self.assertEqual({name: 'SUSPEND_COMPLETE' for name in NAMES},
                         self._statuses(identifier))
        self.assertEqual(before, self._physical_ids(identifier))
        # The kill landed mid-suspend: recovery unlocked a suspending row
        # and its node repeated the suspend.
        resumed = [e for e in self.client.events.list(identifier)
                   if 'went away during SUSPEND; resuming'
                   in (e.resource_status_reason or '')]
        self.assertNotEqual([], resumed)

        self.client.actions.resume(identifier)
        self.assertConverged(self.wait_converged(
            identifier, 'RESUME_COMPLETE', BOUND, stale='SUSPEND_COMPLETE'),
            'resume')
        self.assertEqual({name: 'RESUME_COMPLETE' for name in NAMES},
                         self._statuses(identifier))

    def _statuses(self, identifier: str) -> dict:
        return {r.resource_name: r.resource_status
                for r in self.client.resources.list(identifier)}

    def _physical_ids(self, identifier: str) -> dict:
        return {r.resource_name: r.physical_resource_id
                for r in self.client.resources.list(identifier)}
