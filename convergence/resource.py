"""One resource row's actions under the row lock: create, update, replace, delete.

The lock is the row's ``engine_id``.  A trigger that finds the row locked is
not dropped: it is parked on the row (``pending_trigger``) and the holder
re-sends it when it releases the lock, so a newer traversal always gets its
turn once the older worker is done, whichever engine that worker runs on.
"""

import logging

from convergence import exceptions
from convergence.definitions import ATTRIBUTE_ERRORS
from convergence import resources
from convergence.resources import base as plugin_base
from convergence.resources import runner
from convergence.resources import template_resource

LOG = logging.getLogger(__name__)

ACQUIRED, DEFERRED, STALE = 'acquired', 'deferred', 'stale'
# Lock attempts before the trigger is sent round the queue again instead.
# An attempt fails only when the row changed between the read and the swap
# (its holder released just then, or another trigger parked first); one or
# two retries settle that.  Ten bounds a row that keeps changing to about
# twenty short transactions, after which the trigger waits in the queue
# behind other work instead of spinning here.
LOCK_ATTEMPTS = 10


class RowLock:
    """Acquire and release a resource row's lock for one traversal node."""

    def __init__(self, rt):
        self._rt = rt

    def acquire(self, row: dict, traversal_id: str, is_update: bool,
                data: dict, values: dict) -> str:
        """Lock ``row`` (writing ``values`` with it) or park the trigger.

        Returns ACQUIRED (``row`` is updated in place), DEFERRED (the holder
        will re-send this trigger) or STALE (the traversal no longer runs).
        """
        db = self._rt.db
        for _ in range(LOCK_ATTEMPTS):
            if db.resource_lock(row, self._rt.engine_id, traversal_id, values):
                row.update(values, engine_id=self._rt.engine_id,
                           atomic_key=row['atomic_key'] + 1)
                return ACQUIRED
            fresh = db.resource_and_stack(row['id'])
            if fresh is None:
                return STALE
            fresh_row, stack = fresh
            if (stack['current_traversal'] != traversal_id
                    or stack['failure_reason'] is not None
                    or stack['deleted_at'] is not None):
                return STALE
            row.update(fresh_row)
            if fresh_row['engine_id'] is None:
                continue
            awaiting = fresh_row['awaiting']
            if awaiting and awaiting['traversal_id'] != traversal_id:
                # No worker holds the row, only an older traversal's wait
                # for a child stack: this newer node carries on from here.
                if self.take_over(row, values):
                    return ACQUIRED
                continue
            if self._park(fresh_row, traversal_id, is_update, data):
                return DEFERRED
        self._rt.messenger.cast_check_resource(row['id'], traversal_id, data,
                                               is_update)
        return DEFERRED

    def take_over(self, row: dict, values: dict) -> bool:
        """Take the lock of a row that awaits a child stack's operation.

        Whoever wakes such a row (the child's verdict, a newer traversal's
        node) becomes its holder, writing ``values``; only one of them
        wins.  ``row`` is updated in place.
        """
        taken = dict(values, engine_id=self._rt.engine_id, awaiting=None,
                     atomic_key=row['atomic_key'] + 1)
        if not self._rt.db.resource_cas(
                row['id'], {'engine_id': row['engine_id'],
                            'atomic_key': row['atomic_key'],
                            'awaiting': row['awaiting']}, taken):
            return False
        row.update(taken)
        return True

    def _park(self, row, traversal_id, is_update, data) -> bool:
        trigger = {'traversal_id': traversal_id, 'is_update': is_update,
                   'data': data}
        return self._rt.db.resource_cas(
            row['id'], {'engine_id': row['engine_id']},
            {'pending_trigger': trigger, 'updated_at': row['updated_at']})

    def stamp(self, row: dict, values: dict) -> dict:
        """What a lock and its release at once write: ``values``, the row
        unlocked and no longer awaiting anything, at the atomic key the
        release would leave (``acquire``, then ``release_swap``)."""
        return dict(values, awaiting=None, engine_id=None,
                    atomic_key=row['atomic_key'] + 2)

    def record(self, row: dict, values: dict) -> bool:
        """Write ``values`` to ``row`` while this engine holds it, keeping
        the lock and its atomic key (the release that ends the action
        still matches).  False when the row is no longer this engine's."""
        expected = {'engine_id': self._rt.engine_id,
                    'atomic_key': row['atomic_key']}
        if self._rt.db.resource_cas(row['id'], expected, values):
            row.update(values)
            return True
        LOG.warning('resource %s: not this engine\'s any more; its '
                    'physical id %s was not recorded', row['id'],
                    values.get('physical_resource_id'))
        return False

    def release_swap(self, row: dict, values: dict) -> tuple[dict, dict]:
        """The (expected, new values) of the swap that releases ``row``.

        It wins only if this engine still holds the row at the atomic key it
        wrote and no trigger was parked meanwhile; ``release`` handles the
        rest.  sync_point.release_and_report makes the same swap in the
        transaction of the node's reports.
        """
        expected = {'engine_id': self._rt.engine_id, 'pending_trigger': None,
                    'atomic_key': row['atomic_key']}
        return expected, dict(values, engine_id=None,
                              atomic_key=row['atomic_key'] + 1)

    def release(self, row: dict, values: dict) -> bool:
        """Write ``values``, unlock, and re-send any trigger parked meanwhile.

        False if the lock was taken from this engine (recovery judged it
        gone): whoever holds the row now carries on, so this node's result
        must not be propagated.
        """
        db = self._rt.db
        me = self._rt.engine_id
        expected, values = self.release_swap(row, values)
        if db.resource_cas(row['id'], expected, values):
            row.update(values)
            return True
        while True:
            fresh = db.resource_get(row['id'])
            if fresh is None or fresh['engine_id'] != me:
                LOG.warning('lock on resource %s was taken from this engine',
                            row['id'])
                return False
            parked = fresh['pending_trigger']
            values['atomic_key'] = fresh['atomic_key'] + 1
            if db.resource_cas(row['id'], {'engine_id': me,
                                           'pending_trigger': parked},
                               dict(values, pending_trigger=None)):
                row.update(values)
                if parked:
                    self._rt.messenger.cast_check_resource(
                        row['id'], parked['traversal_id'], parked['data'],
                        parked['is_update'])
                return True


