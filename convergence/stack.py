"""Stack operations as traversals: start, complete, fail, roll back.

Every stack write is a compare-and-swap on ``current_traversal``.  A new
operation swaps in a new traversal id, drops the old traversal's joins,
builds the graph from the rows as they are now and triggers its leaves; old
workers that are mid-action finish and hand over (see resource.RowLock).
"""

import datetime
import functools
import logging
import uuid

from convergence import check_verdict
from convergence import definitions
from convergence import exceptions
from convergence import metrics
from convergence import states
from convergence import template as tmpl
from convergence import traversal as plan
from convergence.worker import graph_cache
from db.api import utcnow

LOG = logging.getLogger(__name__)

Action, Status = states.Action, states.Status
# A concurrent operation that loses the traversal swap retries this often
# before it is refused: it is never silently dropped.
_SWAP_ATTEMPTS = 5


def start(rt, stack: dict, action: str, template_id: int,
          updates: dict | None = None,
          only_from: str | None = None,
          stop_older: bool = False) -> str | None:
    """Make ``template_id`` the stack's goal and start converging to it.

    Returns the new traversal id.  Raises ActionInProgress if other
    operations keep winning the swap, EntityNotFound if the stack is gone.
    With ``only_from``, the swap is tried once, from that traversal only,
    and None returned if the stack has moved on.  With ``stop_older``, the
    actions of older traversals still running are cancelled
    (``stop_in_flight``).
    """
    for _ in range(_SWAP_ATTEMPTS):
        previous = stack['current_traversal']
        values = _traversal_values(stack, action, template_id, updates)
        if only_from is not None and previous != only_from:
            return None
        # A new operation's swap matches the status too: a traversal that
        # ended since the stack was read keeps its id, and what to roll
        # back to depends on its verdict (``rollback_target``; the template
        # it replaced may be gone by now).  A caller naming ``only_from``
        # goes on from that traversal's own verdict.
        if rt.db.stack_cas(stack['id'], previous, values,
                           expected_status=(stack['status'] if only_from is None
                                            else None)):
            break
        if only_from is not None:
            return None
        stack = rt.db.stack_get(stack['id'], show_deleted=False)
        if stack is None:
            raise exceptions.EntityNotFound(entity='Stack', name='')
    else:
        raise exceptions.ActionInProgress(stack_name=stack['name'],
                                          action=stack['action'])
    current_template_id = stack['raw_template_id']
    stack_status = stack['status']
    if (previous and previous != values['current_traversal']
            and stack['action'] == Action.SNAPSHOT
            and stack['status'] == Status.IN_PROGRESS):
        _snapshots().superseded(rt, previous, action)
    stack.update(values)
    rt.events.stack_event(stack, action, Status.IN_PROGRESS,
                          values['status_reason'])
    metrics.traversal_started(action)
    rows = _build_and_trigger(rt, stack, current_template_id,
                              superseded=_joins_left(previous, stack_status))
    if stop_older:
        # The rows were read once the new traversal was in: no row can be
        # locked for an older one since, so their holders are all there are.
        stop_in_flight(rt, stack['id'], values['current_traversal'], rows)
    return values['current_traversal']


def start_new(rt, row: dict) -> dict:
    """Store a new stack and start converging it; returns the stack.

    ``row`` holds the stack's columns with its first operation's as
    ``start`` would swap them in (``current_traversal``, ``action``,
    ``status`` IN_PROGRESS, ``status_reason`` "Stack <action> started").
    A stack just stored has no earlier traversal to swap out, no joins to
    drop and no resource rows to read.
    """
    stack = rt.db.stack_create(row)
    rt.events.stack_event(stack, stack['action'], Status.IN_PROGRESS,
                          stack['status_reason'])
    metrics.traversal_started(stack['action'])
    _build_and_trigger(rt, stack, stack['raw_template_id'], rows=[])
    return stack


def _joins_left(previous: str | None, status: str) -> str | None:
    """The superseded traversal whose joins a new one drops, if it may
    have left some: one that completed took its joins with its verdict
    (``_finish_complete``)."""
    if not previous or status == Status.COMPLETE:
        return None
    return previous


def restart(rt, stack: dict) -> str | None:
    """Start the stack's current operation over, as a new traversal.

    For a traversal whose start was cut short (its graph never stored): the
    operation keeps its start time, hence its deadline, and its rollback
    target.  None if the stack has moved on meanwhile.
    """
    updates = {'updated_at': stack['updated_at'],
               'prev_raw_template_id': stack['prev_raw_template_id']}
    if stack['action'] == Action.SNAPSHOT:
        # The snapshot's id is its traversal's: the snapshot goes on.
        updates['current_traversal'] = stack['current_traversal']
    return start(rt, stack, stack['action'], stack['raw_template_id'],
                 updates, only_from=stack['current_traversal'])


