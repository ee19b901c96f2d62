"""``resource_signal``: clear a breakpoint, or pass a signal to the plugin.

As heat-engine: a resource being deleted or suspended takes no signal
("Signal resource during DELETE is not supported.", with an event); a
signal ``{'unset_hook': <hook>}`` clears that breakpoint where the resource
is paused (``worker/breakpoints``) and reaches no plugin; a signal to a row
whose action waits for one (``worker/signal_wait``) is stored on it and
wakes it (a type's ``no_signal_actions`` replaces Heat's default list, as
a deployment's empty one does); any other signal
goes to the plugin's ``handle_signal(details)``, which a type without one
refuses (ResourceActionNotSupported, "signal is not supported for
resource.").  A plugin's signal runs at once with ``sync_call``, else in the
background after the call returned; either way it ends with a SIGNAL event
whose reason is what ``handle_signal`` returned ("Signal: <result>") or
Heat's account of the details.  It changes nothing but the plugin's own
data (``rsrc_data``), written by compare-and-swap while no node holds the
row: a signal never takes part in a traversal.  A type that ``feeds_waits``
(a wait condition handle) then hands what it stored to the rows awaiting
its signals (``worker/signal_wait.feed``).
"""

import logging
import threading

from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import runtime
from convergence import states
from convergence.nested import adjust
from convergence.template import environment as env_rules
from convergence.worker import breakpoints
from convergence.worker import signal_wait

LOG = logging.getLogger(__name__)

Action = states.Action

# Heat's Resource.no_signal_actions.
NO_SIGNAL_ACTIONS = (Action.DELETE, 'SUSPEND')
UNSET_HOOK = 'unset_hook'
SIGNAL = 'SIGNAL'
# Attempts at storing a plugin's signal while the row keeps changing.
STORE_ATTEMPTS = 3


def signal(rt, stack: dict, row: dict, definition, details,
           sync_call: bool):
    """Deliver ``details`` to ``row`` of ``stack``; Heat's result.

    Raises:
        NotSupported: the resource is being deleted or is suspended.
        InvalidBreakPointHook: ``unset_hook`` names no hook, or one the
            resource is not paused at.
        ResourceActionNotSupported: the type takes no signals.
        ResourceFailure: the plugin's ``handle_signal`` failed (with
            ``sync_call``).
    """
    cls = rsrc_ops.plugin_class(row['type'], definition)
    _check_action(rt, row, getattr(cls, 'no_signal_actions',
                                   NO_SIGNAL_ACTIONS))
    hook = _hook_to_unset(stack, row, details)
    if hook is None and not callable(getattr(cls, 'handle_signal', None)):
        raise exceptions.ResourceActionNotSupported(action='signal')
    if hook is None and _awaited(rt, stack, row, cls, details):
        return {} if sync_call else None
    if hook is not None:
        if not breakpoints.clear(rt, row, hook):
            raise exceptions.InvalidBreakPointHook(
                message=_not_paused(stack, row, hook))
    elif sync_call:
        _deliver(rt, stack, row['id'], definition, details)
    else:
        rt.spawn(_deliver_logged, rt, stack, row['id'], definition, details)
    # Heat answers a synchronous call with the resource's metadata; no
    # type here keeps any (describe_stack_resource shows it empty too).
    return {} if sync_call else None


def _awaited(rt, stack: dict, row: dict, cls, details) -> bool:
    """The row's action waits for a signal (worker/signal_wait.py): this
    one is stored on it and wakes it, with a SIGNAL event."""
    if (signal_wait.waiting(row) is None
            or not callable(getattr(cls, 'handle_awaited_signal', None))
            or not signal_wait.deliver(rt, row['id'], details,
                                       only_first=True)):
        return False
    rt.events.resource_event(stack['id'], row, SIGNAL, row['status'],
                             _described(details))
    rt.events.flush()
    return True


def _check_action(rt, row: dict, no_signal_actions: tuple) -> None:
    if row['action'] in no_signal_actions:
        rt.events.resource_event(row['stack_id'], row, row['action'],
                                 row['status'],
                                 'Cannot signal resource during %s'
                                 % row['action'])
        rt.events.flush()
        raise exceptions.NotSupported(
            feature='Signal resource during %s' % row['action'])


