"""The events a node's state transitions emit, in one place.

The update and cleanup nodes call these at their transitions; what an
event records (and how the log stores it) is ``convergence.events``'.

An action ends when its row's lock is released: from that instant the row's
next holder, on any engine, may record the start of its own action.  So the
time of an end is taken before the release (``end_time``) and recorded with
the event once the release has won; stamped after, an end could list after
the next start (events are listed by the time they happened).
"""

import datetime

from convergence import events
from convergence import states
from convergence.worker.node import Node


def began(node: Node, action: states.Action) -> None:
    """The node locked its row to start ``action``."""
    node.rt.events.resource_event(node.stack_id, node.row, action,
                                  states.Status.IN_PROGRESS,
                                  states.STATE_CHANGED)


def end_time() -> datetime.datetime:
    """The time of an action's end: take it before the row's release."""
    return events.now()


def finished(node: Node, action: states.Action, values: dict,
             ended_at: datetime.datetime) -> None:
    """``action`` ended at ``ended_at`` as the row's release ``values`` say."""
    node.rt.events.resource_event(node.stack_id, node.row, action,
                                  values['status'], values['status_reason'],
                                  happened_at=ended_at)


def failed(node: Node, action: states.Action, reason: str,
           ended_at: datetime.datetime | None = None) -> None:
    """``action`` failed before any plugin ran: bad input, or forbidden.

    ``ended_at`` when the failure was written with a release of the row.
    """
    node.rt.events.resource_event(node.stack_id, node.row, action,
                                  states.Status.FAILED, reason,
                                  happened_at=ended_at)