def _traversal_values(stack, action, template_id, updates) -> dict:
    values = {'current_traversal': str(uuid.uuid4()),
              'raw_template_id': template_id, 'action': action,
              'status': Status.IN_PROGRESS,
              'status_reason': 'Stack %s started' % action,
              'failure_reason': None, 'rollback_on_failure': False,
              'current_deps': None,
              'prev_raw_template_id': rollback_target(stack, action)}
    if action not in (Action.CREATE, Action.ADOPT):
        values['updated_at'] = utcnow()
    values.update(updates or {})
    return values


def rollback_target(stack: dict, action: str) -> int | None:
    """The template of the last operation that completed successfully.

    Kept while the goal template has not completed; an update during an
    update therefore still rolls back to what last worked, whatever the
    timing.
    """
    if action in (Action.CREATE, Action.ADOPT, Action.ROLLBACK):
        return stack.get('prev_raw_template_id')
    if stack['status'] == Status.COMPLETE and stack['action'] != Action.DELETE:
        return stack['raw_template_id']
    return stack.get('prev_raw_template_id')


def _build_and_trigger(rt, stack: dict, current_template_id: int,
                       rows: list[dict] | None = None,
                       superseded: str | None = None) -> list[dict]:
    """Store the traversal's graph and joins, dropping those of the
    ``superseded`` traversal, and trigger its leaves; ``rows``: the
    stack's active rows when the caller knows them.  Returns the rows the
    graph was built from."""
    traversal_id = stack['current_traversal']
    definition = rt.definitions.get(stack['raw_template_id'], stack)
    names = definition.resource_names()
    if rows is None:
        rows = rt.db.resources_of_stack(stack['id'])
    chosen = plan.choose_rows(names, rows, stack['raw_template_id'],
                              current_template_id)
    chosen_ids = {name: row['id'] for name, row in chosen.items()}
    chosen_ids.update(_create_rows(rt, stack, definition,
                                   [n for n in names if n not in chosen]))
    graph = plan.build_graph(definition.dependencies(), chosen_ids, rows)
    deps = dict(plan.graph_to_json(graph), traversal=traversal_id)
    points = [(str(n.rsrc_id), n.is_update, degree)
              for n, degree in plan.joins(graph)]
    if len(graph):
        points.append((stack['id'], True, len(graph.roots())))
    if not rt.db.traversal_store(stack['id'], traversal_id, deps, points,
                                 superseded):
        LOG.info('stack %s: traversal %s superseded while starting',
                 stack['id'], traversal_id)
        return rows
    # This engine's nodes need not read back the graph it has just stored.
    graph_cache.remember(stack['id'], traversal_id,
                         plan.graph_from_json(deps))
    if not len(graph):
        complete(rt, stack['id'], traversal_id)
        return rows
    for leaf in plan.cleanup_first(graph.leaves()):
        rt.messenger.cast_check_resource(leaf.rsrc_id, traversal_id, {},
                                         leaf.is_update)
    return rows


def _create_rows(rt, stack, definition, names) -> dict[str, int]:
    """New INIT rows for template resources that have no row yet."""
    rows = [{'name': name, 'stack_id': stack['id'],
             'type': definition.resource_definition(name).type,
             'declared_type': definition.resource_definition(name).declared_type,
             'current_template_id': stack['raw_template_id'], 'requires': [],
             **states.fresh()}
            for name in names]
    return dict(zip(names, rt.db.resources_create(rows)))


def complete(rt, stack_id: str, traversal_id: str,
             stack: dict | None = None) -> None:
    """The traversal reached every root: the operation succeeded.

    Waits first for any row still locked (by an older traversal's worker),
    so the stack is never COMPLETE while one of its resources is in progress.
    ``stack``: the stack's row as read during this traversal, if the caller
    has it (a stack's action, identity and times do not change within a
    traversal; the verdict's swap checks that the traversal still runs and
    is not failing).
    """
    _when_quiet(rt, stack_id, functools.partial(_finish_complete, known=stack),
                traversal_id)


