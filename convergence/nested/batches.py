"""A nested row's child operation in batches: a group's update policy.

When the plugin says its action goes in batches (``batch_policy``: a
group's ``batch_create`` or ``rolling_update``), the row's action is a
sequence of child operations, one per batch, instead of one.  The plan is
recorded in the row's ``awaiting`` so that any engine can carry it on:

``awaiting['batches']``
    ``plan``: [group size, members changed] per batch
    (``group_batches.batches``); ``index``: the batch whose child
    operation runs (or ran); ``pause``: seconds between two batches;
    ``timeout``: the minutes each child operation may take;
    ``not_before``: once a batch is done and a pause is due, when the next
    batch may start (epoch seconds), else None.

The child's verdict on a batch wakes the row as for any child operation
(``resume``); if batches remain, the waker records the pause and sets a
timer (``runtime.call_later``), or starts the next batch at once.  Nothing
waits in between: the row stays awaiting, so a newer traversal takes it
over as usual; if the engine holding the timer dies, the sweeper wakes the
row once ``not_before`` has passed; a failing traversal ends the pause at
once (``end_pauses``).  Each batch's template is built from the child as
it stands then, as Heat builds it.
"""

import dataclasses
import datetime
import time

from convergence import states
from convergence.engine import views
from convergence.resources import failures
from convergence.resources import group_batches
from convergence.resources import properties as props_schema

Status = states.Status
BATCHES = 'batches'


@dataclasses.dataclass(frozen=True)
class Batch:
    """One batch's child operation: its goal and its record."""

    template: dict
    files: dict
    timeout: int            # the child operation's timeout, minutes
    record: dict            # awaiting['batches'] while it runs
    # The child's resource_facade: None to resolve it from the node's
    # trigger data (the first batch); later batches keep the first's.
    facade: dict | None = None


def first(node, plugin, action: str, child: dict | None) -> Batch | None:
    """The first batch of the row's ``action``; None when the action is
    one child operation (no policy asks for batches, or none is needed).

    Raises:
        ResourceFailure: the pauses alone would exceed the stack's timeout
            (Heat's ValueError).
    """
    if not hasattr(plugin, 'batch_policy'):
        return None
    name = node.row['name']
    defn = node.definition.resource_definition(name)
    values = props_schema.update_policy_values(
        type(plugin), 'resources.%s.update_policy' % name, defn.update_policy)
    policy = plugin.batch_policy(action, values,
                                 node.row['properties_data'] or {})
    if policy is None:
        return None
    members = child_members(node.rt, child)
    plan = plugin.batches(policy, members)
    if not plan:
        return None
    try:
        timeout = group_batches.child_timeout(len(plan), policy.pause_time,
                                              _timeout_secs(node))
    except ValueError as exc:
        raise failures.resource_failure(name, 'ValueError', str(exc))
    record = {'plan': [list(b) for b in plan], 'index': 0,
              'pause': policy.pause_time, 'timeout': timeout,
              'not_before': None}
    return _batch(node, plugin, child, record, members, None)


def following(node, plugin, record: dict, child: dict) -> Batch:
    """The batch after the one ``record`` ran (``child`` converged it)."""
    record = dict(record, index=record['index'] + 1, not_before=None)
    facade = node.rt.db.raw_template_get(child['raw_template_id'])['facade']
    return _batch(node, plugin, child, record,
                  child_members(node.rt, child), facade)


def _batch(node, plugin, child, record: dict, members,
           facade: dict | None) -> Batch:
    size, changed = record['plan'][record['index']]
    template = plugin.batch_template(size, changed, members)
    # Members not yet changed may still need the files of their old
    # definition (a provider template that the new definition renames).
    files = dict(_files_of(node.rt, child), **plugin.child_files())
    return Batch(template, files, record['timeout'], record, facade)


def _timeout_secs(node) -> float:
    minutes = node.stack['timeout']
    return minutes * 60 if minutes else node.rt.settings.stack_action_timeout


def _files_of(rt, child: dict | None) -> dict:
    if child is None or child['deleted_at'] is not None:
        return {}
    return rt.db.raw_template_get(child['raw_template_id'])['files'] or {}


def child_members(rt, child: dict | None) -> list[group_batches.Member]:
    """The child's members as they stand: failed ones first, then the
    oldest first, then by name (Heat's GroupInspector order)."""
    if child is None or child['deleted_at'] is not None:
        return []
    template = rt.db.raw_template_get(child['raw_template_id'])['template']
    snippets = template.get('resources') or {}
    rows = views.displayed_rows(rt.db.resources_of_stack(child['id']), child)
    live = [row for name, row in rows.items()
            if name in snippets and not states.is_deleted(row)]
    live.sort(key=lambda r: (r['status'] != Status.FAILED,
                             r['created_at'] or datetime.datetime.min,
                             r['name']))
    return [group_batches.Member(r['name'], snippets[r['name']],
                                 r['status'] == Status.FAILED) for r in live]


# --- the record in ``awaiting`` -------------------------------------------------

def record_of(awaiting: dict | None) -> dict | None:
    """The batches' record of a row's ``awaiting``; None without batches."""
    return (awaiting or {}).get(BATCHES)


def remaining(awaiting: dict | None) -> bool:
    """Batches remain after the one whose child operation ran."""
    record = record_of(awaiting)
    return record is not None and record['index'] < len(record['plan']) - 1


def pausing(awaiting: dict | None) -> bool:
    """The row awaits the end of a pause, not a child operation."""
    record = record_of(awaiting)
    return record is not None and record.get('not_before') is not None


def pause_left(awaiting: dict | None, now: float) -> float:
    """Seconds until the next batch may start (0 when not pausing)."""
    if not pausing(awaiting):
        return 0.0
    return max(record_of(awaiting)['not_before'] - now, 0.0)


def pause_due(awaiting: dict) -> bool:
    """A batch is done and a pause comes before the next one."""
    record = record_of(awaiting)
    return record['pause'] > 0 and record.get('not_before') is None


def interrupted(awaiting: dict) -> str:
    """Why a row whose batches were cut short is not converged."""
    record = record_of(awaiting)
    return ('%s interrupted after batch %d of %d'
            % (awaiting['action'], record['index'] + 1, len(record['plan'])))


def start_pause(rt, row: dict, awaiting: dict) -> dict | None:
    """Record on ``row`` (whose lock this engine holds) that it awaits the
    pause before the next batch; the record written, None if the lock was
    lost."""
    record = dict(record_of(awaiting),
                  not_before=time.time() + record_of(awaiting)['pause'])
    values = {'awaiting': dict(awaiting, batches=record)}
    if not rt.db.resource_cas(row['id'], {'engine_id': rt.engine_id,
                                          'atomic_key': row['atomic_key']},
                              values):
        return None
    row.update(values)
    return record


def paused_rows(rt, stack_id: str) -> list[dict]:
    """The stack's rows awaiting the end of a pause."""
    return [r for r in rt.db.resources_of_stack(stack_id)
            if r['engine_id'] is not None and pausing(r['awaiting'])]
