"""One node of one traversal: load, check staleness, act, propagate.

``check_resource`` is what a ``check_resource`` cast runs on whichever engine
takes it.  Update nodes create, update or replace their row
(``update_node``); cleanup nodes delete it unless it belongs to the goal
template (``cleanup_node``).  A suspend, resume or check acts on the rows
as they are (``in_place_node``).  A finished node reports to its successors
(``propagation``); a failed one fails the traversal.
"""

import logging
import time

from convergence import metrics
from convergence import stack as stack_ops
from convergence import states
from convergence import traversal as plan
from convergence.worker import breakpoints
from convergence.worker import cleanup_node
from convergence.worker import graph_cache
from convergence.worker import in_place_node
from convergence.worker import propagation
from convergence.worker import snapshot_node
from convergence.worker import update_node
from convergence.worker.node import Node

LOG = logging.getLogger(__name__)


def check_resource(rt, resource_id: int, traversal_id: str, data: dict,
                   is_update: bool) -> None:
    loaded = rt.db.resource_and_stack(resource_id)
    if loaded is None:
        return
    row, stack = loaded
    if stack['current_traversal'] != traversal_id or stack['deleted_at']:
        _drop_stale(rt, row, stack)
        return
    if stack['failure_reason'] is not None:
        return
    if time.time() > stack_ops.deadline(rt, stack):
        stack_ops.fail(rt, stack['id'], traversal_id, 'Timed out')
        return
    if not _past_pause(rt, row, traversal_id, data, is_update):
        return
    node = Node(rt, row, stack, traversal_id, data, is_update)
    metrics.node_started()
    outcome = 'error'
    try:
        ended = _node_kind(stack, is_update).run(node)
        outcome = ended.kind
        conclude(node, ended)
    finally:
        metrics.node_finished(outcome, time.monotonic() - node.began)


def _node_kind(stack: dict, is_update: bool):
    """The module that runs the node: a suspend, resume or check acts in
    place, a snapshot takes the row's snapshot; any other operation
    converges the row to the goal."""
    if stack['action'] in states.IN_PLACE_ACTIONS:
        return in_place_node
    if not is_update:
        return cleanup_node
    if stack['action'] == states.Action.SNAPSHOT:
        return snapshot_node
    return update_node


def conclude(node: Node, ended) -> None:
    """What a node's outcome sets off: its successors, or the failure."""
    if ended.kind == states.NodeOutcome.DONE:
        propagation.propagate(node, ended)
    elif in_place_node.failure_goes_on(node, ended):
        propagation.propagate(node, in_place_node.passed(node, blocked=True))
    elif ended.kind == states.NodeOutcome.FAILED:
        reason = 'Resource %s failed: %s' % (ended.action, ended.failure)
        if not stack_ops.fail(node.rt, node.stack_id, node.traversal_id,
                              reason):
            LOG.info('resource %s failed in superseded traversal %s',
                     node.row['id'], node.traversal_id)


def _past_pause(rt, row: dict, traversal_id: str, data: dict,
                is_update: bool) -> bool:
    """False when the trigger must wait for a breakpoint's clear.

    A row paused at a breakpoint of this traversal is sent again when its
    hook is cleared; a newer traversal's node ends the pause and goes on.
    """
    pause = breakpoints.pause_of(row)
    if pause is None:
        return True
    if pause['traversal_id'] == traversal_id:
        return False
    if breakpoints.interrupt(rt, row):
        return True
    # Cleared or interrupted meanwhile: start again from the row as it is.
    rt.messenger.cast_check_resource(row['id'], traversal_id, data, is_update)
    return False


def _drop_stale(rt, row: dict, stack: dict) -> None:
    """A message of a superseded traversal does no work.

    Except: a replacement that was never created and that the current graph
    does not know is an orphan; it is deleted so it does not linger.
    """
    if row['replaces'] is None or not states.never_acted(row):
        return
    if stack['deleted_at'] is None and stack['current_traversal']:
        graph = graph_cache.get(rt, stack)
        if graph is not None and plan.Node(row['id'], True) in graph:
            return
    rt.db.resource_cas(row['id'],
                       {'engine_id': None, 'action': states.Action.INIT},
                       states.deleted())
