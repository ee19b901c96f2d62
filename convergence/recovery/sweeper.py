"""The sweeper: what no message will ever repair, found and repaired.

Every engine runs one, every ``periodic_interval``.  A pass looks after the
running stacks this engine is responsible for (``liveness.looks_after``):

1. Rows locked by an engine that is gone are unlocked.  When the resource
   type says repeating the interrupted action is safe, the row is left
   IN_PROGRESS (the only way a row is IN_PROGRESS without a lock) and the
   node re-sent for it repeats the action in place; otherwise the row is
   marked FAILED, and is replaced as Heat does.  A trigger parked on the
   row is re-sent.
2. A failing traversal with nothing locked any more is turned FAILED (and
   rolled back when asked): the engine that was waiting for that may be
   gone.  Its breakpoint pauses and signal waits end first.
3. A traversal past its deadline fails, whether or not a message for it
   ever arrives again.
4. A traversal that has made no progress for the down time with nothing
   locked lost a message: the triggers of its frontier are rebuilt from the
   rows and re-sent; if nothing is left to do it completes; if it never got
   as far as storing its graph it starts again.
5. A row awaiting a signal whose timer (``Await(after=...)``: a Delay's
   end, a wait condition's timeout) is overdue by the down time gets the
   timer's signal: the engine that set the timer died.

Each step is a compare-and-swap or a re-send that the receiving node
tolerates, so engines sweeping at the same time cannot do harm.  An engine
whose own heartbeat is not getting through judges nobody: after a database
outage every heartbeat looks old, so judging waits until this engine's own
heartbeat has been healthy for a whole down time.
"""

import collections
import dataclasses
import datetime
import logging

from convergence import exceptions
from convergence import metrics
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import stack as stack_ops
from convergence import states
from convergence import traversal as plan
from convergence.nested import batches
from convergence.nested import resume
from convergence.recovery import frontier
from convergence.recovery import liveness
from convergence.worker import breakpoints
from convergence.worker import signal_wait
from db.api import utcnow

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class Pass:
    """What one sweep did, for logs and tests."""

    unlocked: int = 0
    resent: int = 0
    timed_out: int = 0
    finished: int = 0
    restarted: int = 0

    def __bool__(self):
        return any(dataclasses.astuple(self))

    def counted(self) -> 'Pass':
        """Count this pass's actions by kind (convergence.metrics)."""
        for kind, count in dataclasses.asdict(self).items():
            metrics.recovery_acted(kind, count)
        return self


