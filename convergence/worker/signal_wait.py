"""A row awaiting an external signal: no thread waits for it.

A plugin action that must hear from outside before it ends (a software
deployment's agent, a wait condition's handle) returns ``Await(token)``
from its ``handle_<action>`` instead of a token for
``check_<action>_complete``.  The node then records the wait on the row,
which it keeps locked (``awaiting``: the token, the traversal, the action,
the columns the row gets at the end) and ends: no green thread, no slot.

The interface, for plugins:

* ``handle_<action>()`` returns ``Await(token)`` (``token``: JSON data the
  plugin wants back) to wait; any other value runs as usual.
* ``handle_awaited_signal(token, details)`` runs when a signal came (on
  the engine that woke the row, with the row locked to it): return None
  when the action is done, ``Await(token)`` to wait for another signal,
  or raise (ResourceFailure, or any error: the row FAILS with it).
* ``handle_<action>_cancel(token)``, if the type has it, runs when the wait
  ends without a signal (a failing traversal: cancel, stack timeout,
  another resource failing).

And for whoever takes signals (RPC, REST, engine-served URLs):

* ``deliver(rt, row_id, details, wait_id=None, only_first=False)`` stores
  the signal on the row by compare-and-swap and wakes it; False when the
  row awaits no signal (of that wait, when ``wait_id`` is given; or, with
  ``only_first``, already holds a signal not yet consumed): then nothing
  changed.
  Two signals, or a signal racing a newer traversal, have one winner.
* ``waiting(row)`` is the row's wait record (None if it awaits no
  signal); ``record[WAIT_ID]`` names one wait, ``record[TOKEN]`` the
  plugin's token.

What happens around a wait:

* A newer traversal's trigger (update, rollback, delete) takes the row
  over (``RowLock.acquire``) and runs its own node; the older wait is over
  and a signal for it finds nothing (``deliver`` is False).
* A failing traversal ends every wait of its stack (``end_waits``): the
  row FAILS with Heat's wording ("CREATE aborted", "... Timed out").  A
  timer set at the stack's deadline fails the traversal with 'Timed out'
  even if no message ever comes; the sweeper does it when that timer's
  engine died.
* The sweeper neither unlocks nor re-sends a waiting row (no worker holds
  it); it wakes a row whose signal was stored but not consumed for a down
  time (the engine died between storing and waking): ``lost_wakes``.
* ``Await(after=...)`` (a Delay, a wait condition's timeout) sets a timer
  that delivers ``after_details``; the sweeper delivers it once it is a
  down time overdue (``lost_timers``: the timer's engine died).
* ``Await(fed_by=...)`` (a wait condition on its handle) gets the feeding
  resource's data when the wait starts, whenever that resource stores a
  signal (``feed``, from engine/signals.py) and when it waits again after
  a wake (a feed during the wake found no wait): no stored signal is
  missed, and a repeated feed is harmless.
"""

import logging
import time
import uuid

from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import stack as stack_ops
from convergence import states
from convergence.resources import failures
from convergence.resources.await_signal import Await, FEED
from convergence.worker import locked_run
from convergence.worker.node import Node

LOG = logging.getLogger(__name__)

Action = states.Action
__all__ = ['Await', 'deliver', 'end_waits', 'feed', 'lost_timers',
           'lost_wakes', 'record', 'wake', 'waiting']

# The keys of the record ``awaiting`` holds for a signal wait.
WAIT_ID, TOKEN, RECEIVED = 'signal_wait', 'token', 'received'
# An ``Await(after=...)``: when its timer is due (epoch seconds) and the
# signal it delivers; an ``Await(fed_by=...)``: the feeding resource.
WAKE_AT, AFTER_DETAILS, FED_BY = 'wake_at', 'after_details', 'fed_by'
# Attempts at storing a signal while the row keeps changing.
STORE_ATTEMPTS = 5


# --- the records (pure) --------------------------------------------------------

