"""Actions, statuses and the transitions a node writes, as data.

Pure.  The members are ``StrEnum``s, so they equal the strings stored in
the ``resource`` and ``stack`` rows and sent in messages and events; code
compares and writes them, never the strings.  A row's state is its
``action`` and ``status`` (``UPDATE`` + ``IN_PROGRESS``); the helpers below
build the values of the compare-and-swap writes that move a row between
states, and the predicates say when a row shows its node done.
"""

import enum


class Action(enum.StrEnum):
    """What a stack or resource row is doing or last did."""

    INIT = 'INIT'           # a row created for the traversal, not yet acted on
    CREATE = 'CREATE'
    UPDATE = 'UPDATE'
    DELETE = 'DELETE'
    SUSPEND = 'SUSPEND'
    RESUME = 'RESUME'
    CHECK = 'CHECK'
    ROLLBACK = 'ROLLBACK'   # a stack operation only: converge back
    # A stack's traversal that takes each resource's snapshot (handle_snapshot).
    SNAPSHOT = 'SNAPSHOT'
    # A stack's traversal that converges to a snapshot's template and data.
    RESTORE = 'RESTORE'
    # A create that takes each resource from adopt data (handle_adopt).
    ADOPT = 'ADOPT'


class Status(enum.StrEnum):
    """How far the row's ``action`` got."""

    IN_PROGRESS = 'IN_PROGRESS'
    COMPLETE = 'COMPLETE'
    FAILED = 'FAILED'


class NodeOutcome(enum.StrEnum):
    """How one run of a traversal node ended."""

    DONE = 'done'           # converged: its successors hear of it
    REPLACED = 'replaced'   # a replacement row carries on in its place
    WAITING = 'waiting'     # the row was locked; the trigger comes back later
    # The row is handed to its child stack's operation, whose verdict
    # resumes the node (convergence/nested/).
    AWAITING = 'awaiting'
    FAILED = 'failed'       # the action failed: the traversal fails
    # The lock was taken from this engine meanwhile (recovery judged it
    # gone): the row's new holder carries on; this result goes nowhere.
    LOST = 'lost'


# Stack operations that roll back when they fail (and rollback is enabled).
# Not ADOPT: rolling an adopt back would delete resources the stack only
# took over (Heat abandons them instead); a failed adopt stays ADOPT_FAILED.
ROLLBACK_ACTIONS = (Action.CREATE, Action.UPDATE, Action.RESTORE)
# Stack operations that leave the resources as they are.
READ_ONLY_ACTIONS = (Action.SNAPSHOT,)
# Stack operations that act on the resources as they stand, without a new
# goal template: their traversal's graph is the usual one, but each
# resource's action runs in one of its two nodes (``acts_in_update_node``)
# and the other only passes the word on.
IN_PLACE_ACTIONS = (Action.SUSPEND, Action.RESUME, Action.CHECK)
# The reason a resource row or event gives for an ordinary transition.
STATE_CHANGED = 'state changed'


def begin(action: Action) -> dict:
    """The values a node writes with its lock when it starts ``action``."""
    return {'action': action, 'status': Status.IN_PROGRESS,
            'status_reason': STATE_CHANGED}


def finished(failure: str | None = None) -> dict:
    """The values of an action's end: COMPLETE, or FAILED for ``failure``."""
    if failure is None:
        return {'status': Status.COMPLETE, 'status_reason': STATE_CHANGED}
    return {'status': Status.FAILED, 'status_reason': failure}


def fresh() -> dict:
    """The state of a row made for a traversal and not acted on yet."""
    return {'action': Action.INIT, 'status': Status.COMPLETE,
            'status_reason': ''}


def deleted() -> dict:
    """The state of a row whose resource is gone (kept until the purge)."""
    return {'action': Action.DELETE, 'status': Status.COMPLETE}


def acts_in_update_node(action: Action) -> bool:
    """Where an in-place stack operation acts on a resource.

    SUSPEND runs in the cleanup nodes, whose edges are inverted: dependants
    are suspended before what they depend on, as Heat does.  RESUME and
    CHECK run in the update nodes, in dependency order.
    """
    return action != Action.SUSPEND


def in_place_skips(row: dict | None, action: Action) -> bool:
    """An in-place operation has no resource to act on: the row is gone,
    deleted, or never created (but CHECK says so of a resource it could
    check, as Heat does)."""
    if row is None or row['action'] == Action.DELETE:
        return True
    return row['action'] == Action.INIT and action != Action.CHECK


def in_place_done(row: dict | None, action: Action, since) -> bool:
    """The row shows ``action`` finished on it (or skipped) since ``since``.

    A CHECK that found the resource unhealthy is done too: a failed check
    does not stop the traversal, the stack's verdict collects it.
    """
    if in_place_skips(row, action):
        return True
    touched = row['updated_at'] or row['created_at']
    ended = (Status.COMPLETE, Status.FAILED) if action == Action.CHECK \
        else (Status.COMPLETE,)
    return (row['engine_id'] is None and row['action'] == action
            and row['status'] in ended and touched is not None
            and touched >= since)


def is_deleted(row: dict) -> bool:
    return row['action'] == Action.DELETE and row['status'] == Status.COMPLETE


def never_acted(row: dict) -> bool:
    """Nothing was ever done to the row's resource: there is none."""
    return row['action'] == Action.INIT and row['engine_id'] is None


def interrupted(row: dict) -> bool:
    """The row's action stopped halfway and nobody holds it.

    Recovery leaves a row so only when its engine went away mid-action and
    the type says repeating the action is safe.
    """
    return row['status'] == Status.IN_PROGRESS and row['engine_id'] is None


def cleanup_done(row: dict | None, goal_template_id: int) -> bool:
    """A cleanup node has nothing (more) to do for ``row``.

    The row is gone, belongs to the goal template (so it stays), or its
    resource was deleted.  The worker skips such a node; recovery counts it
    done.
    """
    return (row is None or row['current_template_id'] == goal_template_id
            or is_deleted(row))


def update_converged(row: dict | None, goal_template_id: int) -> bool:
    """``row`` stands converged to the goal template, nobody acting on it."""
    return (row is not None and row['engine_id'] is None
            and row['status'] == Status.COMPLETE
            and row['action'] not in (Action.INIT, Action.DELETE)
            and row['current_template_id'] == goal_template_id)
