"""A user's word on a resource's health: ``resource_mark_unhealthy``.

Heat's rules: marked unhealthy, any resource but a deleted one turns
CHECK_FAILED with the given reason (or "state changed by
resource_mark_unhealthy api"); marked healthy again, a CHECK_FAILED one
turns CHECK_COMPLETE and any other is left alone.  An event records a
change of state.  A resource some operation is acting on is refused (409,
as Heat's resource lock).  The next update replaces a CHECK_FAILED
resource, as any failed one (``Resource.plan_update``).
"""

from convergence import exceptions
from convergence import states
from convergence.engine import views
from convergence.resources import live_state

Action, Status = states.Action, states.Status

DEFAULT_REASON = 'state changed by resource_mark_unhealthy api'
# Compare-and-swap attempts before a row that keeps changing counts as busy.
_ATTEMPTS = 5


def mark(rt, stack: dict, resource_name: str, unhealthy: bool,
         reason: str | None) -> None:
    """Mark the stack's resource (by name or physical id) as the user says.

    Raises:
        ResourceNotFound: no such resource in the stack.
        ActionInProgress: an operation holds the resource.
    """
    reason = reason or DEFAULT_REASON
    for _ in range(_ATTEMPTS):
        row = find(rt, stack, resource_name)
        if row['engine_id'] is not None:
            break
        values = _new_state(row, unhealthy)
        if values is None:
            return
        values['status_reason'] = reason
        if unhealthy and live_state.DRIFTED in (row.get('rsrc_data') or {}):
            # The user's word, not a check's finding: the next update
            # replaces the resource, as Heat's.
            values['rsrc_data'] = {k: v for k, v in row['rsrc_data'].items()
                                   if k != live_state.DRIFTED}
        values['atomic_key'] = row['atomic_key'] + 1
        if rt.db.resource_cas(row['id'], {'engine_id': None,
                                          'atomic_key': row['atomic_key']},
                              values):
            if (row['action'], row['status']) != (values['action'],
                                                  values['status']):
                rt.events.resource_event(stack['id'], row, values['action'],
                                         values['status'], reason)
                rt.events.flush()
            return
    raise exceptions.ActionInProgress(stack_name=stack['name'],
                                      action=stack['action'])


def _new_state(row: dict, unhealthy: bool) -> dict | None:
    if unhealthy:
        if row['action'] == Action.DELETE:
            return None
        return {'action': Action.CHECK, 'status': Status.FAILED}
    if (row['action'], row['status']) == (Action.CHECK, Status.FAILED):
        return {'action': Action.CHECK, 'status': Status.COMPLETE}
    return None


def find(rt, stack: dict, resource_name: str) -> dict:
    """The row a user means by a name, or failing that a physical id."""
    rows = views.displayed_rows(rt.db.resources_of_stack(stack['id']), stack)
    row = rows.get(resource_name)
    if row is None:
        row = next((r for r in rows.values()
                    if r['physical_resource_id'] == resource_name), None)
    if row is None:
        raise exceptions.ResourceNotFound(resource_name=resource_name,
                                          stack_name=stack['name'])
    return row
