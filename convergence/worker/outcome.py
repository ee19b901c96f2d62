"""What one run of a node ended with: the value propagation consumes."""

import dataclasses

from convergence import states
from convergence import sync_point


@dataclasses.dataclass(frozen=True)
class Outcome:
    """How a node's run ended and what its successors need of it."""

    kind: states.NodeOutcome
    # For FAILED: the action that failed and why.
    action: states.Action | None = None
    failure: str | None = None
    # For DONE: what successors learn of this node.
    node_data: dict | None = None
    # For DONE, when the release reported to the joins too: where the
    # reports went and the joins they completed.  None: not reported yet.
    routes: sync_point.Routes | None = None
    completed: dict | None = None


WAITING = Outcome(states.NodeOutcome.WAITING)
AWAITING = Outcome(states.NodeOutcome.AWAITING)
REPLACED = Outcome(states.NodeOutcome.REPLACED)
LOST = Outcome(states.NodeOutcome.LOST)


def done(node_data: dict | None = None,
         routes: sync_point.Routes | None = None,
         completed: dict | None = None) -> Outcome:
    return Outcome(states.NodeOutcome.DONE, node_data=node_data,
                   routes=routes, completed=completed)


def failed(action: states.Action, failure: str) -> Outcome:
    return Outcome(states.NodeOutcome.FAILED, action=action, failure=failure)