def make_plugin(row: dict, stack: dict, type_name: str,
                properties: dict, clock, definition=None,
                nested_outputs: dict | None = None,
                software_configs=None, agents=None,
                clouds=None) -> plugin_base.Resource:
    """The plugin object for ``row``, ready to act with ``properties``.

    ``definition`` (the stack definition the row converges to) gives a
    nested stack resource what its child inherits; ``nested_outputs`` are
    its child's outputs once the child converged; ``software_configs`` is
    the store the config types' actions write to; ``agents`` the
    engine-served URLs' settings (software_config.agent_urls); ``clouds``
    (cloud_ports.Clouds) gives the cloud types the stack's cloud.
    """
    cls = plugin_class(type_name, definition)
    context = plugin_base.ResourceContext(
        stack_name=stack['name'], stack_id=stack['id'],
        resource_name=row['name'], resource_uuid=row['uuid'],
        resource_id=row['physical_resource_id'] or None,
        data=dict(row['rsrc_data'] or {}), clock=clock,
        resource_type=type_name, tenant=stack.get('tenant') or '',
        software_configs=software_configs, agents=agents)
    if clouds is not None:
        context.cloud_source = lambda: clouds.for_stack(stack)
        context.stack_users_source = lambda: clouds.stack_users(stack)
    nested = getattr(cls, 'nested', False)
    if definition is not None and (
            nested or getattr(cls, 'inherits_stack_environment', False)):
        context.environment = definition.environment.user_dict()
        context.files = definition.template.files
    if nested and definition is not None:
        context.referenced_attributes = frozenset(
            definition.referenced_attributes(row['name']))
        context.nested_outputs = nested_outputs
    return cls(row['name'], properties, context)


def run_plugin_action(plugin, action: str, **kwargs):
    """Run one action; returns None on success or the failure reason, or
    the ``Await`` the plugin's handler returned (it waits for a signal).

    UpdateReplace passes through: the caller replaces the resource.
    """
    return _failure_of(plugin, action, lambda: runner.run_action(
        plugin, action, plugin.context.clock, **kwargs))


def run_plugin_restore(plugin, entry: dict) -> str | None:
    """Bring a resource back from its snapshot ``entry`` (a create of a
    RESTORE); None on success or the failure reason."""
    return _failure_of(plugin, 'CREATE', lambda: runner.run_restore(
        plugin, plugin.context.clock, entry))


def run_plugin_snapshot_delete(plugin, state: tuple) -> str | None:
    """Delete a resource whose deletion policy is "Snapshot": the type's
    ``handle_snapshot_delete(state)`` (and ``check_snapshot_delete_complete``)
    snapshots it and deletes it, as in Heat; ``state`` is the row's (action,
    status) before.  None on success or the failure reason."""
    return _failure_of(plugin, 'DELETE', lambda: runner.run_snapshot_delete(
        plugin, plugin.context.clock, state))


def _failure_of(plugin, action: str, run):
    try:
        return run()
    except exceptions.ResourceFailure as exc:
        return exc.message
    except exceptions.Timeout:
        return 'Timed out'
    except exceptions.ActionCancelled:
        return '%s aborted' % action
    return None


def plugin_class(type_name: str, definition=None) -> type:
    """The plugin class of a row's type (in ``definition``'s files).

    Raises:
        ResourceTypeNotFound: no such type (and no template type either).
    """
    files = definition.template.files if definition is not None else {}
    try:
        return resources.get_class(type_name, files)
    except exceptions.ResourceTypeNotFound:
        if not template_resource.is_template_type(type_name):
            raise
        # The goal no longer has the row's provider template: its child
        # can still be deleted.
        return template_resource.TemplateResource


def stored_state(plugin) -> dict:
    """The columns a finished action writes back from the plugin."""
    return {'physical_resource_id': plugin.context.resource_id or '',
            'rsrc_data': plugin.context.data}


def attribute_cache(plugin, names: set[str]) -> dict:
    """What dependants and outputs read of this resource: ref and attributes."""
    if '*' in names:
        names = set(plugin.attributes_schema or ()) | (names - {'*'})
    attrs, errors = {}, {}
    for name in sorted(names):
        try:
            attrs[name] = plugin.get_attribute(name)
        except exceptions.TemplateOutputError as exc:
            # A child's output that failed: whoever reads it fails too.
            attrs[name] = None
            errors[name] = exc.message
        except Exception as exc:  # an attribute error must not fail the node
            LOG.info('attribute %s of %s unavailable: %s', name, plugin.name,
                     exc)
            attrs[name] = None
    cache = {'ref': plugin.get_reference_id(), 'attrs': attrs}
    if errors:
        cache[ATTRIBUTE_ERRORS] = errors
    return cache
