"""An update node: create, update or replace its row to match the goal.

The row's resource is created when it has none yet, updated in place when
the plugin can, replaced when it cannot (or the type changed, or the row was
deleted), and left alone when nothing changed.  A replacement is a new row
for the same name; the cleanup node of the old row deletes it later.
"""

import logging

from convergence import definitions
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import snapshots
from convergence import states
from convergence.nested import child
from convergence.nested import outputs as nested_outputs
from convergence.resources import base as plugin_base
from convergence.resources import properties as props_schema
from convergence.worker import breakpoints
from convergence.worker import external_resource as external
from convergence.worker import locked_run
from convergence.worker import node_events
from convergence.worker import outcome as outcomes
from convergence.worker import propagation
from convergence.worker import update_choice
from convergence.worker.node import Node

LOG = logging.getLogger(__name__)

Action, Status = states.Action, states.Status


def run(node: Node) -> outcomes.Outcome:
    """Converge the node's row to its definition in the goal template."""
    row = node.row
    action = _hookable_action(node)
    hook = breakpoints.due(node, action) if action else None
    if hook is not None:
        return breakpoints.pause(node, hook, action)
    defn = node.definition.resource_definition(row['name'])
    resolver = definitions.TriggerDataResolver(node.data)
    requires = sorted({d['id'] for d in node.data.values()})
    try:
        cls = resources.get_class(defn.type, node.definition.template.files)
        # An external resource's properties are not used (Heat's rule).
        properties = {} if defn.external_id is not None else (
            props_schema.properties_for_action(
                cls, row['name'], defn.properties(resolver)))
    except exceptions.ConvergenceError as exc:
        return _fail_before_action(node, exc.message)
    properties = _restored_properties(node, cls, properties)
    nested = getattr(cls, 'nested', False)
    if nested and defn.external_id is not None:
        return _fail_before_action(node, external.nested_refusal(
            row['name'], defn.type))
    step = update_choice.by_row(row, defn, node.goal_template_id, nested)
    if step == update_choice.CREATE:
        return _create(node, defn, properties, requires, nested)
    if step != update_choice.REPLACE_DELETED:
        if external.changed(node.own_definition(), defn):
            refusal = external.update_refusal(row['name'], defn.type)
            return _fail_restricted(node, refusal, refusal)
        if defn.external_id is not None:
            return _no_change(node, defn, requires)
    if step == update_choice.REPLACE_DELETED:
        return _replace(node, defn, requires, announce=False)
    if step == update_choice.REPLACE_TYPE:
        return _replace_type(node, defn, requires)
    if step == update_choice.CHILD_CONVERGED:
        return _no_change(node, defn, requires,
                          nested_outputs.of_child(node.rt, row))
    child_snapshot = _child_snapshot(node) if nested else None
    if child_snapshot is not None:
        return _restore_child(node, defn, properties, requires,
                              child_snapshot)
    return _update(node, defn, properties, requires, nested)


def _restored_properties(node: Node, cls, properties: dict) -> dict:
    """In a RESTORE, the goal properties the type makes of its snapshot
    entry (Heat's handle_restore: a server's image is the one its snapshot
    took), whether the resource is kept or made anew."""
    hook = getattr(cls, 'restored_properties', None)
    entry = snapshots.restored_entry(node.rt, node) if hook else None
    return properties if entry is None else hook(properties, entry)


def _hookable_action(node: Node) -> Action | None:
    """The action a breakpoint may stop this node before, if any: not a
    repeated create, a replacement of a deleted row, or a repeated trigger
    of a row that converged already."""
    row = node.row
    if row['action'] == Action.INIT:
        return Action.CREATE
    if (row['action'] == Action.DELETE or states.interrupted(row)
            or states.update_converged(row, node.goal_template_id)):
        return None
    return Action.UPDATE