def _hook_to_unset(stack: dict, row: dict, details) -> str | None:
    """The hook ``details`` ask to clear, checked as Heat checks it."""
    if not isinstance(details, dict) or UNSET_HOOK not in details:
        return None
    hook = details[UNSET_HOOK]
    if hook not in env_rules.HOOK_TYPES:
        raise exceptions.InvalidBreakPointHook(
            message='Invalid hook type "%s" for %s' % (hook,
                                                       _named(stack, row)))
    pause = breakpoints.pause_of(row)
    if pause is None or pause[breakpoints.HOOK] != hook:
        raise exceptions.InvalidBreakPointHook(
            message=_not_paused(stack, row, hook))
    return hook


def _not_paused(stack: dict, row: dict, hook: str) -> str:
    return 'The "%s" hook is not defined on %s' % (hook, _named(stack, row))


def _named(stack: dict, row: dict) -> str:
    """The resource as Heat's str(resource) names it in messages."""
    try:
        cls_name = rsrc_ops.plugin_class(row['type']).__name__
    except exceptions.ConvergenceError:
        cls_name = 'Resource'
    physical = row['physical_resource_id']
    where = 'Stack "%s" [%s]' % (stack['name'], stack['id'])
    if physical:
        return '%s "%s" [%s] %s' % (cls_name, row['name'], physical, where)
    return '%s "%s" %s' % (cls_name, row['name'], where)


def _deliver_logged(rt, stack, row_id, definition, details) -> None:
    try:
        _deliver(rt, stack, row_id, definition, details)
    except exceptions.ResourceFailure as exc:
        LOG.info('signal to resource %s failed: %s', row_id, exc.message)


def _deliver(rt, stack: dict, row_id: int, definition, details) -> None:
    """Run the plugin's ``handle_signal`` and store what it changed.

    A signal that asks for nothing now (NoActionRequired) leaves no trace,
    as in Heat.  A scaling policy resizes its group through the
    ``group_scaler`` once, however often the handler runs.
    """
    scaler = adjust.GroupScaler(rt, stack)
    for _ in range(STORE_ATTEMPTS):
        row = rt.db.resource_get(row_id)
        if row is None:
            return
        plugin = rsrc_ops.make_plugin(
            row, stack, row['type'], row['properties_data'] or {},
            runtime.ActionClock(None, threading.Event()), definition,
            clouds=rt.clouds)
        plugin.context.group_scaler = scaler
        try:
            result = plugin.handle_signal(details)
        except exceptions.NoActionRequired as exc:
            LOG.info('signal to %s: %s', row['name'], exc.message)
            return
        except Exception as exc:
            # Heat's ResourceFailure text: the error's class, the resource.
            raise exceptions.ResourceFailure(
                '%s: resources.%s: %s' % (type(exc).__name__, row['name'],
                                          getattr(exc, 'message', exc)))
        if plugin.context.data == (row['rsrc_data'] or {}) or (
                rt.db.resource_cas(row_id, {'engine_id': None,
                                            'atomic_key': row['atomic_key']},
                                   {'rsrc_data': plugin.context.data,
                                    'atomic_key': row['atomic_key'] + 1})):
            if getattr(plugin, 'feeds_waits', False):
                _feed(rt, dict(row, rsrc_data=plugin.context.data))
            reason = 'Signal: %s' % result if result else _described(details)
            rt.events.resource_event(stack['id'], row, SIGNAL, row['status'],
                                     reason)
            rt.events.flush()
            return
    raise exceptions.ResourceFailure(
        'resources.%s: the signal could not be stored: the resource kept '
        'changing' % row['name'])


def _feed(rt, row: dict) -> None:
    """A wait condition's handle stored a signal: the rows waiting on it
    get it (worker/signal_wait.feed)."""
    from convergence.worker import signal_wait  # the engine's worker side
    signal_wait.feed(rt, row)


def _described(details) -> str:
    """Heat's event reason for a signal whose handler returned nothing."""
    if details is None:
        return 'No signal details provided'
    if isinstance(details, str):
        return details
    if isinstance(details, dict) and all(
            k in details for k in ('previous', 'current', 'reason')):
        # An alarm's notification (Aodh).
        return ('alarm state changed from %(previous)s to %(current)s '
                '(%(reason)s)' % details)
    return 'Unknown'
