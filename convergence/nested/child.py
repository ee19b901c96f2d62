"""A nested row's action: hand the row's lock to its child stack's operation.

Under the row lock the node builds the child's goal from the plugin
(template, environment, files), validates it, records on the row what it
awaits (``awaiting``: the child, the parent's traversal, the action and the
columns the row gets when the action ends) and only then starts the
child's traversal: whenever the child reaches its verdict, even at once,
the record is there for ``resume`` to find.

A suspend, resume or check runs the same operation on the child
(``in_place``).

A child operation started again supersedes the one still running (the
child's traversal is swapped like any stack's): an update during an update,
a rollback or a delete reaches every level by the same path.
"""

import enum
import re
import uuid

from convergence import definitions
from convergence import exceptions
from convergence import stack as stack_ops
from convergence import states
from convergence import template as tmpl
from convergence.engine import adopt_data
from convergence.engine import stack_input
from convergence.nested import batches
from convergence.resources import failures

Action, Status = states.Action, states.Status


class Handover(enum.Enum):
    """What a nested row's action returns instead of a failure or None."""

    AWAITING = 'awaiting'   # the child's operation runs; its verdict resumes
    LOST = 'lost'           # the row's lock was taken from this engine


def perform(node, action: Action, final: dict | None = None):
    """The ``locked_run`` perform of a nested row's ``action``."""
    if action == Action.DELETE:
        return lambda plugin: delete(node, plugin, final)
    if action in states.IN_PLACE_ACTIONS:
        return lambda plugin: in_place(node, plugin, action)
    return lambda plugin: converge(node, plugin, action, final)


def converge(node, plugin, action: Action, final: dict | None,
             batch: batches.Batch | None = None):
    """Create or update the child stack to the plugin's goal.

    ``batch``: the batch to run next of an action that goes in batches;
    without it, the first batch when the plugin's update policy asks for
    batches (``nested/batches``), else the whole goal at once.
    """
    rt = node.rt
    existing = rt.db.stack_get(plugin.resource_id) if plugin.resource_id \
        else None
    if existing is not None and existing['deleted_at'] is not None:
        existing = None
    child_id = existing['id'] if existing else str(uuid.uuid4())
    name = existing['name'] if existing else plugin.physical_resource_name()
    try:
        if batch is None:
            batch = batches.first(node, plugin, action, existing)
    except exceptions.ResourceFailure as exc:
        return exc.message
    try:
        goal = _goal(node, plugin, child_id, name, batch)
    except exceptions.ConvergenceError as exc:
        return in_parent(node.row['name'], exc.message)
    if not _await(node, plugin, child_id, action, final, batch):
        return Handover.LOST
    template_id = rt.db.raw_template_create(
        child_id, goal['template'], goal['environment'], goal['files'],
        goal['facade'])
    rt.definitions.remember(template_id, goal['definition'], {
        k: goal[k] for k in ('template', 'environment', 'files')})
    timeout = {} if batch is None else {'timeout': batch.timeout}
    if existing is None:
        child_action = Action.ADOPT if action == Action.ADOPT else (
            Action.CREATE)
        try:
            problem = _new_child(node, goal, child_id, name, template_id,
                                 child_action, timeout)
        except exceptions.ConvergenceError as exc:
            problem = exc.message
        if problem is not None:
            return _abandon(node, problem)
        return Handover.AWAITING
    if existing['action'] == Action.CREATE and (
            existing['status'] != Status.COMPLETE):
        child_action = Action.CREATE
    else:
        child_action = Action.UPDATE
    try:
        stack_ops.start(rt, existing, child_action, template_id, timeout)
    except exceptions.ConvergenceError as exc:
        return _abandon(node, exc.message)
    return Handover.AWAITING


def delete(node, plugin, final: dict | None):
    """Delete the child stack; nothing to do when there is none."""
    rt = node.rt
    child = (rt.db.stack_get(plugin.resource_id, show_deleted=False)
             if plugin.resource_id else None)
    if child is None:
        return None
    if not _await(node, plugin, child['id'], Action.DELETE, final):
        return Handover.LOST
    empty = stack_ops.store_empty_template(rt, child)
    try:
        stack_ops.start(rt, child, Action.DELETE, empty, stop_older=True)
    except exceptions.ConvergenceError as exc:
        return _abandon(node, exc.message)
    return Handover.AWAITING


def snapshot(node, plugin):
    """Snapshot the child stack by its own SNAPSHOT traversal (whose id is
    the child's snapshot's); its verdict resumes the node."""
    # Imported here: snapshots starts traversals, as this module does.
    from convergence import snapshots
    rt = node.rt
    existing = rt.db.stack_get(plugin.resource_id, show_deleted=False)
    if not _await(node, plugin, existing['id'], Action.SNAPSHOT, None):
        return Handover.LOST
    try:
        snapshots.take(rt, existing, None)
    except exceptions.ConvergenceError as exc:
        return _abandon(node, in_parent(node.row['name'], exc.message))
    return Handover.AWAITING