def waiting(row: dict) -> dict | None:
    """The signal wait ``row`` holds; None when it awaits no signal."""
    awaiting = row.get('awaiting')
    if row.get('engine_id') and awaiting and WAIT_ID in awaiting:
        return awaiting
    return None


def stored_signals(row: dict) -> list:
    """The signals stored on a waiting row and not yet consumed."""
    record = waiting(row)
    return list(record.get(RECEIVED) or ()) if record else []


def timed_out_reason(action: str, row: dict, stack: dict, type_name: str
                     ) -> str:
    """Heat's reason for a resource whose action the stack's timeout
    stopped (its TaskRunner's Timeout, caught as an abort)."""
    return ('%s aborted (Task %s from %s "%s" [%s] Stack "%s" [%s] Timed '
            'out)' % (action, action.lower(), type_name, row['name'],
                      row['physical_resource_id'] or '', stack['name'],
                      stack['id']))


def aborted_reason(action: str) -> str:
    """Heat's reason for an action a cancel stopped."""
    return '%s aborted' % action


# --- starting a wait ---------------------------------------------------------------

def record(node: Node, plugin, action: Action, wait: Await,
           final: dict | None) -> bool:
    """Record on the row (locked by this node) that it awaits a signal;
    False if the lock was taken from this engine.  Sets the deadline
    timer."""
    rt, row = node.rt, node.row
    wait_record = {WAIT_ID: str(uuid.uuid4()), TOKEN: wait.token,
                   RECEIVED: [], 'traversal_id': node.traversal_id,
                   'is_update': node.is_update, 'action': action,
                   'final': final or {}}
    if wait.after is not None:
        wait_record.update({WAKE_AT: time.time() + wait.after,
                            AFTER_DETAILS: wait.after_details})
    if wait.fed_by is not None:
        wait_record[FED_BY] = wait.fed_by
    values = {'physical_resource_id': plugin.context.resource_id or '',
              'rsrc_data': dict(plugin.context.data),
              'awaiting': wait_record}
    expected = {'engine_id': rt.engine_id, 'atomic_key': row['atomic_key']}
    if not rt.db.resource_cas(row['id'], expected, values):
        return False
    row.update(values)
    left = stack_ops.deadline(rt, node.stack) - time.time()
    rt.call_later(max(left, 0), at_deadline, rt, row['id'],
                  wait_record[WAIT_ID])
    if wait.after is not None:
        rt.call_later(max(wait.after, 0), deliver, rt, row['id'],
                      wait.after_details, wait_record[WAIT_ID])
    if wait.fed_by is not None:
        # What the feeding resource stored before the wait began: a signal
        # stored after this read finds the wait recorded (``feed``).
        deliver(rt, row['id'], _fed(rt, row['stack_id'], wait.fed_by),
                wait_record[WAIT_ID])
    return True


def at_deadline(rt, row_id: int, wait_id: str) -> bool:
    """The stack's deadline came: if the row still awaits that signal, its
    traversal fails 'Timed out' (which ends the wait)."""
    loaded = rt.db.resource_and_stack(row_id)
    if loaded is None:
        return False
    row, stack = loaded
    record_ = waiting(row)
    if record_ is None or record_[WAIT_ID] != wait_id:
        return False
    if stack['current_traversal'] != record_['traversal_id']:
        return False
    return stack_ops.fail(rt, stack['id'], record_['traversal_id'],
                          'Timed out')


# --- a signal ----------------------------------------------------------------------

def deliver(rt, row_id: int, details, wait_id: str | None = None,
            only_first: bool = False) -> bool:
    """Store ``details`` on the waiting row and wake it.

    False (nothing stored) when the row awaits no signal, or not the wait
    ``wait_id``.  The signal is stored before the wake: if this engine dies
    in between, the sweeper wakes the row (``lost_wakes``).
    """
    for _ in range(STORE_ATTEMPTS):
        row = rt.db.resource_get(row_id)
        record_ = waiting(row) if row is not None else None
        if record_ is None or (wait_id is not None
                               and record_[WAIT_ID] != wait_id):
            return False
        if only_first and record_.get(RECEIVED):
            return False
        stored = dict(record_, **{RECEIVED: list(record_.get(RECEIVED)
                                                 or ()) + [details]})
        if rt.db.resource_cas(row_id, {'engine_id': row['engine_id'],
                                       'atomic_key': row['atomic_key'],
                                       'awaiting': record_},
                              {'awaiting': stored,
                               'atomic_key': row['atomic_key'] + 1}):
            wake(rt, row_id)
            return True
    return False