class Sweeper:
    """Recovery for one engine process (see the module docstring)."""

    def __init__(self, rt, periodic_interval: float, down_after: float,
                 healthy_since: datetime.datetime | None = None):
        """``healthy_since``: when this engine's heartbeat is known to have
        been getting through from (default: from its first sweep)."""
        self.rt = rt
        self.interval = periodic_interval
        self.down_after = down_after
        self._healthy_since = healthy_since

    def run_forever(self, proven_gone: set[str] = frozenset(),
                    messages_lost: bool = False) -> None:
        """``take_over`` once, then sweep every ``interval`` for ever."""
        try:
            done = self.take_over(proven_gone, messages_lost).counted()
            if done:
                LOG.info('engine %s took over: %s', self.rt.engine_id, done)
        except Exception:
            LOG.exception('take-over by engine %s failed', self.rt.engine_id)
        while True:
            try:
                done = self.sweep().counted()
                if done:
                    LOG.info('recovery by engine %s: %s', self.rt.engine_id,
                             done)
            except Exception:
                LOG.exception('recovery pass of engine %s failed',
                              self.rt.engine_id)
                self._healthy_since = None
            self.rt.sleep(self.interval)

    def sweep(self, now: datetime.datetime | None = None) -> Pass:
        now = now or utcnow()
        done = Pass()
        live = liveness.live_engines(self.rt.db.service_list(), now,
                                     self.down_after)
        if self.rt.engine_id not in live:
            self._healthy_since = None
            return done
        if self._healthy_since is None:
            self._healthy_since = now
        judging = (now - self._healthy_since).total_seconds() >= self.down_after
        running = {s['id']: s for s in self.rt.db.stacks_running()}
        unlocked = collections.defaultdict(set)
        failing = {i for i, s in running.items() if s['failure_reason']}
        for row in self._awaiting_children(now, failing):
            if liveness.looks_after(row['stack_id'], live, self.rt.engine_id):
                done.resent += self._wake(row)
        for row in signal_wait.lost_wakes(self.rt.db.resources_locked(), now,
                                          self.down_after):
            if liveness.looks_after(row['stack_id'], live, self.rt.engine_id):
                LOG.warning('resource %s (%s) got a signal that nobody '
                            'consumed; waking it', row['name'], row['id'])
                done.resent += int(signal_wait.wake(self.rt, row['id']))
        for row in signal_wait.lost_timers(self.rt.db.resources_locked(),
                                           _epoch(now), self.down_after):
            if liveness.looks_after(row['stack_id'], live, self.rt.engine_id):
                LOG.warning('resource %s (%s): its wait timer is overdue; '
                            'delivering it', row['name'], row['id'])
                done.resent += int(signal_wait.deliver_timer(self.rt, row))
        if judging:
            for row in self._locked_by_workers():
                if (row['engine_id'] not in live and liveness.looks_after(
                        row['stack_id'], live, self.rt.engine_id)):
                    if self._unlock(row, running.get(row['stack_id'])):
                        done.unlocked += 1
                        if not row['pending_trigger']:
                            unlocked[row['stack_id']].add(row['id'])
        for stack in running.values():
            if liveness.looks_after(stack['id'], live, self.rt.engine_id):
                self._sweep_stack(stack, now, unlocked.get(stack['id']),
                                  judging, done)
        return done

    def take_over(self, proven_gone: set[str], messages_lost: bool) -> Pass:
        """The first pass of a (re)started engine: no heartbeat waited for.

        Rows locked by engines certainly gone (``proven_gone``, or without
        a service row) are unlocked and their nodes re-sent, whoever looks
        after their stacks.  With ``messages_lost`` (the bus lived in the
        process that ended) every running stack with nothing locked has its
        frontier re-sent too: no message of it can still be on its way.
        Re-sends are harmless where they were not needed (see the module
        docstring).
        """
        done = Pass()
        running = {s['id']: s for s in self.rt.db.stacks_running()}
        locked = self._locked_by_workers()
        gone = liveness.certainly_gone({r['engine_id'] for r in locked},
                                       self.rt.db.service_list(), proven_gone)
        unlocked = collections.defaultdict(set)
        for row in locked:
            if row['engine_id'] in gone and self._unlock(
                    row, running.get(row['stack_id'])):
                done.unlocked += 1
                if not row['pending_trigger']:
                    unlocked[row['stack_id']].add(row['id'])
        now = utcnow()
        for stack in running.values():
            mine = frozenset(unlocked.get(stack['id'], ()))
            if (messages_lost and stack['failure_reason'] is None
                    and _epoch(now) <= stack_ops.deadline(self.rt, stack)
                    and not self.rt.db.stack_activity(stack['id'])[1]):
                self._resend(stack, done, replacing=mine)
            else:
                self._sweep_stack(stack, now, mine, False, done)
        return done

    # --- rows awaiting a child stack --------------------------------------------

    def _locked_by_workers(self) -> list[dict]:
        """Locked rows held by a worker (not awaiting a child stack): the
        ones whose holder's death matters."""
        return [r for r in self.rt.db.resources_locked() if not r['awaiting']]

    def _awaiting_children(self, now, failing: set) -> list[dict]:
        """Rows awaiting a child whose operation ended a while ago: the
        verdict's wake-up never came (its engine died in between).

        ``failing``: the ids of stacks whose traversal fails (a pause
        between batches of theirs is not waited for)."""
        stale = []
        for row in self.rt.db.resources_locked():
            awaiting = row['awaiting']
            # A breakpoint's pause waits for its clear, a signal wait for
            # its signal, whoever started them.
            if (not awaiting or breakpoints.pause_of(row) is not None
                    or signal_wait.waiting(row) is not None
                    or self._recent(row['updated_at'], now)):
                continue
            # Pausing between batches: its timer is due later, and if its
            # engine died this pass or a later one starts the next batch.
            if row['stack_id'] not in failing and batches.pause_left(
                    awaiting, _epoch(now)) > 0:
                continue
            child = self.rt.db.stack_get(awaiting['stack_id'])
            if child is not None and child['deleted_at'] is None and (
                    child['status'] == states.Status.IN_PROGRESS):
                continue
            # The child's last write is about when its verdict came: its
            # own wake-up gets a whole down time before this one steps in.
            if child is not None and self._recent(
                    self.rt.db.stack_activity(child['id'])[0], now):
                continue
            stale.append(row)
        return stale

    def _recent(self, moment, now) -> bool:
        return moment is not None and (
            now - moment).total_seconds() < self.down_after

    def _wake(self, row: dict) -> int:
        awaiting = row['awaiting']
        child = self.rt.db.stack_get(awaiting['stack_id'])
        LOG.warning('resource %s (%s) still awaited its nested stack %s, '
                    'which is done; resuming', row['name'], row['id'],
                    awaiting['stack_id'])
        if child is not None:
            return int(resume.wake_owner(self.rt, child))
        loaded = self.rt.db.resource_and_stack(row['id'])
        if loaded is None or not rsrc_ops.RowLock(self.rt).take_over(
                loaded[0], {}):
            return 0
        resume.finish(self.rt, loaded[0], loaded[1], awaiting, None)
        return 1

    # --- dead engines' locks ---------------------------------------------------

    def _unlock(self, row: dict, stack: dict | None) -> bool:
        values = {'engine_id': None, 'atomic_key': row['atomic_key'] + 1,
                  'pending_trigger': None}
        if row['status'] == states.Status.IN_PROGRESS:
            reason = 'Engine %s went away during %s' % (row['engine_id'],
                                                        row['action'])
            if (stack is not None and stack['failure_reason'] is None
                    and _repeat_is_safe(row)):
                values['status_reason'] = reason + '; resuming'
            else:
                values.update(status=states.Status.FAILED,
                              status_reason=reason)
        expected = {'engine_id': row['engine_id'],
                    'atomic_key': row['atomic_key'],
                    'pending_trigger': row['pending_trigger']}
        if not self.rt.db.resource_cas(row['id'], expected, values):
            return False
        LOG.warning('resource %s (%s) was locked by engine %s, which is gone;'
                    ' unlocked', row['name'], row['id'], row['engine_id'])
        if 'status_reason' in values:
            self.rt.events.resource_event(
                row['stack_id'], row, row['action'],
                values.get('status', row['status']), values['status_reason'])
        parked = row['pending_trigger']
        if parked:
            self.rt.messenger.cast_check_resource(
                row['id'], parked['traversal_id'], parked['data'],
                parked['is_update'])
        return True

    # --- stacks --------------------------------------------------------------

    def _sweep_stack(self, stack: dict, now, unlocked: set | None,
                     judging: bool, done: Pass) -> None:
        traversal_id = stack['current_traversal']
        latest, locked = self.rt.db.stack_activity(stack['id'])
        if stack['failure_reason'] is not None:
            # The engine failing it may have died before ending the pauses.
            if locked:
                locked -= breakpoints.end_pauses(self.rt, stack['id'])
                locked -= signal_wait.end_waits(self.rt, stack['id'])
            if not locked:
                stack_ops.finish_failure(self.rt, stack['id'], traversal_id)
                done.finished += 1
            return
        if _epoch(now) > stack_ops.deadline(self.rt, stack):
            if stack_ops.fail(self.rt, stack['id'], traversal_id, 'Timed out'):
                done.timed_out += 1
            return
        if unlocked:
            self._resend(stack, done, only=unlocked)
        elif judging and not locked and self._stalled(stack, latest, now):
            self._resend(stack, done)

    def _stalled(self, stack: dict, latest, now) -> bool:
        last = max(t for t in (latest, stack['updated_at'],
                               stack['created_at']) if t is not None)
        return (now - last).total_seconds() >= self.down_after

    def _resend(self, stack: dict, done: Pass, only: set | None = None,
                replacing: frozenset = frozenset()):
        """Re-send the frontier's triggers (only the rows in ``only``).

        A FAILED row in ``only`` or ``replacing`` was just unlocked, not
        failed by its action: its node is re-sent to replace it.
        """
        rt, traversal_id = self.rt, stack['current_traversal']
        # The database, not graph_cache: the question is whether the graph
        # was ever stored.
        deps = rt.db.stack_deps(stack['id'])
        if deps is None or deps.get('traversal') != traversal_id:
            if only is None and stack_ops.restart(rt, stack):
                done.restarted += 1
            return
        graph = plan.graph_from_json(deps)
        rows = {r['id']: r for r in rt.db.resources_of_stack(
            stack['id'], active_only=False)}
        started = stack['updated_at'] or stack['created_at']
        found = frontier.standing(graph, rows, stack['raw_template_id'],
                                  started, stack['action'])
        verdicts = [(node, row) for node, row in found.failed
                    if row['id'] not in replacing]
        if only is None and verdicts:
            _, row = verdicts[0]
            reason = 'Resource %s failed: %s' % (row['action'],
                                                 row['status_reason'])
            if stack_ops.fail(rt, stack['id'], traversal_id, reason):
                done.finished += 1
            return
        if only is None and found.all_done:
            stack_ops.complete(rt, stack['id'], traversal_id)
            done.finished += 1
            return
        # An unlocked row marked FAILED (its interrupted action is not safe to
        # repeat) is re-driven too: its node replaces it.
        again = found.ready + [node for node, row in found.failed
                               if only is not None or row['id'] in replacing]
        for node in again:
            resource_id, data = frontier.trigger(graph, node, rows)
            if only is not None and not {node.rsrc_id, resource_id} & only:
                continue
            LOG.warning('stack %s: re-sending lost trigger of %s',
                        stack['id'], plan.node_key(node))
            rt.messenger.cast_check_resource(resource_id, traversal_id, data,
                                             node.is_update)
            done.resent += 1


def _repeat_is_safe(row: dict) -> bool:
    """Whether the row's interrupted action can be driven again in place:
    the type says repeating it is harmless, or it is a create the type
    resumes by waiting for what the cloud made: its id recorded, or found
    by the mark the create put on it."""
    type_name = row['type']
    if resources.is_nested(type_name):
        return True
    try:
        cls = resources.get_class(type_name)
    except exceptions.ConvergenceError:
        return False
    return cls.retry_safe or (
        row['action'] == states.Action.CREATE and cls.resumes_create()
        and (bool(row['physical_resource_id'])
             or cls.finds_unrecorded_creates()))


def _epoch(now: datetime.datetime) -> float:
    return now.replace(tzinfo=datetime.timezone.utc).timestamp()