def _create(node: Node, defn, properties: dict, requires: list,
            nested: bool) -> outcomes.Outcome:
    """Create the row's resource; in an ADOPT traversal take it over from
    the entry stored on the row (a nested row's child is adopted), in a
    RESTORE bring it back from the snapshot when the type can.  An external
    resource is adopted by its ``external_id`` in any traversal."""
    external_id = defn.external_id
    action = (Action.ADOPT if external_id is not None
              or node.stack['action'] == Action.ADOPT else Action.CREATE)
    begin = dict(states.begin(action), type=defn.type,
                 declared_type=defn.declared_type,
                 current_template_id=node.goal_template_id,
                 requires=requires, properties_data=properties,
                 replaced_by=None)
    if external_id is not None:
        perform = lambda plugin: external.adopt(  # noqa: E731
            plugin, external_id)
    elif nested:
        perform = child.perform(node, action)
    elif action == Action.ADOPT:
        entry = node.row['adopt_data'] or {}
        perform = lambda plugin: rsrc_ops.run_plugin_action(  # noqa: E731
            plugin, Action.ADOPT, resource_data=entry)
    else:
        perform = _restore_or_create(node)
    return locked_run.run(
        node, action, begin, defn.type, properties, perform,
        replace=lambda plugin: _replace_locked(node, defn, plugin, requires))


def _restore_or_create(node: Node):
    """The perform of a create: from the snapshot a RESTORE traversal
    restores, when the type has ``handle_restore`` and an entry."""
    entry = snapshots.restored_entry(node.rt, node)
    # A create its engine died in (recovery left it to be driven again).
    resuming = states.interrupted(node.row)

    def perform(plugin):
        if entry is not None and hasattr(plugin, 'handle_restore'):
            return rsrc_ops.run_plugin_restore(plugin, entry)
        return rsrc_ops.run_plugin_action(plugin, Action.CREATE,
                                          resuming=resuming)
    return perform


def _update(node: Node, defn, properties: dict, requires: list,
            nested: bool) -> outcomes.Outcome:
    row = node.row
    plugin = node.plugin(defn.type, row['properties_data'] or {})
    failed = row['status'] == Status.FAILED
    try:
        _restore_replaced(node, plugin)
    except Exception as exc:  # the plugin's own trouble, worded as Heat's
        return _fail_before_action(node, 'Error: resources.%s: %s' % (
            row['name'], exc))
    try:
        update_plan = update_choice.plan(plugin, row, properties,
                                         _child_of(node, plugin))
        plugin.check_update_restrictions(defn.restricted_actions,
                                         update_plan.decision)
    except exceptions.ResourceFailure as exc:
        return _fail_restricted(node, exc.kwargs.get('reason', exc.message),
                                exc.message)
    if update_plan.decision == plugin_base.REPLACE:
        return _replace(node, defn, requires, announce=not failed)
    if update_plan.decision == plugin_base.NO_CHANGE:
        return _no_change(node, defn, requires, plugin=plugin)
    during, begin, final = _update_columns(node, defn, properties, requires)
    # Planned from what the cloud holds (decision 26), the update starts
    # from it: a server's networks detach what was attached behind the
    # stack's back.
    previous = (plugin.properties if update_choice.drifted(plugin, row)
                else row['properties_data'] or {})
    perform = (child.perform(node, Action.UPDATE, final) if nested else
               _perform_update(previous, properties, update_plan.prop_diff))
    return locked_run.run(
        node, Action.UPDATE, begin, defn.type, properties, perform,
        final=final,
        replace=lambda plugin: _replace_locked(node, defn, plugin, during))


def _perform_update(previous: dict, properties: dict, prop_diff: dict):
    """The plugin's in-place update, knowing the properties it had."""
    def perform(plugin):
        plugin.previous_properties = previous
        return rsrc_ops.run_plugin_action(
            plugin, Action.UPDATE, new_properties=properties,
            prop_diff=prop_diff)
    return perform


