"""When ``convergence-manage reset_stack_status`` may touch a stack.

Pure.  Resetting is for a traversal nobody will finish: its engine died and
recovery cannot help (heat-manage's reset_stack_status is for "specific
crashes").  Resetting a stack that is not IN_PROGRESS would destroy a
verdict; resetting a live traversal would race the engine running it.  A
traversal is live while an engine that is alive holds one of its rows, or
while it wrote anything within the down time (its heartbeat).
"""

import datetime

from convergence import states
from convergence.recovery import liveness

# Heat's wording (heat/db/api.py reset_stack_status).
REASON = 'Stack status manually reset'


def refusal(stack: dict, rows: list[dict], services: list[dict],
            latest_write: datetime.datetime | None, now: datetime.datetime,
            down_after: float) -> str | None:
    """Why ``stack`` must not be reset, or None when it may.

    ``rows`` are its resource rows, ``services`` the engines' heartbeat
    rows, ``latest_write`` its newest resource write.
    """
    if stack['status'] != states.Status.IN_PROGRESS:
        return 'stack %s is %s_%s, not IN_PROGRESS: nothing to reset' % (
            stack['id'], stack['action'], stack['status'])
    live = liveness.live_engines(services, now, down_after)
    held = sorted({r['engine_id'] for r in rows} & live)
    if held:
        return ('stack %s is being worked on: engine %s is alive and holds '
                'its resources' % (stack['id'], ', '.join(held)))
    age = _seconds_since(stack, latest_write, now)
    if age < down_after:
        return ('stack %s wrote %.0f s ago: its traversal may still be '
                'alive; try again once it has been quiet for %.0f s' % (
                    stack['id'], age, down_after))
    return None


def _seconds_since(stack: dict, latest_write, now) -> float:
    last = max(t for t in (latest_write, stack['updated_at'],
                           stack['created_at']) if t is not None)
    return (now - last).total_seconds()


def rows_to_fail(rows: list[dict]) -> list[dict]:
    """The rows a reset marks FAILED: locked or IN_PROGRESS ones."""
    return [r for r in rows if r['engine_id'] is not None
            or r['status'] == states.Status.IN_PROGRESS]