def wake(rt, row_id: int) -> bool:
    """Consume the signals stored on the row: take its lock over and let
    the plugin finish the action (or wait again).  False if the row holds
    no stored signal or another waker won."""
    loaded = rt.db.resource_and_stack(row_id)
    if loaded is None:
        return False
    row, stack = loaded
    record_ = waiting(row)
    if record_ is None or not record_.get(RECEIVED):
        return False
    if not rsrc_ops.RowLock(rt).take_over(row, {}):
        return False
    node, plugin = _resumed(rt, row, stack, record_)
    outcome = None
    token = record_[TOKEN]
    for details in record_[RECEIVED]:
        outcome = _signalled(plugin, token, details)
        if not isinstance(outcome, Await):
            break
        token = outcome.token
    if isinstance(outcome, Await):
        if _wait_again(node, plugin, record_, outcome):
            _feed_missed(rt, row, record_)
        return True
    _finish(node, plugin, record_, outcome)
    return True


def _signalled(plugin, token, details):
    """The plugin's answer to one signal: None (done), Await, or the
    failure's reason."""
    try:
        return plugin.handle_awaited_signal(token, details)
    except exceptions.ResourceFailure as exc:
        return exc.message
    except Exception as exc:
        return failures.failure_from_exception(plugin.name, exc).message


def _wait_again(node: Node, plugin, record_: dict, wait: Await) -> bool:
    """The plugin wants another signal: the row waits on (same wait)."""
    again = dict(record_, **{TOKEN: wait.token, RECEIVED: []})
    values = {'rsrc_data': dict(plugin.context.data), 'awaiting': again,
              'atomic_key': node.row['atomic_key'] + 1}
    if node.rt.db.resource_cas(
            node.row['id'], {'engine_id': node.rt.engine_id,
                             'atomic_key': node.row['atomic_key']}, values):
        node.row.update(values)
        return True
    return False


def _feed_missed(rt, row: dict, record_: dict) -> None:
    """A fed wait waits again: what its feeder stored while the row was
    being woken (its ``feed`` found no wait then) comes now."""
    if record_.get(FED_BY) is None:
        return
    fresh = _fed(rt, row['stack_id'], record_[FED_BY])
    if fresh not in record_[RECEIVED]:
        deliver(rt, row['id'], fresh, record_[WAIT_ID])


def _resumed(rt, row: dict, stack: dict, record_: dict):
    """The node and plugin of the waiting action, as the row holds them."""
    final = record_.get('final') or {}
    node = Node(rt, row, stack, record_['traversal_id'], {},
                record_['is_update'])
    properties = final.get('properties_data', row['properties_data']) or {}
    return node, node.plugin(row['type'], properties)


def _finish(node: Node, plugin, record_: dict, failure: str | None) -> None:
    """End the awaited action with ``failure`` (None: success)."""
    # Imported here: check_resource runs nodes, which start waits here.
    from convergence.worker import check_resource
    from convergence.worker import cleanup_node
    rt, stack = node.rt, node.stack
    action = Action(record_['action'])
    final = record_.get('final') or {}
    if (stack['current_traversal'] != record_['traversal_id']
            or stack['failure_reason'] is not None
            or stack['deleted_at'] is not None):
        locked_run.finish_superseded(node, plugin, action, failure, final)
        if (stack['failure_reason'] is not None
                and stack['current_traversal'] == record_['traversal_id']):
            stack_ops.settle_failure(rt, stack['id'], record_['traversal_id'])
        return
    ended = locked_run.finish(node, plugin, action, failure, final)
    if action == Action.DELETE and ended.kind == states.NodeOutcome.DONE:
        cleanup_node.hand_over_to_replacement(node)
    check_resource.conclude(node, ended)