def _finish_complete(rt, stack_id: str, traversal_id: str,
                     quiet: bool = False, known: dict | None = None) -> None:
    if not quiet and not _wait_until_quiet(rt, stack_id, traversal_id):
        return
    # Rows were waited for: the stack is read again.
    stack = (dict(known) if quiet and known is not None
             else rt.db.stack_get(stack_id))
    if stack['current_traversal'] != traversal_id:
        return
    action = stack['action']
    status, reason = (check_verdict.verdict(rt, stack)
                      if action == Action.CHECK else
                      (Status.COMPLETE,
                       'Stack %s completed successfully' % action))
    values = {'status': status, 'status_reason': reason}
    if action not in states.IN_PLACE_ACTIONS + states.READ_ONLY_ACTIONS:
        # The goal template worked: there is nothing to roll back to.
        # (An in-place operation or a snapshot did not change the template.)
        values['prev_raw_template_id'] = None
    if action == Action.DELETE:
        values['deleted_at'] = utcnow()
        # Before the verdict, as Heat: a client that saw DELETE_COMPLETE
        # finds the trust gone.  Every resource is deleted by now, so a
        # delete started meanwhile needs no trust either.  The stack's
        # snapshots go first: deleting a server's image needs the trust.
        _snapshots().delete_all(rt, stack)
        delete_creds(rt, stack)
    # The verdict and the purge of what the traversal leaves behind: one
    # transaction, so a COMPLETE stack has no joins left (start relies on
    # it).
    purged = rt.db.traversal_finish(stack_id, traversal_id, values)
    if purged is None:
        return
    rt.definitions.forget(purged)
    stack.update(values)
    if action == Action.SNAPSHOT:
        _snapshots().finish(rt, stack, traversal_id, status, reason)
    rt.events.stack_event(stack, action, status, reason)
    _log_verdict(stack, action, traversal_id, status)
    _wake_owner(rt, stack)


def delete_creds(rt, stack: dict) -> None:
    """A deleted root stack's trust goes with it (clients/clouds.py); a
    failure to delete it is logged, never a stack left undeleted."""
    if rt.clouds is None or not stack.get('user_creds_id'):
        return
    try:
        rt.clouds.stack_creds_delete(stack)
    except Exception:
        LOG.exception('credentials of stack %s not deleted', stack['id'])


def _log_verdict(stack: dict, action: str, traversal_id: str,
                 status: str) -> None:
    """The operation's one INFO line: who, what, which stack and traversal,
    the outcome and how long since the operation started; and its count."""
    metrics.stack_operation_finished(action, status)
    started = stack['updated_at'] or stack['created_at']
    seconds = (utcnow() - started).total_seconds() if started else -1.0
    LOG.info('stack %s/%s (tenant %s, by %s): %s traversal %s %s in %.1f s%s',
             stack['name'], stack['id'], stack['tenant'], stack['username'],
             action, traversal_id, status, seconds,
             '' if status == Status.COMPLETE else
             ': %s' % stack['status_reason'])


def fail(rt, stack_id: str, traversal_id: str, reason: str,
         rollback: bool = True) -> bool:
    """Fail the traversal once its in-flight work has finished.

    Nothing new starts from the moment this returns True; the stack turns
    FAILED (and rolls back, when enabled and ``rollback``) only when no
    resource of it is locked any more.  False means the traversal no longer
    runs or is already failing.
    """
    stack = rt.db.stack_get(stack_id)
    wants_rollback = rollback and not stack['disable_rollback'] and (
        stack['action'] in states.ROLLBACK_ACTIONS)
    if not rt.db.stack_cas(stack_id, traversal_id,
                           {'failure_reason': reason,
                            'rollback_on_failure': wants_rollback},
                           not_failing=True):
        return False
    _end_breakpoints(rt, stack_id)
    _end_signal_waits(rt, stack_id)
    _when_quiet(rt, stack_id, finish_failure, traversal_id)
    _end_pauses(rt, stack_id)
    return True


def cancel_tree(rt, stack: dict, reason: str) -> None:
    """Fail ``stack``'s traversal, without rollback, and those of its
    nested stacks still running, at every depth.

    The parent first: when a child's failure wakes its row, the parent is
    already failing and only takes the row's result.
    """
    fail(rt, stack['id'], stack['current_traversal'], reason, rollback=False)
    for child in rt.db.stack_list(None, filters={'owner_id': stack['id']}):
        if child['status'] == Status.IN_PROGRESS:
            cancel_tree(rt, child, reason)


def finish_failure(rt, stack_id: str, traversal_id: str,
                   quiet: bool = False) -> None:
    """Turn a failing traversal FAILED once quiet (``quiet``: the caller
    has just found no row locked); start the rollback."""
    if not quiet and not _wait_until_quiet(rt, stack_id, traversal_id):
        return
    stack = rt.db.stack_get(stack_id)
    values = {'status': Status.FAILED, 'status_reason': stack['failure_reason'],
              'failure_reason': None, 'current_traversal': ''}
    if not rt.db.stack_cas(stack_id, traversal_id, values):
        return
    stack.update(values)
    if stack['action'] == Action.SNAPSHOT:
        _snapshots().finish(rt, stack, traversal_id, Status.FAILED,
                            values['status_reason'])
    rt.events.stack_event(stack, stack['action'], Status.FAILED,
                          values['status_reason'])
    _log_verdict(stack, stack['action'], traversal_id, Status.FAILED)
    rt.db.sync_points_delete(stack_id, traversal_id)
    if stack['rollback_on_failure']:
        rollback(rt, stack)
    else:
        rt.db.resources_purge_deleted(stack_id)
        _wake_owner(rt, stack)