def _restore_replaced(node: Node, plugin: plugin_base.Resource) -> None:
    """Heat's restore_prev_rsrc: a rollback comes back to a row that was
    replaced; the plugin takes back what it gave its replacement (a port
    its fixed IPs, a server its ports)."""
    row = node.row
    restore = getattr(plugin, 'restore_after_rollback', None)
    if (restore is None or row['replaced_by'] is None
            or node.stack['action'] != Action.ROLLBACK):
        return
    replacement = node.rt.db.resource_get(row['replaced_by'])
    restore((replacement or {}).get('physical_resource_id') or None)


def _child_snapshot(node: Node) -> str | None:
    """In a RESTORE, the snapshot of the row's child stack that the
    restored snapshot names (None when the child is another one now)."""
    entry = snapshots.restored_entry(node.rt, node)
    if (entry is None or not entry.get('snapshot_id')
            or entry.get('resource_id') != node.row['physical_resource_id']):
        return None
    return entry['snapshot_id']


def _restore_child(node: Node, defn, properties: dict, requires: list,
                   child_snapshot: str) -> outcomes.Outcome:
    """Restore the row's child stack from its own snapshot (a RESTORE of
    the child), the row ending at the goal as an update would."""
    _during, begin, final = _update_columns(node, defn, properties, requires)
    return locked_run.run(
        node, Action.UPDATE, begin, defn.type, properties,
        child.restore(node, child_snapshot, final), final=final)


def _update_columns(node: Node, defn, properties: dict,
                    requires: list) -> tuple[list, dict, dict]:
    """An update's (requirements while it runs, columns its lock writes,
    columns it ends with): until it ends the row depends on old and new
    requirements."""
    during = sorted(set(requires) | set(node.row['requires'] or ()))
    begin = dict(states.begin(Action.UPDATE), requires=during,
                 replaced_by=None)
    final = {'requires': requires,
             'current_template_id': node.goal_template_id,
             'type': defn.type, 'declared_type': defn.declared_type,
             'properties_data': properties}
    return during, begin, final


def _child_of(node: Node, plugin) -> dict | None:
    """A nested row's child stack, if it has one."""
    if not getattr(plugin, 'nested', False) or not plugin.resource_id:
        return None
    return node.rt.db.stack_get(plugin.resource_id, show_deleted=False)


def _replace_type(node: Node, defn, requires: list) -> outcomes.Outcome:
    """A new type is a new resource, unless the environment forbids it."""
    row = node.row
    plugin = node.plugin(row['type'], row['properties_data'] or {})
    try:
        plugin.check_update_restrictions(defn.restricted_actions,
                                         plugin_base.REPLACE)
    except exceptions.ResourceFailure as exc:
        return _fail_restricted(node, exc.kwargs.get('reason', exc.message),
                                exc.message)
    return _replace(node, defn, requires, announce=False)


def _no_change(node: Node, defn, requires: list,
               child_outputs: dict | None = None,
               plugin: plugin_base.Resource | None = None) -> outcomes.Outcome:
    """Nothing to do to the resource: the row moves to the goal template.

    ``child_outputs``: a nested row's child's outputs, its attributes.
    ``plugin``: the row's plugin as the caller made it, if it did.
    """
    values = {'current_template_id': node.goal_template_id,
              'requires': requires, 'replaced_by': None,
              'type': defn.type, 'declared_type': defn.declared_type}
    if node.row['status'] in (Status.FAILED, Status.IN_PROGRESS):
        values.update(states.finished())
    if plugin is None:
        plugin = node.plugin(defn.type, node.row['properties_data'] or {},
                             nested_outputs=child_outputs)
    values['attr_data'] = node.attribute_cache(plugin)
    node_data = node.node_data(values['attr_data'], values)
    # No action to lock the row for: a free row is locked, written,
    # released and reported in one swap.
    stamped = propagation.stamp_and_report(node, values, node_data)
    if stamped is not None:
        return stamped
    if not node.acquire({}):
        return outcomes.WAITING
    # The release and the reports to the successors' joins in one
    # transaction, as an action's end.
    return propagation.release_and_report(node, values, node_data)


