"""Breakpoint hooks: a node stops before a hooked action until it is cleared.

The environment's ``resource_registry.resources.<name>.hooks`` (globs
match; a nested stack inherits the settings given under its parent
resource's name) stops a node before it creates its row (only while the
stack is being created, as in Heat: a resource added or replaced by an
update does not stop), before it updates it (any update, even one that
changes nothing) or before it deletes it (only while the stack is being
deleted).

No thread waits.  The node locks its row, records the pause on it
(``awaiting``: the hook, the traversal and the trigger), emits Heat's event
"<ACTION> paused until Hook <hook> is cleared" and ends; the row keeps its
state (INIT COMPLETE before a create, as in Heat).  ``clear`` (a
``resource_signal`` with ``unset_hook``, on any engine) swaps the row out of
its pause, leaving on it that this traversal cleared the hook, and sends the
trigger again: the node starts over and this time goes on.  Nothing but the
row holds the pause, so an engine dying meanwhile loses nothing, and the
sweeper neither unlocks nor re-sends a paused row.  A newer traversal's node
(an update, a rollback, a delete) ends the pause and carries on (an update
creates a resource paused before its create without stopping: it is no
stack create); a failing traversal (cancel, timeout, another resource
failing) ends its pauses, the rows as they were.  Neither adds an event,
as in Heat 27.
"""

import logging

from convergence import states
from convergence.template import environment as env_rules
from convergence.worker import outcome as outcomes

LOG = logging.getLogger(__name__)

Action = states.Action

# The breakpoint before each action, and the stack action it applies in
# (None: any).  Heat stops a create only in a stack create and a delete only
# in a stack delete (a replacement's create and delete never stop).
BEFORE = {Action.CREATE: (env_rules.PRE_CREATE, Action.CREATE),
          Action.UPDATE: (env_rules.PRE_UPDATE, None),
          Action.DELETE: (env_rules.PRE_DELETE, Action.DELETE)}
# The keys of the two records ``awaiting`` holds for a breakpoint.
HOOK, CLEARED = 'hook', 'hooks_cleared'


def paused_reason(action: Action, hook: str) -> str:
    return '%s paused until Hook %s is cleared' % (action, hook)


def cleared_reason(hook: str) -> str:
    return 'Hook %s is cleared' % hook


# --- the records (pure) --------------------------------------------------------

def pause_of(row: dict) -> dict | None:
    """The pause ``row`` is stopped at; None when it is not paused."""
    awaiting = row.get('awaiting')
    if row.get('engine_id') and awaiting and HOOK in awaiting:
        return awaiting
    return None


def due(node, action: Action) -> str | None:
    """The hook the node stops at before ``action``; None to go on."""
    hook, in_stack_action = BEFORE[action]
    if in_stack_action is not None and node.stack['action'] != in_stack_action:
        return None
    if hook not in node.definition.environment.hooks(node.row['name']):
        return None
    done = node.row.get('awaiting') or {}
    if (done.get('traversal_id') == node.traversal_id
            and hook in done.get(CLEARED, ())):
        return None
    return hook


# --- the writes ------------------------------------------------------------------

def pause(node, hook: str, action: Action) -> outcomes.Outcome:
    """Stop the node at ``hook``: lock the row with the pause recorded."""
    record = {HOOK: hook, 'action': action,
              'traversal_id': node.traversal_id,
              'is_update': node.is_update, 'data': node.data}
    if not node.acquire({'awaiting': record}):
        return outcomes.WAITING
    row = node.row
    node.rt.events.resource_event(node.stack_id, row, row['action'],
                                  row['status'], paused_reason(action, hook))
    return outcomes.AWAITING


def clear(rt, row: dict, hook: str) -> bool:
    """Clear the hook ``row`` is paused at and send its node again.

    False when the row was not paused there any more (cleared by another
    caller, or a newer traversal took it).
    """
    record = pause_of(row)
    if record is None or record[HOOK] != hook:
        return False
    done = {CLEARED: [hook], 'traversal_id': record['traversal_id']}
    if not _unpause(rt, row, done):
        return False
    rt.events.resource_event(row['stack_id'], row, row['action'],
                             row['status'], cleared_reason(hook))
    rt.messenger.cast_check_resource(row['id'], record['traversal_id'],
                                     record['data'], record['is_update'])
    return True


def interrupt(rt, row: dict) -> bool:
    """End the pause of ``row`` without clearing its hook: its traversal
    was superseded or fails.  False if it was not paused any more."""
    pause = pause_of(row)
    if pause is None or not _unpause(rt, row, None):
        return False
    LOG.info('resource %s (%s): the %s pause of traversal %s ended without '
             'its hook cleared', row['name'], row['id'], pause[HOOK],
             pause['traversal_id'])
    return True


def end_pauses(rt, stack_id: str) -> int:
    """Interrupt every pause of the stack (its traversal fails); how many."""
    return sum(interrupt(rt, row) for row in rt.db.resources_of_stack(stack_id)
               if pause_of(row) is not None)


def _unpause(rt, row: dict, awaiting: dict | None) -> bool:
    # A trigger parked on a paused row is one of the paused traversal's own
    # (a newer one ends the pause instead): the re-sent trigger replaces it.
    values = {'engine_id': None, 'awaiting': awaiting,
              'pending_trigger': None, 'atomic_key': row['atomic_key'] + 1}
    if not rt.db.resource_cas(row['id'], {
            'engine_id': row['engine_id'], 'atomic_key': row['atomic_key'],
            'awaiting': row['awaiting']}, values):
        return False
    row.update(values)
    return True