# --- waits fed by another resource's signals ---------------------------------------

def _fed(rt, stack_id: str, reference_id: str) -> dict:
    """The signal a wait fed by ``reference_id`` gets: that resource's
    name, type and data, or None when the stack holds no such resource."""
    for row in rt.db.resources_of_stack(stack_id):
        if (row['physical_resource_id'] == reference_id
                and row['action'] != Action.DELETE):
            return {FEED: {'name': row['name'], 'type': row['type'],
                           'data': dict(row['rsrc_data'] or {})}}
    return {FEED: None}


def feed(rt, feeder: dict) -> int:
    """``feeder`` (a row as just stored) stored a signal: every wait of its
    stack fed by it gets its data; how many did."""
    reference_id = feeder['physical_resource_id']
    if not reference_id:
        return 0
    fed = {FEED: {'name': feeder['name'], 'type': feeder['type'],
                  'data': dict(feeder['rsrc_data'] or {})}}
    woken = 0
    for row in rt.db.resources_of_stack(feeder['stack_id']):
        record_ = waiting(row)
        if record_ is not None and record_.get(FED_BY) == reference_id:
            woken += int(deliver(rt, row['id'], fed, record_[WAIT_ID]))
    return woken


# --- waits that end without a signal ---------------------------------------------

def end_waits(rt, stack_id: str) -> int:
    """The stack's traversal fails: every signal wait of the stack ends,
    its row FAILED as Heat words an aborted action; how many ended."""
    ended = 0
    for row in rt.db.resources_of_stack(stack_id):
        if waiting(row) is not None:
            ended += _abort(rt, row['id'])
    return ended


def _abort(rt, row_id: int) -> bool:
    loaded = rt.db.resource_and_stack(row_id)
    if loaded is None:
        return False
    row, stack = loaded
    record_ = waiting(row)
    if record_ is None or not rsrc_ops.RowLock(rt).take_over(row, {}):
        return False
    node, plugin = _resumed(rt, row, stack, record_)
    action = Action(record_['action'])
    cancel = getattr(plugin, 'handle_%s_cancel' % action.lower(), None)
    if cancel is not None:
        try:
            cancel(record_[TOKEN])
        except Exception:
            LOG.exception('cancel hook of %s failed', row['name'])
    if stack['failure_reason'] == exceptions.Timeout.msg_fmt:
        reason = timed_out_reason(action, row, stack, type(plugin).__name__)
    else:
        reason = aborted_reason(action)
    locked_run.finish_superseded(node, plugin, action, reason,
                                 record_.get('final') or {})
    LOG.info('resource %s (%s): its wait for a signal ended: %s',
             row['name'], row_id, reason)
    return True


def lost_timers(rows: list[dict], now: float, down_after: float
                ) -> list[dict]:
    """The waiting rows among ``rows`` whose ``after`` timer is overdue by
    ``down_after`` seconds with no signal stored: its engine died (pure)."""
    lost = []
    for row in rows:
        record_ = waiting(row)
        if (record_ is not None and record_.get(WAKE_AT) is not None
                and not record_.get(RECEIVED)
                and now - record_[WAKE_AT] >= down_after):
            lost.append(row)
    return lost


def deliver_timer(rt, row: dict) -> bool:
    """Deliver the ``after`` signal of ``row``'s wait (its timer's engine
    died)."""
    record_ = waiting(row)
    if record_ is None or WAKE_AT not in record_:
        return False
    return deliver(rt, row['id'], record_.get(AFTER_DETAILS),
                   record_[WAIT_ID])


def lost_wakes(rows: list[dict], now, down_after: float) -> list[dict]:
    """The waiting rows among ``rows`` whose stored signal has not been
    consumed for ``down_after`` seconds (pure)."""
    return [r for r in rows if stored_signals(r) and r['updated_at'] is not None
            and (now - r['updated_at']).total_seconds() >= down_after]