# --- replacement -------------------------------------------------------------

def _replace(node: Node, defn, requires: list,
             announce: bool) -> outcomes.Outcome:
    """Create a new row for the name; the old one is cleaned up later.

    ``announce``: the old row shows an UPDATE that ends in its replacement
    (not for a row that failed or was deleted: it simply gets a successor).
    """
    if not node.acquire(states.begin(Action.UPDATE) if announce else {}):
        return outcomes.WAITING
    if announce:
        node_events.began(node, Action.UPDATE)
    return _replace_locked(node, defn, None, requires, announce)


def _replace_locked(node: Node, defn, plugin: plugin_base.Resource | None,
                    requires: list, announce: bool = True) -> outcomes.Outcome:
    rt, row = node.rt, node.row
    plugin = _prepare_for_replace(node, plugin)
    # The update ends before its replacement exists: a newer traversal may
    # start on the replacement at once.
    ended_at = node_events.end_time()
    new_id = rt.db.resource_create_replacement(
        row['id'], row['atomic_key'], rt.engine_id,
        dict(states.fresh(), name=row['name'], stack_id=node.stack_id,
             type=defn.type, declared_type=defn.declared_type,
             current_template_id=node.goal_template_id, requires=requires))
    release = {}
    if announce:
        release = {'status': Status.COMPLETE,
                   'status_reason': _replacement_reason(node, defn)}
    if plugin is not None:
        release.update(rsrc_ops.stored_state(plugin))
    if new_id is not None:
        release['replaced_by'] = new_id
    node.release(release)
    if announce:
        node_events.finished(node, Action.UPDATE, release, ended_at)
    if new_id is not None:
        rt.messenger.cast_check_resource(new_id, node.traversal_id, node.data,
                                         True)
    return outcomes.REPLACED


def _prepare_for_replace(node: Node, plugin: plugin_base.Resource | None
                         ) -> plugin_base.Resource | None:
    """Heat's prepare_for_replace: the old resource gives up what its
    replacement must take over (a server its ports, a port its fixed IPs),
    before the replacement is made.  A failure is logged: the replacement's
    create then says what it could not take.  The plugin that prepared
    (its data is kept on the old row), or the one given."""
    row = node.row
    if row['physical_resource_id'] is None:
        return plugin
    try:
        if plugin is None:
            plugin = node.plugin(row['type'], row['properties_data'] or {})
        prepare = getattr(plugin, 'prepare_for_replace', None)
        if prepare is not None:
            prepare()
    except Exception as exc:  # the old resource's trouble, not the update's
        LOG.warning('resource %s of stack %s: preparing its replacement '
                    'failed: %s', row['name'], node.stack_id, exc)
    return plugin


def _replacement_reason(node: Node, defn) -> str:
    return ('The Resource %s "%s" [%s] Stack "%s" [%s] requires '
            'replacement.' % (defn.type, node.row['name'],
                              node.row['physical_resource_id'] or '',
                              node.stack['name'], node.stack_id))


# --- failures before any action ------------------------------------------------

def _fail_before_action(node: Node, reason: str) -> outcomes.Outcome:
    """The definition cannot be acted on (bad properties): the row FAILS."""
    action = Action.CREATE if node.row['action'] == Action.INIT else (
        Action.UPDATE)
    if not node.acquire(states.begin(action)):
        return outcomes.WAITING
    ended_at = node_events.end_time()
    if not node.release(states.finished(reason)):
        return outcomes.LOST
    node_events.failed(node, action, reason, ended_at)
    return outcomes.failed(action, reason)


def _fail_restricted(node: Node, reason: str,
                     failure: str) -> outcomes.Outcome:
    """The environment forbids the change: the resource stays as it is."""
    node_events.failed(node, Action.UPDATE, reason)
    return outcomes.failed(Action.UPDATE, failure)
