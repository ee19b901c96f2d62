"""The events a node's state transitions emit, in one place.

The update and cleanup nodes call these at their transitions; what an
event records (and how the log stores it) is ``convergence.events``'.
"""

from convergence import states
from convergence.worker.node import Node


def began(node: Node, action: states.Action) -> None:
    """The node locked its row to start ``action``."""
    node.rt.events.resource_event(node.stack_id, node.row, action,
                                  states.Status.IN_PROGRESS,
                                  states.STATE_CHANGED)


def finished(node: Node, action: states.Action, values: dict) -> None:
    """``action`` ended as the row's release ``values`` say."""
    node.rt.events.resource_event(node.stack_id, node.row, action,
                                  values['status'], values['status_reason'])


def failed(node: Node, action: states.Action, reason: str) -> None:
    """``action`` failed before any plugin ran: bad input, or forbidden."""
    node.rt.events.resource_event(node.stack_id, node.row, action,
                                  states.Status.FAILED, reason)