def restore(node, snapshot_id: str, final: dict):
    """The perform of a nested row's restore: the child stack restores its
    own snapshot ``snapshot_id`` (a RESTORE traversal); without that
    snapshot any more, the child is updated to the plugin's goal."""
    from convergence import snapshots  # see snapshot()

    def perform(plugin):
        rt = node.rt
        existing = rt.db.stack_get(plugin.resource_id, show_deleted=False)
        snapshot = rt.db.snapshot_get(snapshot_id)
        if existing is None or snapshot is None or (
                snapshot['stack_id'] != existing['id']):
            return converge(node, plugin, Action.UPDATE, final)
        facade = _facade(node)

        def goal(data: dict) -> int:
            return _restore_goal(node, existing, snapshot_id, data, facade)
        if not _await(node, plugin, existing['id'], Action.UPDATE, final):
            return Handover.LOST
        try:
            snapshots.restore(rt, existing, snapshot, goal)
        except exceptions.ConvergenceError as exc:
            return _abandon(node, in_parent(node.row['name'], exc.message))
        return Handover.AWAITING
    return perform


def _restore_goal(node, existing: dict, snapshot_id: str, data: dict,
                  facade: dict) -> int:
    """Store the child snapshot's template as the child's goal, validated
    as any child's; returns its id."""
    rt, settings = node.rt, node.rt.settings
    template = data['template']
    environment, files = data.get('environment') or {}, data.get(
        'files') or {}
    definition = stack_input.definition(
        template, environment, files,
        (existing['id'], existing['name'], existing['tenant']), facade)
    stack_input.validate(definition, settings.max_resources_per_stack,
                         settings.max_nested_stack_depth
                         - (existing['nested_depth'] or 0))
    template_id = rt.db.raw_template_create(
        existing['id'], template, environment, files, facade, snapshot_id)
    rt.definitions.remember(template_id, definition, {
        'template': template, 'environment': environment, 'files': files})
    return template_id


def in_place(node, plugin, action: Action):
    """Suspend, resume or check the child stack, as its parent is.

    Its resources act before the parent's row finishes: the child's
    verdict ends the row's action.
    """
    rt = node.rt
    child = (rt.db.stack_get(plugin.resource_id, show_deleted=False)
             if plugin.resource_id else None)
    if child is None:
        return failures.resource_failure(
            node.row['name'], 'Error', 'Cannot %s %s, stack not created' % (
                action.lower(), node.row['name'])).message
    if not _await(node, plugin, child['id'], action, None):
        return Handover.LOST
    try:
        stack_ops.start(rt, child, action, child['raw_template_id'])
    except exceptions.ConvergenceError as exc:
        return _abandon(node, exc.message)
    return Handover.AWAITING


def _goal(node, plugin, child_id: str, name: str,
          batch: batches.Batch | None) -> dict:
    """The child's template, environment, files and validated definition:
    the plugin's, or the ``batch``'s.

    Raises:
        ConvergenceError: the child would be too deep or is invalid.
    """
    settings = node.rt.settings
    depth = (node.stack['nested_depth'] or 0) + 1
    if depth > settings.max_nested_stack_depth:
        raise exceptions.RequestLimitExceeded(
            message='Recursion depth exceeds %d.'
                    % settings.max_nested_stack_depth)
    identity = (child_id, name, node.stack['tenant'])
    if batch is None:
        goal = goal_of(plugin, identity, _facade(node))
    else:
        facade = _facade(node) if batch.facade is None else batch.facade
        goal = goal_of(plugin, identity, facade, batch.template,
                       batch.files)
    # The depth left below the child: its own children are checked too.
    stack_input.validate(goal['definition'], settings.max_resources_per_stack,
                         settings.max_nested_stack_depth - depth)
    _check_tree_size(node, child_id,
                     len(goal['definition'].resource_names()))
    return goal


def goal_of(plugin, identity: tuple, facade: dict,
            template: dict | None = None, files: dict | None = None) -> dict:
    """The child's template, environment, files, facade and definition as
    ``plugin`` makes them (``template`` and ``files``: a batch's instead);
    not validated.

    ``identity``: the child's (id, name, tenant).
    """
    if template is None:
        template, files = plugin.child_template(), plugin.child_files()
    environment = plugin.child_environment()
    definition = stack_input.definition(template, environment, files,
                                        identity, facade)
    return {'template': template, 'environment': environment,
            'files': files, 'facade': facade, 'definition': definition}


def _facade(node) -> dict:
    """The parent resource as the child's ``resource_facade`` reads it,
    resolved from the trigger's data as the row's properties are."""
    defn = node.definition.resource_definition(node.row['name'])
    return facade_of(defn, definitions.TriggerDataResolver(node.data))


