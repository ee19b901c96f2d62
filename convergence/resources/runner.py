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
from convergence.resources.base import ACTIONS, UPDATE, Resource, \
    diff_properties
from convergence.resources.clock import Clock
from convergence.resources.failures import failure_from_exception

LOG = logging.getLogger(__name__)

# Exceptions that leave a plugin untouched: they are the engine's business.
_PASS_THROUGH = (UpdateReplace, ResourceFailure)


def run_action(resource: Resource, action: str, clock: Clock, *,
               new_properties: dict | None = None,
               prop_diff: dict | None = None) -> None:
    """Run ``action`` (CREATE, UPDATE, DELETE, SUSPEND, RESUME or CHECK)
    on ``resource``.

    For UPDATE, ``new_properties`` are the validated new properties and
    ``prop_diff`` the changed ones (computed when omitted); on success the
    resource's ``properties`` become the new ones.

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
    _run(resource, action.lower(), clock, args)
    if action == UPDATE:
        resource.properties = new_properties


def _run(resource: Resource, verb: str, clock: Clock, args: tuple) -> None:
    handle = getattr(resource, 'handle_%s' % verb, None)
    check = getattr(resource, 'check_%s_complete' % verb, None)
    started, token = False, None
    try:
        token = handle(*args) if handle is not None else None
        started = True
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
