"""One node of one traversal: load, check staleness, act, propagate.

``check_resource`` is what a ``check_resource`` cast runs on whichever engine
takes it.  Update nodes create, update or replace their row; cleanup nodes
delete it unless it belongs to the goal template.  A finished node reports
to its successors: directly when it is a successor's only predecessor, or
through the successor's sync point at a join.
"""

import logging
import threading
import time

from convergence import definitions
from convergence import events
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import stack as stack_ops
from convergence import sync_point
from convergence import traversal as plan
from convergence.resources import properties as props_schema
from convergence.worker import graph_cache

LOG = logging.getLogger(__name__)

DONE, REPLACED, WAITING, FAILED = 'done', 'replaced', 'waiting', 'failed'
# The lock was taken from this engine meanwhile (recovery judged it gone):
# the row's new holder carries on; this node's result goes nowhere.
LOST = 'lost'


def check_resource(rt, resource_id: int, traversal_id: str, data: dict,
                   is_update: bool) -> None:
    loaded = rt.db.resource_and_stack(resource_id)
    if loaded is None:
        return
    row, stack = loaded
    if stack['current_traversal'] != traversal_id or stack['deleted_at']:
        _drop_stale(rt, row, stack, is_update)
        return
    if stack['failure_reason'] is not None:
        return
    if time.time() > stack_ops.deadline(rt, stack):
        stack_ops.fail(rt, stack['id'], traversal_id, 'Timed out')
        return
    node = NodeRun(rt, row, stack, traversal_id, data, is_update)
    outcome = node.run()
    if outcome == DONE:
        node.propagate()
    elif outcome == FAILED:
        reason = 'Resource %s failed: %s' % (node.action, node.failure)
        if not stack_ops.fail(rt, stack['id'], traversal_id, reason):
            LOG.info('resource %s failed in superseded traversal %s',
                     row['id'], traversal_id)


def _drop_stale(rt, row, stack, is_update) -> None:
    """A message of a superseded traversal does no work.

    Except: a replacement that was never created and that the current graph
    does not know is an orphan; it is deleted so it does not linger.
    """
    if row['replaces'] is None or row['action'] != 'INIT' or row['engine_id']:
        return
    if stack['deleted_at'] is None and stack['current_traversal']:
        graph = graph_cache.get(rt, stack)
        if graph is not None and plan.Node(row['id'], True) in graph:
            return
    rt.db.resource_cas(row['id'], {'engine_id': None, 'action': 'INIT'},
                       {'action': 'DELETE', 'status': 'COMPLETE'})


class Routes:
    """A finished node's successors and the reports it owes to sync points.

    Joins among the successors get a report each, and so does the stack's
    own sync point when the node is a root of the graph (nothing follows
    it).  Without a graph (not stored yet, or the node not in it) there is
    nowhere to report to.
    """

    def __init__(self, stack_id: str, graph=None, sender: str | None = None,
                 successors=(), joins=()):
        self.graph, self.sender = graph, sender
        self.successors = list(successors)
        self.is_root = graph is not None and not self.successors
        self.joins = list(joins)
        if self.is_root:
            self.joins.append((stack_id, True, None))

    def reports(self) -> tuple[str, list]:
        """(sender, reports) as sync_point.report_many takes them."""
        return self.sender, self.joins


