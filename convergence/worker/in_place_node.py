"""A node of a suspend, resume or check: the resource's action, in place.

These stack operations keep the goal template; their traversal's graph is
the usual one (``stack.start``).  Each resource acts in one of its two
nodes (``states.acts_in_update_node``): SUSPEND in the cleanup node, so
dependants go first, RESUME and CHECK in the update node.  The other node
only passes the word on.  A nested stack resource runs the same operation
on its child stack and awaits its verdict (``nested.child``).

As Heat: a resource whose state forbids the action fails the traversal
without being touched ("State ('CREATE', 'FAILED') invalid for suspend");
a type without ``handle_check`` is not checked but shows CHECK_COMPLETE
"CHECK not supported for <type>".  A failed check does not stop the
traversal: the resources depending on the failed one are skipped (left as
they are) and the stack's verdict lists every failure
(``convergence.check_verdict``).
"""

from convergence import check_verdict
from convergence import definitions
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import states
from convergence import traversal as plan
from convergence.nested import child
from convergence.resources import failures
from convergence.worker import graph_cache
from convergence.worker import locked_run
from convergence.worker import node_events
from convergence.worker import outcome as outcomes
from convergence.worker.node import Node

Action, Status = states.Action, states.Status

# The data key that tells a CHECK node a resource it depends on failed its
# check (or was skipped for that): it is skipped too.
CHECK_BLOCKED = 'check_blocked'


# The states each action accepts a resource in (Heat's Resource.suspend and
# resume); an interrupted action, unlocked by recovery, is repeated.
def _suspend_allowed(row: dict) -> bool:
    return row['action'] == Action.SUSPEND or row['status'] == Status.COMPLETE


def _resume_allowed(row: dict) -> bool:
    return (row['action'], row['status']) in (
        (Action.SUSPEND, Status.COMPLETE), (Action.RESUME, Status.FAILED),
        (Action.RESUME, Status.COMPLETE), (Action.RESUME, Status.IN_PROGRESS))


_ALLOWED = {Action.SUSPEND: _suspend_allowed, Action.RESUME: _resume_allowed,
            Action.CHECK: lambda row: True}


def run(node: Node) -> outcomes.Outcome:
    """Suspend, resume or check the node's resource, or pass the word on."""
    action = Action(node.stack['action'])
    row = node.row
    if (node.is_update != states.acts_in_update_node(action)
            or states.in_place_skips(row, action) or not _stands(node)):
        return passed(node)
    if action == Action.CHECK and _blocked(node.data):
        return passed(node, blocked=True)
    started = node.stack['updated_at'] or node.stack['created_at']
    if states.in_place_done(row, action, started):
        # A trigger repeated within the traversal: no second action.
        return passed(node, blocked=row['status'] == Status.FAILED)
    if not _ALLOWED[action](row):
        return outcomes.failed(action, failures.resource_failure(
            row['name'], 'Error', 'State %s invalid for %s' % (
                str((str(row['action']), str(row['status']))),
                action.lower())).message)
    try:
        cls = resources.get_class(row['type'], node.definition.template.files)
    except exceptions.ConvergenceError as exc:
        return outcomes.failed(action, exc.message)
    if action == Action.CHECK and not cls.supports_check():
        return _not_checked(node)
    if action == Action.CHECK and row['action'] == Action.INIT:
        return _not_created(node)
    if getattr(cls, 'nested', False):
        perform = child.perform(node, action)
    else:
        perform = lambda plugin: rsrc_ops.run_plugin_action(  # noqa: E731
            plugin, action)
    return locked_run.run(node, action, states.begin(action), row['type'],
                          row['properties_data'] or {}, perform)


def _stands(node: Node) -> bool:
    """The row is the one the stack stands on for its name: it has an
    update node (a suspend's cleanup node may belong to an old version of
    the resource that an update left to clean up: that one is left alone).
    """
    if node.is_update:
        return True
    graph = graph_cache.get(node.rt, node.stack)
    return graph is not None and plan.Node(node.row['id'], True) in graph


def passed(node: Node, blocked: bool = False) -> outcomes.Outcome:
    """The node has nothing to do: its successors hear of the row as is."""
    if not node.is_update:
        return outcomes.done()
    data = definitions.stored_node_data(node.row)
    if blocked:
        data[CHECK_BLOCKED] = True
    return outcomes.done(data)


def failure_goes_on(node: Node, ended: outcomes.Outcome) -> bool:
    """A failed check does not fail the traversal: the stack's verdict
    collects it once every other resource was checked."""
    return (node.stack['action'] == Action.CHECK
            and ended.kind == states.NodeOutcome.FAILED
            and ended.action == Action.CHECK)


def _blocked(data: dict) -> bool:
    return any(d.get(CHECK_BLOCKED) or (d.get('action') == Action.CHECK
                                        and d.get('status') == Status.FAILED)
               for d in data.values())


def _not_checked(node: Node) -> outcomes.Outcome:
    """A type that cannot be checked: the row says so, as Heat's does."""
    values = {'action': Action.CHECK, 'status': Status.COMPLETE,
              'status_reason': 'CHECK not supported for %s' % node.row['type']}
    return _recorded(node, values)


def _not_created(node: Node) -> outcomes.Outcome:
    """Nothing to check: the resource was never created."""
    reason = check_verdict.NOT_CREATED % node.row['name']
    values = {'action': Action.CHECK, 'status': Status.FAILED,
              'status_reason': reason}
    ended = _recorded(node, values)
    if ended.kind != states.NodeOutcome.DONE:
        return ended
    return outcomes.failed(Action.CHECK, reason)


def _recorded(node: Node, values: dict) -> outcomes.Outcome:
    """Write ``values`` under the lock; an event if the state changed."""
    before = (node.row['action'], node.row['status'])
    if not node.acquire(values):
        return outcomes.WAITING
    ended_at = node_events.end_time()
    if not node.release({}):
        return outcomes.LOST
    if before != (values['action'], values['status']):
        node_events.finished(node, Action.CHECK, values, ended_at)
    return passed(node)
