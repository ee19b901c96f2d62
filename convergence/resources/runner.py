"""Driving one resource action to completion: handle, then poll until done.

``run_action`` is the only place that calls a plugin's ``handle_<action>`` and
``check_<action>_complete``.  Between checks it waits on the clock, which is
where cancellation and the stack timeout reach the action; the plugin's cancel
hook then gets a chance to clean up.  Anything a plugin raises becomes a
ResourceFailure worded as Heat words it.  The runner itself never blocks
except inside ``clock.wait``, so it is safe on green threads.
"""

import logging

from convergence.exceptions import (ActionCancelled, ResourceFailure,
                                    Timeout, UpdateReplace)
from convergence.resources.base import ACTIONS, ADOPT, CREATE, UPDATE, \
    Resource, diff_properties
from convergence.resources.clock import Clock
from convergence.resources.failures import failure_from_exception
from convergence.resources.await_signal import Await

LOG = logging.getLogger(__name__)

# Exceptions that leave a plugin untouched: they are the engine's business.
_PASS_THROUGH = (UpdateReplace, ResourceFailure)


def run_action(resource: Resource, action: str, clock: Clock, *,
               new_properties: dict | None = None,
               prop_diff: dict | None = None,
               resource_data: dict | None = None,
               resuming: bool = False):
    """Run ``action`` (one of base.ACTIONS) on ``resource``.

    For UPDATE, ``new_properties`` are the validated new properties and
    ``prop_diff`` the changed ones (computed when omitted); on success the
    resource's ``properties`` become the new ones.  For ADOPT,
    ``resource_data`` is the resource's entry in the adopt data.  For
    CREATE, ``resuming`` says the create was interrupted (its engine died):
    what it made may exist with no id recorded.

    Returns None, or the ``Await`` a handler returned instead of a token
    (the action waits for a signal: ``worker/signal_wait``); an update's
    new properties are then the resource's only once the wait ends well.

    Raises:
        ActionCancelled, Timeout: from the clock, after the cancel hook ran.
        UpdateReplace: the plugin found it cannot update in place.
        ResourceFailure: the plugin failed (``<Type>: resources.<name>: ...``).
    """
    if action not in ACTIONS:
        raise ValueError('Unknown resource action %r' % action)
    args = ()
    if action == UPDATE:
        new_properties = dict(new_properties or {})
        if prop_diff is None:
            prop_diff = diff_properties(resource.properties, new_properties)
        args = (new_properties, prop_diff)
    elif action == ADOPT:
        args = (resource_data,)
    if resuming and action == CREATE:
        _find_unrecorded(resource)
    awaited = _run(resource, action.lower(), clock, args)
    if action == UPDATE:
        resource.properties = new_properties
    return awaited


def run_restore(resource: Resource, clock: Clock, entry: dict) -> None:
    """Bring ``resource`` back from its snapshot ``entry`` with the type's
    ``handle_restore`` (and ``check_restore_complete``); raises as
    ``run_action`` does."""
    _run(resource, 'restore', clock, (entry,))


def run_snapshot_delete(resource: Resource, clock: Clock, state: tuple) -> None:
    """The delete of a resource whose deletion policy is "Snapshot":
    ``handle_snapshot_delete(state)`` then ``check_snapshot_delete_complete``;
    raises as ``run_action`` does."""
    _run(resource, 'snapshot_delete', clock, (state,))


def _find_unrecorded(resource: Resource) -> None:
    """An interrupted create takes over what it made without hearing its
    id, when the type can find it; it is then resumed, not made again."""
    if (resource.resource_id is not None or not resource.resumes_create()
            or not resource.finds_unrecorded_creates()):
        return
    try:
        found = resource.find_unrecorded_create()
    except Exception as exc:
        raise failure_from_exception(resource.name, exc) from exc
    if found is not None:
        LOG.info('%s takes over %s, made by the create its engine did not '
                 'live to hear of', resource.name, found)
        resource.resource_id_set(found)


def _run(resource: Resource, verb: str, clock: Clock, args: tuple):
    handle = getattr(resource, 'handle_%s' % verb, None)
    check = getattr(resource, 'check_%s_complete' % verb, None)
    started, token = False, None
    try:
        if (verb == 'create' and resource.resource_id is not None
                and resource.resumes_create()):
            # made already by an engine that died waiting for it
            token = resource.resume_create()
        else:
            token = handle(*args) if handle is not None else None
        started = True
        if isinstance(token, Await):
            return token
        while check is not None and not check(token):
            clock.wait(resource.poll_delay(token))
    except (ActionCancelled, Timeout):
        if started:
            _cancel(resource, verb, token)
        raise
    except _PASS_THROUGH:
        raise
    except Exception as exc:
        raise failure_from_exception(resource.name, exc) from exc


def _cancel(resource: Resource, verb: str, token) -> None:
    """Give the plugin its chance to stop work; its errors are only logged."""
    hook = getattr(resource, 'handle_%s_cancel' % verb, None)
    if hook is None:
        return
    try:
        hook(token)
    except Exception:
        LOG.exception('Cancel hook of %s failed', resource.name)
