"""The one way a node acts on its row: lock, run the plugin, finish.

Lock the row (writing the action's IN_PROGRESS state with it), emit the
began event, make the action cancellable, run the plugin, and release the
row with the result, reporting to the successors' joins in the same
transaction when the action succeeded.
"""

from typing import Callable

from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import states
from convergence.nested import child
from convergence.resources import base as plugin_base
from convergence.resources.await_signal import Await
from convergence.worker import node_events
from convergence.worker import outcome as outcomes
from convergence.worker import propagation
from convergence.worker.node import Node

# Runs the action on the plugin: None on success, else the failure reason;
# a nested row's action hands the row to its child's operation instead
# (child.Handover); an action that waits for a signal returns its Await
# (worker/signal_wait.py).
Perform = Callable[[plugin_base.Resource],
                   str | None | child.Handover | Await]
# Takes over when the plugin says it cannot update in place.
Replace = Callable[[plugin_base.Resource], outcomes.Outcome]


def run(node: Node, action: states.Action, begin: dict, type_name: str,
        properties: dict, perform: Perform, *, final: dict | None = None,
        replace: Replace | None = None) -> outcomes.Outcome:
    """Run ``action`` on the node's row under its lock.

    ``begin`` is what the lock writes: ``states.begin(action)`` and the
    columns that change as the action starts.  ``final`` holds columns the
    row gets only when the action ends (an update keeps its old properties
    while in progress).  Without ``replace``, UpdateReplace passes through.
    """
    if not node.acquire(begin):
        return outcomes.WAITING
    node_events.began(node, action)
    cancelled = node.rt.cancels.register(node.stack_id, node.traversal_id,
                                         node.began)
    try:
        plugin = node.plugin(type_name, properties, cancelled)
        if not plugin.retry_safe:
            # What the cloud made is known before the action ends: an
            # engine that dies waiting leaves its id to the next one
            # (which resumes the create, or deletes what it replaces).
            plugin.context.on_change = lambda context: node.lock.record(
                node.row, rsrc_ops.stored_state(plugin))
        try:
            failure = perform(plugin)
        except exceptions.UpdateReplace:
            if replace is None:
                raise
            return replace(plugin)
    finally:
        node.rt.cancels.unregister(node.stack_id, cancelled)
    if failure is child.Handover.AWAITING:
        return outcomes.AWAITING
    if failure is child.Handover.LOST:
        return outcomes.LOST
    if isinstance(failure, Await):
        # Imported here: signal_wait finishes its rows through this module.
        from convergence.worker import signal_wait
        if not signal_wait.record(node, plugin, action, failure, final):
            return outcomes.LOST
        return outcomes.AWAITING
    return finish(node, plugin, action, failure, final or {})


def finish(node: Node, plugin: plugin_base.Resource, action: states.Action,
           failure: str | None, final: dict) -> outcomes.Outcome:
    """Release the row with the action's result and say how it ended.

    A success reports to the successors' joins in the release's
    transaction, unless the node hands its row's name over to a
    replacement first (propagation then reports after).
    """
    values = dict(final, **rsrc_ops.stored_state(plugin))
    values.update(states.finished(failure))
    if failure is not None:
        ended_at = node_events.end_time()
        if not node.release(values):
            return outcomes.LOST
        node_events.finished(node, action, values, ended_at)
        return outcomes.failed(action, failure)
    values['attr_data'] = node.attribute_cache(plugin)
    node_data = node.node_data(values['attr_data'], values)
    ended_at = node_events.end_time()
    if not node.hands_over():
        # Released and reported at once: one transaction, not two.
        ended = propagation.release_and_report(node, values, node_data)
    elif node.release(values):
        ended = outcomes.done(node_data)
    else:
        ended = outcomes.LOST
    if ended.kind != states.NodeOutcome.LOST:
        node_events.finished(node, action, values, ended_at)
    return ended


def finish_superseded(node: Node, plugin: plugin_base.Resource,
                      action: states.Action, failure: str | None,
                      final: dict) -> None:
    """End the action of a traversal that no longer runs: release the row
    with the result, report nowhere (a newer node carries on)."""
    values = dict(final, **rsrc_ops.stored_state(plugin))
    values.update(states.finished(failure))
    ended_at = node_events.end_time()
    if node.release(values):
        node_events.finished(node, action, values, ended_at)
