"""EngineService: heat-engine's RPC API (topic ``engine``), the operations.

Methods and keyword arguments are heat-engine's (docs/engine-rpc.md), so a
real heat-api can sit in front of us.  Read-only calls live in
``engine.queries``; this module holds the calls that start traversals.
"""

import logging
import uuid

import oslo_messaging

from convergence import abandon
from convergence.clients import errors as cloud_errors
from convergence.clients import validation as cloud_validation
from convergence import abandon_data
from convergence import definitions
from convergence import exceptions
from convergence import stack as stack_ops
from convergence import stack_names
from convergence import states
from convergence.engine import adopt_data
from convergence.engine import catalog
from convergence.engine import deployment_signals
from convergence.engine import format as fmt
from convergence.engine import health
from convergence.engine import preview
from convergence.engine import preview_update
from convergence.engine import queries
from convergence.engine import signals
from convergence.engine import snapshot_calls
from convergence.engine import software_config_calls
from convergence.engine import stack_input
from convergence.engine import type_availability
from convergence.engine import type_policy
from convergence.engine import views
from db.api import utcnow

LOG = logging.getLogger(__name__)

RPC_API_VERSION = '1.36'

Action, Status = states.Action, states.Status


class EngineService(queries.StackQueries, catalog.CatalogQueries,
                    snapshot_calls.SnapshotCalls,
                    software_config_calls.SoftwareConfigCalls,
                    deployment_signals.DeploymentSignals):
    target = oslo_messaging.Target(version=RPC_API_VERSION)

    def __init__(self, rt, conf):
        super().__init__(rt, conf)
        self.rt = rt
        self.conf = conf

    # --- create ---------------------------------------------------------------

    def create_stack(self, ctxt, stack_name, template, params, files, args,
                     environment_files=None, files_container=None,
                     owner_id=None, nested_depth=0, user_creds_id=None,
                     stack_user_project_id=None, parent_resource_name=None,
                     template_id=None):
        new = self._new_stack(ctxt, stack_name, template, params, files,
                              args, environment_files, str(uuid.uuid4()))
        # Every argument is checked before anything is stored: a rejected
        # request must leave no template row behind.
        row = new['row']
        row['user_creds_id'] = self._stack_creds(ctxt, row['id'])
        row['raw_template_id'] = self.rt.db.raw_template_create(
            row['id'], new['template'], new['environment'], new['files'])
        self.rt.definitions.remember(row['raw_template_id'],
                                     new['definition'], {
            'template': new['template'], 'environment': new['environment'],
            'files': new['files']})
        if new['adopt'] is None:
            return fmt.stack_identity(stack_ops.start_new(self.rt, row))
        stack = self.rt.db.stack_create(row)
        self.rt.db.resources_create(adopt_data.seeded_rows(
            new['definition'], new['adopt'], stack))
        stack_ops.start(self.rt, stack, row['action'], row['raw_template_id'])
        return fmt.stack_identity(stack)

    def _stack_creds(self, ctxt, stack_id: str) -> str | None:
        """The new stack's credentials: a trust from the requesting user
        to the engine (clients/trusts.py), None in noauth mode.

        Raises:
            Forbidden: Keystone refused the trust (Keystone's message).
        """
        if self.rt.clouds is None:
            return None
        try:
            return self.rt.clouds.stack_creds_create(ctxt, stack_id)
        except (cloud_errors.CloudError, cloud_errors.CloudUnavailable) as exc:
            raise exceptions.Forbidden(
                'The stack\'s deferred operations need a Keystone trust, '
                'which could not be created: %s' % exc) from exc

    def _request_cloud(self, ctxt):
        """What builds the requesting user's cloud for the validation's
        constraints (clients/validation.py); None without a token."""
        if self.rt.clouds is None or not getattr(ctxt, 'auth_token', None):
            return None
        return lambda: self.rt.clouds.for_request(ctxt)

    def preview_stack(self, ctxt, stack_name, template, params, files, args,
                      environment_files=None, files_container=None):
        """The stack a create would make, checked as a create is, with its
        resources (``engine/preview.py``); nothing is stored."""
        new = self._new_stack(ctxt, stack_name, template, params, files,
                              args, environment_files, preview.UNSTORED_ID)
        stack_def, row = new['definition'], new['row']
        row['created_at'] = utcnow()
        result = fmt.format_stack(
            row, stack_def.parameters_for_display(),
            stack_def.template.description,
            queries.output_list(stack_def,
                                definitions.TriggerDataResolver({})),
            preview=True)
        result['resources'] = preview.new_stack_resources(
            self.rt, stack_def,
            preview.unstored_stack(stack_name, ctxt.project_id))
        return result

    def _new_stack(self, ctxt, stack_name, template, params, files, args,
                   environment_files, stack_id: str) -> dict:
        """What a create checks before it stores anything: the new stack's
        row (its template id still missing), template, environment, files
        and validated definition."""
        stack_names.validate(stack_name)
        args = args or {}
        adopt = None
        if 'adopt_stack_data' in args:
            if not self.conf.enable_stack_adopt:
                raise exceptions.NotSupported(feature='Stack Adopt')
            adopt = adopt_data.parse(args['adopt_stack_data'])
            params = adopt_data.with_parameters(params, adopt)
        tenant = ctxt.project_id
        if self.rt.db.stack_get_by_name(tenant, stack_name):
            raise exceptions.StackExists(stack_name=stack_name)
        self._check_stack_limit(ctxt)
        parsed = stack_input.parse(template, self.conf.max_template_size)
        environment = stack_input.with_environment_files(
            params, environment_files, files, parsed)
        stack_def = stack_input.definition(
            parsed, environment, files, (stack_id, stack_name, tenant))
        catalog = type_availability.catalog_of(self.rt, ctxt)
        type_availability.check_definition(stack_def, catalog)
        type_policy.check_definition(self.conf, ctxt, stack_def)
        with cloud_validation.validating_with(self._request_cloud(ctxt)), \
                type_availability.checking_children_with(catalog):
            stack_input.validate(stack_def, self.conf.max_resources_per_stack,
                                 self.conf.max_nested_stack_depth)
        if adopt is not None:
            adopt_data.check(stack_def, adopt)
        action = Action.CREATE if adopt is None else Action.ADOPT
        return {'row': _new_stack_row(ctxt, stack_id, stack_name, args,
                                      action),
                'template': parsed, 'environment': environment,
                'files': files, 'definition': stack_def, 'adopt': adopt}

    def _check_stack_limit(self, ctxt) -> None:
        # As Heat, the stacks a plain list counts: neither nested nor
        # hidden ones.
        limit = self.conf.max_stacks_per_tenant
        if limit >= 0 and self.count_stacks(ctxt) >= limit:
            raise exceptions.RequestLimitExceeded(
                message='You have reached the maximum stacks per tenant, %d.'
                        ' Please delete some stacks.' % limit)

    # --- update ---------------------------------------------------------------

    def update_stack(self, ctxt, stack_identity, template, params, files,
                     args, environment_files=None, files_container=None,
                     template_id=None):
        update = self._update(ctxt, stack_identity, template, params, files,
                              args, environment_files)
        stack = update['stack']
        new_template_id = self.rt.db.raw_template_create(
            stack['id'], update['template'], update['environment'],
            update['files'])
        self.rt.definitions.remember(new_template_id, update['definition'], {
            'template': update['template'],
            'environment': update['environment'], 'files': update['files']})
        stack_ops.start(self.rt, stack, Action.UPDATE, new_template_id,
                        update['values'])
        return fmt.stack_identity(stack)

    def preview_update_stack(self, ctxt, stack_identity, template, params,
                             files, args, environment_files=None,
                             files_container=None):
        """What the update would do to each resource, checked as an update
        is (``engine/preview_update.py``); nothing is stored."""
        update = self._update(ctxt, stack_identity, template, params, files,
                              args, environment_files)
        show_nested = stack_input.extract_bool(
            'show_nested', (args or {}).get('show_nested', False))
        return preview_update.changes(self, update['stack'],
                                      update['definition'], show_nested)

    def _update(self, ctxt, stack_identity, template, params, files, args,
                environment_files) -> dict:
        """What an update checks before it stores anything: the stack row,
        the new template, environment, files, validated definition and the
        stack values the request changes."""
        stack = self._stack(ctxt, stack_identity)
        self._check_updatable(stack)
        args = args or {}
        existing = stack_input.extract_bool('existing',
                                            args.get('existing', False))
        stored = self.rt.db.raw_template_get(stack['raw_template_id'])
        params = stack_input.with_environment_files(
            params, environment_files, files,
            stored['template'] if template is None else
            stack_input.parse(template, self.conf.max_template_size))
        parsed, environment, files = self._update_input(
            stored, template, params, files, args, existing)
        stack_def = stack_input.definition(
            parsed, environment, files,
            (stack['id'], stack['name'], stack['tenant']))
        catalog = type_availability.catalog_of(self.rt, ctxt)
        type_availability.check_definition(stack_def, catalog)
        type_policy.check_definition(self.conf, ctxt, stack_def)
        with cloud_validation.validating_with(self._request_cloud(ctxt)), \
                type_availability.checking_children_with(catalog):
            stack_input.validate(stack_def, self.conf.max_resources_per_stack,
                                 self.conf.max_nested_stack_depth)
        self._check_immutable(stack, stack_def)
        return {'stack': stack, 'template': parsed,
                'environment': environment, 'files': files,
                'definition': stack_def,
                'values': self._update_values(stack, args, existing)}

    def _check_updatable(self, stack: dict) -> None:
        if stack['action'] == 'SUSPEND':
            raise exceptions.NotSupported(
                feature='Updating a stack when it is suspended')
        if stack['action'] == Action.DELETE:
            raise exceptions.NotSupported(
                feature='Updating a stack when it is deleting')

    def _update_input(self, stored, template, params, files, args, existing):
        if existing:
            parsed = (stored['template'] if template is None else
                      stack_input.parse(template, self.conf.max_template_size))
            environment = stack_input.patched_environment(
                stored['environment'], params, args.get('clear_parameters'),
                parsed)
            merged_files = dict(stored['files'] or {})
            merged_files.update(files or {})
            return parsed, environment, merged_files
        if template is None:
            raise exceptions.BadRequest(reason='No template specified')
        parsed = stack_input.parse(template, self.conf.max_template_size)
        return parsed, dict(params or {}), files or {}

    def _update_values(self, stack: dict, args: dict, existing: bool) -> dict:
        """What the request changes; settings it does not mention stay."""
        values = {}
        if 'timeout_mins' in args:
            values['timeout'] = stack_input.extract_timeout(args)
        if 'disable_rollback' in args:
            values['disable_rollback'] = stack_input.extract_bool(
                'disable_rollback', args['disable_rollback'])
        if 'tags' in args:
            values['tags'] = args.get('tags') or None
        return values

    def _check_immutable(self, stack: dict, new_def) -> None:
        current = self.rt.definitions.get(stack['raw_template_id'], stack)
        changed = current.changed_immutable_parameters(new_def)
        if changed:
            raise exceptions.ImmutableParameterModified(
                keys=', '.join(changed))

    # --- delete and cancel ------------------------------------------------------

    def delete_stack(self, ctxt, stack_identity, cast=False):
        stack = self._stack(ctxt, stack_identity)
        empty = stack_ops.store_empty_template(self.rt, stack)
        stack_ops.start(self.rt, stack, Action.DELETE, empty, stop_older=True)
        return None

    def stack_cancel_update(self, ctxt, stack_identity,
                            cancel_with_rollback=True):
        stack = self._stack(ctxt, stack_identity)
        allowed = ((Action.UPDATE,) if cancel_with_rollback
                   else (Action.UPDATE, Action.CREATE))
        if (stack['status'] != Status.IN_PROGRESS
                or stack['action'] not in allowed):
            raise exceptions.NotSupported(
                feature='Cancelling update when stack is %s_%s' % (
                    stack['action'], stack['status']))
        if cancel_with_rollback:
            stack_ops.rollback(self.rt, stack)
        else:
            stack_ops.cancel_tree(self.rt, stack,
                                  'Stack %s cancelled' % stack['action'])
        return None

    def migrate_convergence_1(self, ctxt, stack_id):
        """heat-manage's migration of a legacy stack to convergence: every
        stack here converges already, so there is nothing to migrate
        (heat-engine's answer for a convergence stack); a nested stack is
        refused as heat-engine refuses it."""
        stack = self.rt.db.stack_get(stack_id, show_deleted=False)
        if stack is None:
            raise exceptions.EntityNotFound(entity='Stack', name=stack_id)
        if stack['owner_id'] is not None:
            raise exceptions.NotSupported(
                feature='Migration of nested stack %s' % stack_id)
        LOG.info('Convergence was already enabled for stack %s', stack_id)
        return None

    # --- signals ------------------------------------------------------------------

    def resource_signal(self, ctxt, stack_identity, resource_name, details,
                        sync_call=False):
        stack = self._stack(ctxt, stack_identity)
        rows = views.displayed_rows(self.rt.db.resources_of_stack(
            stack['id'], active_only=False, names=[resource_name]), stack)
        row = rows.get(resource_name)
        definition = self._definition(stack)
        if row is None:
            if resource_name in definition.resource_names():
                raise exceptions.ResourceNotAvailable(
                    resource_name=resource_name)
            raise exceptions.ResourceNotFound(resource_name=resource_name,
                                              stack_name=stack['name'])
        return signals.signal(self.rt, stack, row, definition, details,
                              sync_call)

    # --- in place: suspend, resume, check -----------------------------------------

    def stack_suspend(self, ctxt, stack_identity):
        self._in_place(ctxt, stack_identity, Action.SUSPEND)

    def stack_resume(self, ctxt, stack_identity):
        self._in_place(ctxt, stack_identity, Action.RESUME)

    def stack_check(self, ctxt, stack_identity):
        self._in_place(ctxt, stack_identity, Action.CHECK)

    def _in_place(self, ctxt, stack_identity, action: Action) -> None:
        """Start ``action`` on the stack's resources as they stand.

        As Heat, a stack already suspended (resumed) is left as it is.
        Unlike Heat, which lets it supersede the running operation, it is
        refused while another operation is in progress (409, the words of
        Heat's stack lock): a suspend must not cut a create short.
        """
        stack = self._stack(ctxt, stack_identity)
        if stack['status'] == Status.IN_PROGRESS:
            raise exceptions.ActionInProgress(stack_name=stack['name'],
                                              action=stack['action'])
        if action != Action.CHECK and (
                stack['action'], stack['status']) == (action, Status.COMPLETE):
            LOG.info('stack %s is already %s', stack['id'],
                     'suspended' if action == Action.SUSPEND else 'resumed')
            return
        stack_ops.start(self.rt, stack, action, stack['raw_template_id'])

    # --- resource health -------------------------------------------------------

    def resource_mark_unhealthy(self, ctxt, stack_identity, resource_name,
                                mark_unhealthy, resource_status_reason=None):
        if not isinstance(mark_unhealthy, bool):
            raise exceptions.Invalid(reason='mark_unhealthy is not a boolean')
        stack = self._stack(ctxt, stack_identity)
        health.mark(self.rt, stack, resource_name, mark_unhealthy,
                    resource_status_reason)

    # --- abandon and export ------------------------------------------------------

    def abandon_stack(self, ctxt, stack_identity):
        if not self.conf.enable_stack_abandon:
            raise exceptions.NotSupported(feature='Stack Abandon')
        stack = self._stack(ctxt, stack_identity)
        data = abandon_data.of_stack(self.rt, stack)
        LOG.info('abandoning stack %s/%s', stack['name'], stack['id'])
        abandon.abandon(self.rt, stack)
        return data

    def export_stack(self, ctxt, stack_identity):
        # As Heat: export is abandon without the removal, behind the same
        # option.
        if not self.conf.enable_stack_abandon:
            raise exceptions.NotSupported(feature='Stack Abandon')
        return abandon_data.of_stack(self.rt,
                                     self._stack(ctxt, stack_identity))


def _new_stack_row(ctxt, stack_id: str, stack_name: str, args: dict,
                   action: Action = Action.CREATE) -> dict:
    """The stack row of a create (or adopt), its template id still
    missing; raises a 400-class error for an invalid argument."""
    return {'id': stack_id, 'name': stack_name, 'tenant': ctxt.project_id,
            'username': getattr(ctxt, 'user', None),
            'current_traversal': str(uuid.uuid4()), 'action': action,
            'status': Status.IN_PROGRESS,
            'status_reason': 'Stack %s started' % action,
            'timeout': stack_input.extract_timeout(args),
            'disable_rollback': stack_input.extract_bool(
                'disable_rollback', args.get('disable_rollback', True)),
            'tags': args.get('tags') or None,
            'rollback_on_failure': False}
