"""SIGKILL of a random engine at a random moment of every traversal.

Each run creates the 50-resource workload, updates it (replacing five
resources) and deletes it, and during each of the three traversals kills a
random running engine.  Half the time (at random) the killed engine is
started again after up to two seconds; otherwise the others carry on (a
run starts with every engine running again).  Every traversal must reach
its COMPLETE status unattended within ``PHASE_BOUND`` seconds, the ledger
must show no resource created twice and nothing left alive after delete,
and the API must list exactly the template's resources.

Environment: ``CONVERGENCE_FAULT_RUNS`` (default 20),
``CONVERGENCE_FAULT_SEED`` (default: random, printed) and
``CONVERGENCE_FAULT_SUMMARY`` (a path: the per-phase results as JSON).
"""

import datetime
import os
import random
import sys
import threading
import time
import uuid

from testtools import content

from functional_tests import bookkeeping
from functional_tests.faults import base
from functional_tests.faults import summary
from functional_tests.faults import workload
from functional_tests.plugins.recorded import ledger as ledger_mod

RUNS_ENV = 'CONVERGENCE_FAULT_RUNS'
SEED_ENV = 'CONVERGENCE_FAULT_SEED'
SUMMARY_ENV = 'CONVERGENCE_FAULT_SUMMARY'
DEFAULT_RUNS = 20
# Seconds from a request until its traversal must be COMPLETE, kill and
# recovery included; an undisturbed traversal takes about ten.
PHASE_BOUND = 60
# Seconds after the request within which the kill falls.
KILL_WINDOW = (0.5, 4.0)
# Seconds a killed engine stays dead when it is restarted.
RESTART_DELAY = (0.0, 2.0)
# What the sweeper logs when it resumes a row awaiting a child stack that
# is done (convergence/recovery/sweeper.py): the engine that would have
# woken it died in between, or the sweeper came first (it judges by the
# row's age, not by when the child ended, so it also races the wake-up of
# a child that has just ended: the row's lock is taken over once).
REWOKEN = 'still awaited its nested stack'
# Characters of each process's log a phase reads (all it wrote).
LOG_LIMIT = 10 ** 8
# Consecutive runs that do not converge after which the rest are skipped
# (each costs a full PHASE_BOUND; the table says how many were run).
GIVE_UP_AFTER = 3

PHASES = (
    # phase, final status, status before the request, parameters
    ('create', 'CREATE_COMPLETE', '', {}),
    ('update', 'UPDATE_COMPLETE', 'CREATE_COMPLETE',
     {'foo': 'two', 'replace': True}),
    ('delete', 'DELETE_COMPLETE', 'UPDATE_COMPLETE', None),
)