def facade_of(defn, resolver) -> dict:
    """What ``resource_facade`` reads of the resource ``defn`` defines,
    resolved with ``resolver``; an update policy still unresolved reads as
    none."""
    facade = defn.facade(resolver)
    if tmpl.contains_unresolved(facade['update_policy']):
        facade['update_policy'] = {}
    return facade


def _check_tree_size(node, child_id: str, child_resources: int) -> None:
    """``max_resources_per_stack`` bounds the whole tree, as in Heat: the
    child's resources and every live row of the tree outside the child's
    own subtree."""
    limit = node.rt.settings.max_resources_per_stack
    if limit < 0:
        return
    db, parent = node.rt.db, node.stack
    root_id = parent['root_stack_id'] or parent['id']
    owners = {s['id']: s['owner_id'] for s in
              db.stack_list(None, filters={'root_stack_id': root_id})}
    owners[root_id] = None

    def in_child(stack_id):
        while stack_id is not None:
            if stack_id == child_id:
                return True
            stack_id = owners.get(stack_id)
        return False
    counted = db.resources_progress([s for s in owners if not in_child(s)])
    if sum(counted.values()) + child_resources > limit:
        raise exceptions.RequestLimitExceeded(
            message='You have reached the maximum resources per stack, %d. '
                    'Please delete some resources.' % limit)


def _await(node, plugin, child_id: str, action: Action,
           final: dict | None, batch: batches.Batch | None = None) -> bool:
    """Record on the row (still locked by this node) what it awaits."""
    row = node.row
    awaiting = {'stack_id': child_id, 'traversal_id': node.traversal_id,
                'is_update': node.is_update, 'action': action,
                'final': final or {}}
    if batch is not None:
        awaiting[batches.BATCHES] = batch.record
    # The plugin's data as building the child left it (a group's removed
    # names): resume rebuilds the plugin from the row.
    values = {'physical_resource_id': child_id,
              'rsrc_data': dict(plugin.context.data),
              'awaiting': awaiting}
    expected = {'engine_id': node.rt.engine_id,
                'atomic_key': row['atomic_key']}
    if not node.rt.db.resource_cas(row['id'], expected, values):
        return False
    row.update(values)
    plugin.context.resource_id = child_id
    return True


def _abandon(node, reason: str) -> str:
    """The child's operation could not start: the row stops awaiting it."""
    row = node.row
    if node.rt.db.resource_cas(
            row['id'], {'engine_id': node.rt.engine_id,
                        'atomic_key': row['atomic_key']}, {'awaiting': None}):
        row['awaiting'] = None
    return reason


def _new_child(node, goal: dict, child_id: str, name: str, template_id: int,
               action: Action, timeout: dict) -> str | None:
    """Store the new child stack (an adopted one with its first rows, from
    the nested row's entry) and start its operation; None, or why the
    entry does not fit."""
    rt = node.rt
    row = dict(_child_row(node, child_id, name, template_id, action),
               **timeout)
    if action != Action.ADOPT:
        stack_ops.start_new(rt, row)
        return None
    adopt = adopt_data.child_adopt(node.row['adopt_data'])
    try:
        adopt_data.check(goal['definition'], adopt)
    except exceptions.ConvergenceError as exc:
        return in_parent(node.row['name'], exc.message)
    child = rt.db.stack_create(row)
    rt.db.resources_create(adopt_data.seeded_rows(goal['definition'], adopt,
                                                  child))
    stack_ops.start(rt, child, action, template_id, timeout)
    return None


def _child_row(node, child_id: str, name: str, template_id: int,
               action: Action = Action.CREATE) -> dict:
    parent, row = node.stack, node.row
    return {'id': child_id, 'name': name, 'tenant': parent['tenant'],
            'username': parent['username'],
            'raw_template_id': template_id,
            'current_traversal': str(uuid.uuid4()),
            'action': action, 'status': Status.IN_PROGRESS,
            'status_reason': 'Stack %s started' % action,
            'timeout': parent['timeout'],
            # The parent decides about rollback, for the whole tree.
            'disable_rollback': True, 'rollback_on_failure': False,
            'tags': None, 'owner_id': parent['id'],
            'owner_resource_id': row['id'], 'parent_resource': row['name'],
            'root_stack_id': parent['root_stack_id'] or parent['id'],
            'nested_depth': (parent['nested_depth'] or 0) + 1,
            # The tree acts with its root's credentials (trust).
            'user_creds_id': parent.get('user_creds_id')}


# A resource path where a message names one: at its start or after ": ".
_FIRST_PATH = re.compile(r'(^|: )resources\.')


def in_parent(resource_name: str, message: str) -> str:
    """A child's error message with its resource path seen from the parent:
    ``resources.oops: ...`` becomes ``resources.<name>.resources.oops: ...``;
    a message without a path gets ``resources.<name>: `` in front."""
    if _FIRST_PATH.search(message):
        return _FIRST_PATH.sub(
            lambda m: '%sresources.%s.resources.' % (m.group(1),
                                                     resource_name),
            message, count=1)
    return 'resources.%s: %s' % (resource_name, message)