class NodeRun:
    """The work of one node on one row; ``run`` returns an outcome."""

    def __init__(self, rt, row, stack, traversal_id, data, is_update):
        self.rt, self.row, self.stack = rt, row, stack
        self.traversal_id, self.data, self.is_update = (traversal_id, data,
                                                        is_update)
        self.definition = rt.definitions.get(stack['raw_template_id'], stack)
        self.lock = rsrc_ops.RowLock(rt)
        self.action = 'UPDATE' if is_update else 'DELETE'
        # Before any lock attempt: a cancel from here on stops this action.
        self.began = time.monotonic()
        self.failure = None
        self.node_data = None
        # Set when the release reported to the joins too (see _finish).
        self.routes = None
        self.completed = None

    def run(self) -> str:
        if self.is_update:
            return self._converge()
        return self._cleanup()

    # --- update node -------------------------------------------------------

    def _converge(self) -> str:
        name = self.row['name']
        defn = self.definition.resource_definition(name)
        resolver = definitions.TriggerDataResolver(self.data)
        requires = sorted({d['id'] for d in self.data.values()})
        try:
            properties = props_schema.properties_for_action(
                resources.get_class(defn.type), name, defn.properties(resolver))
        except exceptions.ConvergenceError as exc:
            return self._fail_before_action(defn, exc.message)
        if self.row['action'] == 'INIT' or self._retry_create(defn):
            return self._create(defn, properties, requires)
        if self.row['action'] == 'DELETE' or self.row['type'] != defn.type:
            return self._replace(defn, requires, announce=False)
        return self._update(defn, properties, requires)

    def _retry_create(self, defn) -> bool:
        """An interrupted create is repeated in place.

        Recovery leaves a row IN_PROGRESS but unlocked only when its engine
        went away mid-action and the type says repeating it is safe.
        """
        return (self.row['action'] == 'CREATE'
                and self.row['status'] == 'IN_PROGRESS'
                and self.row['engine_id'] is None
                and self.row['type'] == defn.type)

    def _create(self, defn, properties, requires) -> str:
        self.action = 'CREATE'
        values = {'action': 'CREATE', 'status': 'IN_PROGRESS',
                  'status_reason': 'state changed', 'type': defn.type,
                  'declared_type': defn.declared_type,
                  'current_template_id': self.stack['raw_template_id'],
                  'requires': requires, 'properties_data': properties,
                  'replaced_by': None}
        return self._act(defn, properties, values, 'CREATE')

    def _update(self, defn, properties, requires) -> str:
        old = self.row['properties_data'] or {}
        plugin = self._plugin(defn.type, old)
        failed = self.row['status'] == 'FAILED'
        try:
            plan = plugin.plan_update(properties, failed=failed)
            plugin.check_update_restrictions(defn.restricted_actions,
                                             plan.decision)
        except exceptions.ResourceFailure as exc:
            return self._fail_restricted(exc.kwargs.get('reason', exc.message),
                                         exc.message)
        if plan.decision == 'replace':
            return self._replace(defn, requires, announce=not failed)
        if plan.decision == 'none':
            return self._no_change(defn, requires)
        values = {'action': 'UPDATE', 'status': 'IN_PROGRESS',
                  'status_reason': 'state changed',
                  'requires': sorted(set(requires) | set(
                      self.row['requires'] or ())), 'replaced_by': None}
        return self._act(defn, properties, values, 'UPDATE',
                         new_properties=properties, prop_diff=plan.prop_diff,
                         final={'requires': requires,
                                'current_template_id':
                                    self.stack['raw_template_id'],
                                'declared_type': defn.declared_type,
                                'properties_data': properties})

    def _no_change(self, defn, requires) -> str:
        values = {'current_template_id': self.stack['raw_template_id'],
                  'requires': requires, 'replaced_by': None,
                  'declared_type': defn.declared_type}
        if self.row['status'] in ('FAILED', 'IN_PROGRESS'):
            values['status'] = 'COMPLETE'
            values['status_reason'] = 'state changed'
        plugin = self._plugin(defn.type, self.row['properties_data'] or {})
        values['attr_data'] = rsrc_ops.attribute_cache(
            plugin, self.definition.referenced_attributes(self.row['name']))
        state = self.lock.acquire(self.row, self.traversal_id, True, self.data,
                                  {})
        if state != rsrc_ops.ACQUIRED:
            return WAITING
        if not self.lock.release(self.row, values):
            return LOST
        self._remember(values['attr_data'])
        return DONE

    def _act(self, defn, properties, values, action, final=None,
             **action_args) -> str:
        state = self.lock.acquire(self.row, self.traversal_id, True, self.data,
                                  values)
        if state != rsrc_ops.ACQUIRED:
            return WAITING
        self.rt.events.resource_event(self.stack['id'], self.row, action,
                                      'IN_PROGRESS', 'state changed')
        cancelled = self.rt.cancels.register(
            self.stack['id'], self.traversal_id, self.began)
        try:
            plugin = self._plugin(defn.type, properties, cancelled)
            try:
                reason = rsrc_ops.run_plugin_action(plugin, action,
                                                    **action_args)
            except exceptions.UpdateReplace:
                return self._replace_locked(defn, plugin, values['requires'])
        finally:
            self.rt.cancels.unregister(self.stack['id'], cancelled)
        return self._finish(plugin, action, reason, final or {})

    def _finish(self, plugin, action, reason, final) -> str:
        values = dict(final, **rsrc_ops.stored_state(plugin))
        if reason is None:
            values.update(status='COMPLETE', status_reason='state changed')
            values['attr_data'] = rsrc_ops.attribute_cache(
                plugin, self.definition.referenced_attributes(self.row['name']))
            self._remember(values['attr_data'], values)
        else:
            values.update(status='FAILED', status_reason=reason)
        # Before the release: the row's next holder may start at once.
        ended = events.now()
        if reason is None and not self._hands_over():
            # Released and reported at once: one transaction, not two.
            self.routes = self._routes()
            self.completed = self.lock.release_reporting(
                self.row, values, self.stack['id'], self.traversal_id,
                *self.routes.reports())
            if self.completed is None:
                return LOST
        elif not self.lock.release(self.row, values):
            return LOST
        self.rt.events.resource_event(self.stack['id'], self.row, action,
                                      values['status'],
                                      values['status_reason'],
                                      happened_at=ended)
        if reason is not None:
            self.failure = reason
            return FAILED
        return DONE

    # --- replacement -------------------------------------------------------

    def _replace(self, defn, requires, announce: bool) -> str:
        """Create a new row for the name; the old one is cleaned up later."""
        values = {}
        if announce:
            values = {'action': 'UPDATE', 'status': 'IN_PROGRESS',
                      'status_reason': 'state changed'}
        state = self.lock.acquire(self.row, self.traversal_id, True, self.data,
                                  values)
        if state != rsrc_ops.ACQUIRED:
            return WAITING
        if announce:
            self.rt.events.resource_event(self.stack['id'], self.row,
                                          'UPDATE', 'IN_PROGRESS',
                                          'state changed')
        return self._replace_locked(defn, None, requires, announce)

    def _replace_locked(self, defn, plugin, requires, announce=True) -> str:
        # The update ends before its replacement exists: a newer traversal
        # may start on the replacement at once.
        ended = events.now()
        new_id = self.rt.db.resource_create_replacement(
            self.row['id'], self.row['atomic_key'], self.rt.engine_id,
            {'name': self.row['name'], 'stack_id': self.stack['id'],
             'type': defn.type, 'declared_type': defn.declared_type,
             'current_template_id': self.stack['raw_template_id'],
             'requires': requires, 'action': 'INIT', 'status': 'COMPLETE',
             'status_reason': ''})
        release = {}
        if announce:
            release = {'status': 'COMPLETE',
                       'status_reason': self._replacement_reason(defn)}
        if plugin is not None:
            release.update(rsrc_ops.stored_state(plugin))
        if new_id is not None:
            release['replaced_by'] = new_id
        self.lock.release(self.row, release)
        if announce:
            self.rt.events.resource_event(self.stack['id'], self.row,
                                          'UPDATE', 'COMPLETE',
                                          release['status_reason'],
                                          happened_at=ended)
        if new_id is not None:
            self.rt.messenger.cast_check_resource(
                new_id, self.traversal_id, self.data, True)
        return REPLACED

    def _replacement_reason(self, defn) -> str:
        return ('The Resource %s "%s" [%s] Stack "%s" [%s] requires '
                'replacement.' % (defn.type, self.row['name'],
                                  self.row['physical_resource_id'] or '',
                                  self.stack['name'], self.stack['id']))

    # --- failures before any action ----------------------------------------

    def _fail_before_action(self, defn, reason) -> str:
        self.action = 'CREATE' if self.row['action'] == 'INIT' else 'UPDATE'
        values = {'action': self.action, 'status': 'IN_PROGRESS',
                  'status_reason': 'state changed'}
        if self.lock.acquire(self.row, self.traversal_id, True, self.data,
                             values) != rsrc_ops.ACQUIRED:
            return WAITING
        ended = events.now()
        if not self.lock.release(self.row, {'status': 'FAILED',
                                            'status_reason': reason}):
            return LOST
        self.rt.events.resource_event(self.stack['id'], self.row, self.action,
                                      'FAILED', reason, happened_at=ended)
        self.failure = reason
        return FAILED

    def _fail_restricted(self, reason: str, failure: str) -> str:
        """The environment forbids the change: the resource stays as it is."""
        self.rt.events.resource_event(self.stack['id'], self.row, 'UPDATE',
                                      'FAILED', reason)
        self.failure = failure
        return FAILED

    # --- cleanup node ------------------------------------------------------

    def _cleanup(self) -> str:
        row = self.row
        if row['current_template_id'] == self.stack['raw_template_id'] or (
                row['action'] == 'DELETE' and row['status'] == 'COMPLETE'):
            return DONE
        if row['action'] == 'INIT' and row['engine_id'] is None:
            self.rt.db.resource_delete(row['id'])
            return DONE
        own = self._own_definition()
        values = {'action': 'DELETE', 'status': 'IN_PROGRESS',
                  'status_reason': 'state changed'}
        state = self.lock.acquire(row, self.traversal_id, False, self.data,
                                  values)
        if state != rsrc_ops.ACQUIRED:
            return WAITING
        self.rt.events.resource_event(self.stack['id'], row, 'DELETE',
                                      'IN_PROGRESS', 'state changed')
        cancelled = self.rt.cancels.register(
            self.stack['id'], self.traversal_id, self.began)
        try:
            plugin = self._plugin(row['type'], row['properties_data'] or {},
                                  cancelled)
            reason = None
            if own is None or own.deletion_policy != 'Retain':
                reason = rsrc_ops.run_plugin_action(plugin, 'DELETE')
        finally:
            self.rt.cancels.unregister(self.stack['id'], cancelled)
        outcome = self._finish(plugin, 'DELETE', reason, {})
        if outcome == DONE:
            self._hand_over_to_replacement()
        return outcome

    def _own_definition(self):
        """The definition the row last converged to (for its deletion policy)."""
        template_id = self.row['current_template_id']
        if template_id is None:
            return None
        try:
            own = self.rt.definitions.get(template_id, self.stack)
            return own.resource_definition(self.row['name'])
        except (exceptions.ConvergenceError, KeyError, TypeError):
            return None

    def _hand_over_to_replacement(self) -> None:
        """The replaced row is gone: its replacement stands on its own now."""
        new_id = self.row['replaced_by']
        if new_id is None:
            return
        replacement = self.rt.db.resource_get(new_id)
        if (replacement is not None and replacement['current_template_id']
                == self.stack['raw_template_id']):
            self.rt.db.resource_cas(
                new_id, {'engine_id': None,
                         'atomic_key': replacement['atomic_key']},
                {'replaces': None, 'atomic_key': replacement['atomic_key'] + 1})

    # --- propagation -------------------------------------------------------

    def _plugin(self, type_name, properties, cancelled=None):
        deadline = stack_ops.deadline(self.rt, self.stack)
        clock = self.rt.clock_factory(deadline, cancelled or threading.Event())
        return rsrc_ops.make_plugin(self.row, self.stack, type_name,
                                    properties, clock)

    def _remember(self, attr_data: dict, values: dict | None = None) -> None:
        """What successors learn of this node: the row as ``values`` leave it."""
        row = dict(self.row, **(values or {}))
        self.node_data = {'id': row['id'], 'name': row['name'],
                          'reference_id': attr_data['ref'],
                          'attrs': attr_data['attrs'],
                          'action': row['action'], 'status': row['status']}

    def _hands_over(self) -> bool:
        """A cleanup of a replaced row: its replacement stands alone after."""
        return not self.is_update and self.row['replaced_by'] is not None

    def _routes(self) -> 'Routes':
        """Where this node's completion goes, from the traversal's graph."""
        graph = graph_cache.get(self.rt, self.stack)
        if graph is None:
            return Routes(self.stack['id'])
        key = plan.Node(self.row['id'], self.is_update)
        if key not in graph and self.row['replaces'] is not None:
            # A replacement stands in for the row it replaces: everybody
            # works from the graph as it was when the traversal started.
            key = plan.Node(self.row['replaces'], self.is_update)
        if key not in graph:
            LOG.warning('node %s not in the graph of traversal %s', key,
                        self.traversal_id)
            return Routes(self.stack['id'])
        successors = plan.cleanup_first(graph.required_by(key))
        joins = [(str(s.rsrc_id), s.is_update, self._payload(s))
                 for s in successors
                 if sync_point.needs_sync_point(len(graph.requires(s)))]
        return Routes(self.stack['id'], graph, plan.node_key(key),
                      successors, joins)

    def propagate(self) -> None:
        """Report completion to every successor and, at a root, the stack.

        Joins (and the stack's sync point) hear of it in one transaction,
        usually the one that released the row (``_finish``); a successor
        with this node as its only predecessor gets its trigger directly.
        """
        routes, completed = self.routes, self.completed
        if routes is None:
            routes = self._routes()
            completed = sync_point.report_many(
                self.rt.db, self.stack['id'], self.traversal_id,
                *routes.reports())
        for successor in routes.successors:
            self._trigger(routes.graph, successor, routes.sender, completed)
        if routes.is_root and (self.stack['id'], True) in completed:
            stack_ops.complete(self.rt, self.stack['id'], self.traversal_id)

    def _payload(self, successor):
        return self.node_data if successor.is_update else None

    def _trigger(self, graph, successor, sender, completed) -> None:
        if sync_point.needs_sync_point(len(graph.requires(successor))):
            inputs = completed.get((str(successor.rsrc_id),
                                    successor.is_update))
            if inputs is None:
                return
        else:
            inputs = {sender: self._payload(successor)}
        self.rt.messenger.cast_check_resource(
            successor.rsrc_id, self.traversal_id,
            sync_point.trigger_data(inputs, successor.is_update),
            successor.is_update)