class SigkillTest(base.FaultTestCase):
    """The runs, on the flat workload; a subclass may run another one by
    overriding the class constants and the ``_create``, ``_update``,
    ``_tree``, ``_audit`` hooks (test_nested_kill does)."""

    WORKLOAD = 'the 50-resource workload'
    DEFAULT_RUNS = DEFAULT_RUNS
    PHASE_BOUND = PHASE_BOUND
    KILL_WINDOW = KILL_WINDOW

    def test_sigkill_random_engine_mid_traversal(self):
        runs = int(os.environ.get(RUNS_ENV) or self.DEFAULT_RUNS)
        seed = int(os.environ.get(SEED_ENV) or random.randrange(10 ** 6))
        rng = random.Random(seed)
        results, began, failing = [], time.monotonic(), 0
        for run in range(runs):
            self._start_stopped_engines()
            phases = self._one_run(run, rng)
            results.extend(phases)
            failing = 0 if all(p.converged for p in phases) else failing + 1
            if failing >= GIVE_UP_AFTER:
                break
        report = ('SIGKILL fault runs on %s: %d of %d run, seed %d, '
                  'backend %s, %.0f s\n%s' % (
                      self.WORKLOAD, run + 1, runs, seed,
                      self.deployment.backend, time.monotonic() - began,
                      summary.table(results)))
        self.addDetail('sigkill-summary', content.text_content(report))
        print('\n' + report, file=sys.stderr, flush=True)
        if os.environ.get(SUMMARY_ENV):
            summary.write_json(os.environ[SUMMARY_ENV], results, seed=seed,
                               runs_asked=runs, runs_done=run + 1,
                               backend=self.deployment.backend)
        self.assertEqual(runs, run + 1, 'gave up after %d runs that did not '
                         'converge:\n%s' % (GIVE_UP_AFTER, report))
        self.assertEqual([], [(r.run, r.phase, r.status, r.problems)
                              for r in results if not r.ok], report)

    def _start_stopped_engines(self) -> None:
        for index, engine in enumerate(self.deployment.engines):
            if not engine.alive():
                self.deployment.start_engine(index)

    def _one_run(self, run: int, rng: random.Random) -> list:
        name = 'kill%02d-%s' % (run, uuid.uuid4().hex[:6])
        identifier, results = None, []
        for phase, expected, stale, parameters in PHASES:
            result = summary.PhaseResult(run=run, phase=phase)
            results.append(result)
            try:
                if phase == 'create':
                    identifier = self._create(name)
                    request = None
                elif phase == 'update':
                    request = (lambda: self._update(identifier, parameters))
                else:
                    request = (lambda: self.delete(identifier))
                self._phase(result, identifier, request, expected, stale, rng)
            except Exception as exc:  # recorded: the other runs go on
                result.problems.append('%s: %s' % (type(exc).__name__, exc))
            if not result.converged:
                self._abandon(identifier)
                break
        return results

    def _phase(self, result, identifier, request, expected, stale, rng):
        """Request (create was already posted), kill, wait, audit."""
        started, wall_started = time.monotonic(), time.time() - 1
        log_mark = self.deployment.log_mark()
        if request is not None:
            request()
        kill_at = rng.uniform(*self.KILL_WINDOW)
        restart = rng.random() < 0.5
        watch = {}

        def on_poll():
            if 'held' not in watch and time.monotonic() - started >= kill_at:
                watch['held'] = self._kill(result, identifier, started,
                                           restart, rng, watch)
            if watch.get('held') is not None:
                watch['held'].check()
        outcome = self.wait_converged(identifier, expected, self.PHASE_BOUND,
                                      started=started, stale=stale,
                                      on_poll=on_poll)
        if 'restart' in watch:
            watch['restart'].join()
        result.converged, result.status = outcome.converged, outcome.status
        result.seconds = round(outcome.seconds, 2)
        held = watch.get('held')
        if held is not None:
            held.check()
            result.after_kill = round(outcome.at - held.killed_at, 2)
            if held.recovery_seconds is not None:
                result.recovery = round(held.recovery_seconds, 2)
        self._audit(result, identifier, expected)
        self._count_repeats(result, identifier, wall_started)
        result.rewoken = self.deployment.log_since(
            log_mark, limit=LOG_LIMIT).count(REWOKEN)

    def _kill(self, result, identifier, started, restart, rng, watch):
        index = rng.choice(self.deployment.running_engines())
        killed_at = time.monotonic()
        result.killed_at = datetime.datetime.now(
            datetime.timezone.utc).strftime('%H:%M:%S.%f')[:-3]
        engine_id = self.deployment.kill_engine(index)
        held = base.HeldRows(self.deployment.db, self._tree(identifier),
                             engine_id, killed_at)
        result.engine, result.held = index, len(held.row_ids)
        result.awaiting = held.awaiting
        result.awaiting_own = held.awaiting_own
        result.kill_after = round(killed_at - started, 2)
        result.restarted = restart or not self.deployment.running_engines()
        if result.restarted:
            delay = rng.uniform(*RESTART_DELAY)
            watch['restart'] = threading.Thread(
                target=self._restart_later, args=(index, delay, result))
            watch['restart'].start()
        return held

    def _restart_later(self, index: int, delay: float, result) -> None:
        time.sleep(delay)
        try:
            self.deployment.start_engine(index)
        except Exception as exc:
            result.problems.append('restart of engine%d failed: %s'
                                   % (index, exc))

    # -- the workload's hooks ----------------------------------------------

    def _create(self, name: str) -> str:
        return self.create(name)

    def _update(self, identifier: str, parameters: dict) -> None:
        self.update(identifier, parameters)

    def _tree(self, identifier: str) -> list[str]:
        """The ids of every stack the operation works on."""
        return [self.stack_id(identifier)]

    def _check(self, result, identifier, expected) -> bookkeeping.Audit:
        """The ledger and the API after the phase; wrong outputs go to
        ``result.problems``."""
        if expected == 'DELETE_COMPLETE':
            return self.audit_deleted(identifier)
        replaced = (workload.replaced_on_update()
                    if expected == 'UPDATE_COMPLETE' else frozenset())
        audit = self.audit_converged(identifier, replaced)
        if result.converged:
            foo = 'two' if expected == 'UPDATE_COMPLETE' else 'one'
            outputs = self.outputs(identifier)
            if outputs != workload.expected_outputs(foo):
                result.problems.append('outputs %s' % outputs)
        return audit

    def _audit(self, result, identifier, expected) -> None:
        audit = self._check(result, identifier, expected)
        result.duplicates = audit.duplicate_count
        result.leftovers = audit.leftover_count
        if result.converged:
            result.problems.extend(audit.problems())
        else:
            result.problems.append('did not converge: %s' % result.status)
            result.problems.extend(self._stuck(identifier))

    def _stuck(self, identifier) -> list[str]:
        """The rows of every stack of the operation still locked or in
        progress, and the stacks still in progress, as they are now."""
        db, lines = self.deployment.db, []
        for stack_id in self._tree(identifier):
            stack = db.stack_get(stack_id)
            if stack is not None and stack['status'] == 'IN_PROGRESS':
                lines.append('stack %s %s %s_%s traversal %s failure %r' % (
                    stack['name'], stack_id, stack['action'],
                    stack['status'], stack['current_traversal'],
                    stack['failure_reason']))
            for row in db.resources_of_stack(stack_id, active_only=False):
                if row['engine_id'] or row['status'] == 'IN_PROGRESS':
                    lines.append(
                        'stuck row %s/%s (%s) %s_%s engine %s awaiting %s'
                        % (stack['name'] if stack else stack_id, row['name'],
                           row['id'], row['action'], row['status'],
                           row['engine_id'], row['awaiting']))
        return lines

    def _count_repeats(self, result, identifier, since: float) -> None:
        """Creates and deletes repeated after the kill, and creates of a
        resource already deleted (never right: something came back)."""
        calls = [call for stack_id in self._tree(identifier)
                 for call in self.ledger.calls(stack_id, since)]
        outcomes = [c['outcome'] for c in calls]
        result.repeated = (outcomes.count(ledger_mod.ADOPTED)
                           + outcomes.count(ledger_mod.ALREADY_DELETED))
        revived = [c['resource_name'] for c in calls
                   if c['outcome'] == ledger_mod.RECREATED]
        if revived:
            result.problems.append('created again after delete: %s'
                                   % revived)

    def _abandon(self, identifier) -> None:
        """A stack that did not converge is deleted in the background (best
        effort) so it does not keep the engines busy for the next runs."""
        if identifier is None:
            return
        try:
            self.delete(identifier)
        except Exception:
            pass
