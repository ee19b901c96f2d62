"""heat-engine's snapshot calls: take, list, show, delete, restore.

The work is in ``convergence.snapshots``; these are the RPC methods, with
heat-engine's names, arguments and result shapes (``format_snapshot``).
"""

from convergence import exceptions
from convergence import snapshots
from convergence.engine import format as fmt
from convergence.engine import stack_input


class SnapshotCalls:
    """A mixin of EngineService (which gives ``rt``, ``conf``, ``_stack``
    and ``_check_updatable``)."""

    def stack_snapshot(self, ctxt, stack_identity, name):
        stack = self._stack(ctxt, stack_identity)
        self._check_snapshot_limit(ctxt, stack)
        return fmt.format_snapshot(
            snapshots.take(self.rt, stack, name))

    def _check_snapshot_limit(self, ctxt, stack: dict) -> None:
        # As Heat: an admin request is not limited.
        limit = self.conf.max_snapshots_per_stack
        if getattr(ctxt, 'is_admin', False) or limit < 0:
            return
        if len(self.rt.db.snapshots_of_stack(stack['id'])) >= limit:
            raise exceptions.RequestLimitExceeded(
                message='You have reached the maximum snapshots per stack, '
                        '%d. Please delete some snapshots.' % limit)

    def show_snapshot(self, ctxt, stack_identity, snapshot_id):
        stack = self._stack(ctxt, stack_identity)
        return fmt.format_snapshot(
            snapshots.get(self.rt, stack, snapshot_id))

    def delete_snapshot(self, ctxt, stack_identity, snapshot_id):
        stack = self._stack(ctxt, stack_identity)
        snapshots.delete(self.rt, stack,
                         snapshots.get(self.rt, stack, snapshot_id))

    def stack_list_snapshots(self, ctxt, stack_identity):
        stack = self._stack(ctxt, stack_identity)
        return [fmt.format_snapshot(s)
                for s in self.rt.db.snapshots_of_stack(stack['id'])]

    def stack_restore(self, ctxt, stack_identity, snapshot_id):
        stack = self._stack(ctxt, stack_identity)
        self._check_updatable(stack)
        snapshot = snapshots.get(self.rt, stack, snapshot_id)

        def goal(data: dict) -> int:
            return self._restore_goal(stack, snapshot_id, data)
        snapshots.restore(self.rt, stack, snapshot, goal)

    def _restore_goal(self, stack: dict, snapshot_id: str, data: dict) -> int:
        """Store the snapshot's template as the restore's goal, validated
        as an update's; returns its id."""
        parsed = stack_input.parse(data['template'],
                                   self.conf.max_template_size)
        environment, files = data.get('environment') or {}, data.get(
            'files') or {}
        stack_def = stack_input.definition(
            parsed, environment, files,
            (stack['id'], stack['name'], stack['tenant']))
        stack_input.validate(stack_def, self.conf.max_resources_per_stack,
                             self.conf.max_nested_stack_depth)
        template_id = self.rt.db.raw_template_create(
            stack['id'], parsed, environment, files, snapshot_id=snapshot_id)
        self.rt.definitions.remember(template_id, stack_def, {
            'template': parsed, 'environment': environment, 'files': files})
        return template_id