def _wake_owner(rt, stack: dict) -> None:
    """A nested stack's operation ended: its parent's node goes on."""
    if stack.get('owner_resource_id') is None:
        return
    # Imported here: the nested package finishes the parent's node, which
    # is worker code built on this module.
    from convergence.nested import resume
    resume.wake_owner(rt, stack)


def _snapshots():
    """The snapshots module, which starts its traversals here."""
    from convergence import snapshots  # see _wake_owner
    return snapshots


def _end_pauses(rt, stack_id: str) -> None:
    """A failing traversal does not wait for the pauses between a group's
    batches: those rows are finished now."""
    from convergence.nested import resume  # see _wake_owner
    resume.end_pauses(rt, stack_id)


def _end_breakpoints(rt, stack_id: str) -> None:
    """A failing traversal does not wait for breakpoints to be cleared:
    its paused rows are unlocked, as they were."""
    from convergence.worker import breakpoints  # see _wake_owner
    breakpoints.end_pauses(rt, stack_id)


def _end_signal_waits(rt, stack_id: str) -> None:
    """A failing traversal does not wait for signals: the rows awaiting
    one fail as aborted (worker/signal_wait.py)."""
    from convergence.worker import signal_wait  # see _wake_owner
    signal_wait.end_waits(rt, stack_id)


def stop_in_flight(rt, stack_id: str, spare_traversal: str,
                   rows: list[dict] | None = None) -> None:
    """Cancel this stack's resource actions here and on other engines,
    except those of ``spare_traversal``; ``rows``: the stack's active rows
    as read once that traversal was in, when the caller has them."""
    rt.cancels.cancel(stack_id, spare_traversal)
    if rows is None:
        rows = rt.db.resources_of_stack(stack_id)
    holders = {r['engine_id'] for r in rows
               if r['engine_id'] and r['engine_id'] != rt.engine_id
               and not r['awaiting']}
    if holders:
        rt.messenger.cancel_remote(stack_id, holders)


def rollback(rt, stack: dict) -> str:
    """Converge back to the last template that completed successfully."""
    target = stack['prev_raw_template_id']
    if target is None:
        target = store_empty_template(rt, stack)
    return start(rt, stack, Action.ROLLBACK, target)


def store_empty_template(rt, stack: dict) -> int:
    """A template of the stack's version with no resources: delete's goal."""
    current = rt.db.raw_template_get(stack['raw_template_id'])
    empty = tmpl.Template.empty_like(tmpl.Template(current['template']))
    stored = {'template': empty.to_dict(),
              'environment': current['environment'], 'files': {}}
    template_id = rt.db.raw_template_create(
        stack['id'], stored['template'], stored['environment'], {})
    # Built as a read of the row would build it: the traversal need not
    # read it back.
    rt.definitions.remember(template_id,
                            definitions.build_definition(stored, stack), stored)
    return template_id


def deadline(rt, stack: dict) -> float:
    """When the stack's current operation times out (epoch seconds)."""
    started = stack['updated_at'] or stack['created_at']
    seconds = (stack['timeout'] * 60 if stack['timeout']
               else rt.settings.stack_action_timeout)
    return started.replace(tzinfo=datetime.timezone.utc).timestamp() + seconds


def _when_quiet(rt, stack_id: str, then, traversal_id: str) -> None:
    """Run ``then`` now if no row is locked, else once none is.

    Rows held by workers are waited for in the background; a row awaiting
    a child stack is not: the child's verdict finishes that row and calls
    ``settle_failure``, which comes back here.
    """
    if not rt.db.resources_locked_count(stack_id):
        # Nothing runs between the count and ``then``: it need not count
        # again.
        then(rt, stack_id, traversal_id, quiet=True)
    elif rt.db.resources_locked_count(stack_id, by_workers=True):
        rt.spawn(then, rt, stack_id, traversal_id)


def settle_failure(rt, stack_id: str, traversal_id: str) -> None:
    """A row of a failing traversal was released after awaiting its
    child: turn the traversal FAILED if that was the last one in flight."""
    _when_quiet(rt, stack_id, finish_failure, traversal_id)


def _wait_until_quiet(rt, stack_id: str, traversal_id: str) -> bool:
    """Wait until no row of the stack is locked; False if superseded, or
    if what is left only awaits child stacks (whose verdicts come back
    through ``settle_failure``)."""
    while rt.db.resources_locked_count(stack_id):
        stack = rt.db.stack_get(stack_id)
        if stack is None or stack['current_traversal'] != traversal_id:
            return False
        if not rt.db.resources_locked_count(stack_id, by_workers=True):
            return False
        rt.sleep(rt.settings.failure_poll_interval)
    return True
