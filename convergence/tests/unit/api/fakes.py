"""An in-memory engine twin written to docs/engine-rpc.md.

It implements EngineClient's methods over dicts, using the real result
formatters of convergence.engine.format, so API tests check the API against
the contract rather than against an engine.  Operations finish at once
unless ``auto_complete`` is False (then they stay IN_PROGRESS until
``finish(stack_id)``).  Every call is recorded in ``calls``.
"""

import datetime
import itertools
import uuid

from convergence import exceptions
from convergence.engine import format as fmt

EPOCH = datetime.datetime(2026, 1, 1, 12, 0, 0)
UUID_LEN = 36


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


def _matches(row: dict, filters: dict | None, names: dict) -> bool:
    """True if the row satisfies every filter (a list means any of)."""
    for key, wanted in (filters or {}).items():
        wanted = wanted if isinstance(wanted, list) else [wanted]
        value = names[key](row) if key in names else row.get(key)
        if not any(str(w) == str(value) for w in wanted):
            return False
    return True


class FakeEngine:
    """EngineClient's methods, answered from in-memory rows."""

    def __init__(self) -> None:
        self.stacks: dict[str, dict] = {}
        self.resources: dict[str, list[dict]] = {}
        self.events: list[dict] = []
        self.calls: list[tuple[str, dict]] = []
        self.auto_complete = True
        self._clock = itertools.count()

    # --- helpers ---

    def _now(self) -> datetime.datetime:
        return EPOCH + datetime.timedelta(seconds=next(self._clock))

    def _record(self, method: str, **kwargs) -> None:
        self.calls.append((method, kwargs))

    def last_call(self, method: str) -> dict:
        return [kw for m, kw in self.calls if m == method][-1]

    def _get(self, ctxt, identity: dict, show_deleted=False) -> dict:
        stack = self.stacks.get(identity['stack_id'])
        if (stack is None or stack['tenant'] != ctxt.project_id
                or stack['name'] != identity['stack_name']
                or identity.get('path')
                or (stack['deleted_at'] and not show_deleted)):
            raise exceptions.EntityNotFound(entity='Stack',
                                            name=identity['stack_name'])
        return stack

    def _event(self, stack, name, rtype, phys, action, status, reason):
        self.events.append({
            'id': len(self.events) + 1, 'uuid': str(uuid.uuid4()),
            'stack_id': stack['id'], 'resource_name': name,
            'physical_resource_id': phys, 'resource_type': rtype,
            'resource_action': action, 'resource_status': status,
            'resource_status_reason': reason,
            'resource_properties': {'name': name},
            'created_at': self._now()})

    def _set_state(self, stack, action, status, reason=None) -> None:
        stack.update(action=action, status=status,
                     status_reason=reason or 'Stack %s %s' % (
                         action, 'started' if status == 'IN_PROGRESS'
                         else 'completed successfully'))
        self._event(stack, stack['name'], 'OS::Heat::Stack', stack['id'],
                    action, status, stack['status_reason'])

    def finish(self, stack_id: str, status: str = 'COMPLETE') -> None:
        """End the stack's current operation."""
        stack = self.stacks[stack_id]
        self._set_state(stack, stack['action'], status)

    def _converge(self, stack: dict, action: str) -> None:
        self._set_state(stack, action, 'IN_PROGRESS')
        rows = []
        for name, defn in (stack['template'].get('resources') or {}).items():
            phys = '%s-%s-%s' % (stack['name'], name, 'abcdefghijkl')
            rows.append({'name': name, 'type': defn.get('type'),
                         'physical_resource_id': phys,
                         'action': action, 'status': 'COMPLETE',
                         'status_reason': 'state changed',
                         'requires': defn.get('depends_on'),
                         'created_at': self._now(), 'updated_at': None})
            for status in ('IN_PROGRESS', 'COMPLETE'):
                self._event(stack, name, defn.get('type'), phys, action,
                            status, 'state changed')
        self.resources[stack['id']] = rows
        if self.auto_complete:
            self.finish(stack['id'])

    # --- stacks ---

    def identify_stack(self, ctxt, stack_name):
        self._record('identify_stack', stack_name=stack_name)
        found = None
        if _is_uuid(stack_name):
            found = self.stacks.get(stack_name)
        if found is None:
            found = next((s for s in self.stacks.values()
                          if s['name'] == stack_name and not s['deleted_at']
                          and s['tenant'] == ctxt.project_id), None)
        if found is None or found['tenant'] != ctxt.project_id:
            raise exceptions.EntityNotFound(entity='Stack', name=stack_name)
        return fmt.stack_identity(found)

    def _visible(self, ctxt, filters, show_deleted):
        names = {'name': lambda s: s['name'],
                 'stack_name': lambda s: s['name'],
                 'status': lambda s: s['status']}
        return [s for s in self.stacks.values()
                if s['tenant'] == ctxt.project_id
                and (show_deleted or not s['deleted_at'])
                and _matches(s, filters, names)]

    def list_stacks(self, ctxt, limit=None, marker=None, sort_keys=None,
                    sort_dir=None, filters=None, show_deleted=False,
                    **kwargs):
        self._record('list_stacks', limit=limit, marker=marker,
                     sort_keys=sort_keys, sort_dir=sort_dir, filters=filters,
                     show_deleted=show_deleted, **kwargs)
        rows = sorted(self._visible(ctxt, filters, show_deleted),
                      key=lambda s: s['created_at'], reverse=True)
        if marker:
            ids = [s['id'] for s in rows]
            rows = rows[ids.index(marker) + 1:] if marker in ids else rows
        rows = rows if limit is None else rows[:limit]
        return [fmt.format_stack_summary(s) for s in rows]

    def count_stacks(self, ctxt, filters=None, show_deleted=False, **kwargs):
        self._record('count_stacks', filters=filters,
                     show_deleted=show_deleted, **kwargs)
        return len(self._visible(ctxt, filters, show_deleted))

    def show_stack(self, ctxt, stack_identity, resolve_outputs=True):
        self._record('show_stack', stack_identity=stack_identity,
                     resolve_outputs=resolve_outputs)
        stack = self._get(ctxt, stack_identity, show_deleted=True)
        outputs = None
        if resolve_outputs and not stack['deleted_at']:
            outputs = fmt.format_stack_outputs(self._outputs(stack), True)
        params = {'OS::stack_id': stack['id'],
                  'OS::stack_name': stack['name'],
                  'OS::project_id': stack['tenant']}
        params.update({k: str(v) for k, v in
                       stack['environment']['parameters'].items()})
        return [fmt.format_stack(stack, params,
                                 stack['template'].get('description'),
                                 outputs)]

    def create_stack(self, ctxt, stack_name, template, params, files, args,
                     environment_files=None, files_container=None, **kw):
        self._record('create_stack', stack_name=stack_name,
                     template=template, params=params, files=files,
                     args=args, environment_files=environment_files,
                     files_container=files_container, **kw)
        if any(s['name'] == stack_name and not s['deleted_at']
               and s['tenant'] == ctxt.project_id
               for s in self.stacks.values()):
            raise exceptions.StackExists(stack_name=stack_name)
        stack = {'id': str(uuid.uuid4()), 'name': stack_name,
                 'tenant': ctxt.project_id, 'username': ctxt.username,
                 'timeout': args.get('timeout_mins'),
                 'disable_rollback': args.get('disable_rollback', True),
                 'tags': args.get('tags'), 'created_at': self._now(),
                 'updated_at': None, 'deleted_at': None,
                 'template': template, 'environment': params,
                 'files': files}
        self.stacks[stack['id']] = stack
        self._converge(stack, 'CREATE')
        return fmt.stack_identity(stack)

    def update_stack(self, ctxt, stack_identity, template, params, files,
                     args, environment_files=None, files_container=None,
                     template_id=None):
        self._record('update_stack', stack_identity=stack_identity,
                     template=template, params=params, files=files,
                     args=args, environment_files=environment_files,
                     files_container=files_container)
        stack = self._get(ctxt, stack_identity)
        if template is not None:
            stack['template'] = template
        stack['environment'] = params
        stack['updated_at'] = self._now()
        self._converge(stack, 'UPDATE')
        return fmt.stack_identity(stack)

    def preview_update_stack(self, ctxt, stack_identity, template, params,
                             files, args, **kwargs):
        self._record('preview_update_stack', stack_identity=stack_identity,
                     template=template, args=args)
        stack = self._get(ctxt, stack_identity)
        unchanged = [self._format_resource(stack, r, detail=True)
                     for r in self.resources.get(stack['id'], [])]
        return {'added': [], 'deleted': [], 'replaced': [],
                'unchanged': unchanged, 'updated': []}

    def delete_stack(self, ctxt, stack_identity, cast=False):
        self._record('delete_stack', stack_identity=stack_identity)
        stack = self._get(ctxt, stack_identity)
        self._set_state(stack, 'DELETE', 'IN_PROGRESS')
        self.resources[stack['id']] = []
        stack['deleted_at'] = stack['updated_at'] = self._now()
        self._set_state(stack, 'DELETE', 'COMPLETE')

    def stack_cancel_update(self, ctxt, stack_identity,
                            cancel_with_rollback=True):
        self._record('stack_cancel_update', stack_identity=stack_identity,
                     cancel_with_rollback=cancel_with_rollback)
        stack = self._get(ctxt, stack_identity)
        state = '%s_%s' % (stack['action'], stack['status'])
        allowed = (['UPDATE_IN_PROGRESS'] if cancel_with_rollback
                   else ['UPDATE_IN_PROGRESS', 'CREATE_IN_PROGRESS'])
        if state not in allowed:
            raise exceptions.NotSupported(
                feature='Cancelling update when stack is %s' % state)
        if cancel_with_rollback:
            self._set_state(stack, 'ROLLBACK', 'COMPLETE')
        else:
            self._set_state(stack, stack['action'], 'FAILED',
                            'Stack %s cancelled' % stack['action'])

    def _simple_action(self, ctxt, stack_identity, action):
        self._record('stack_' + action.lower(), stack_identity=stack_identity)
        self._set_state(self._get(ctxt, stack_identity), action, 'COMPLETE')

    def stack_check(self, ctxt, stack_identity):
        self._simple_action(ctxt, stack_identity, 'CHECK')

    def stack_suspend(self, ctxt, stack_identity):
        self._simple_action(ctxt, stack_identity, 'SUSPEND')

    def stack_resume(self, ctxt, stack_identity):
        self._simple_action(ctxt, stack_identity, 'RESUME')

    # --- templates, environment, files ---

    def validate_template(self, ctxt, template, params=None, files=None,
                          environment_files=None, files_container=None,
                          show_nested=False, ignorable_errors=None):
        self._record('validate_template', template=template, params=params,
                     files=files, show_nested=show_nested,
                     ignorable_errors=ignorable_errors)
        for defn in (template.get('resources') or {}).values():
            if defn.get('type') == 'No::Such':
                return {'Error': 'The Resource Type (No::Such) could not '
                                 'be found.'}
        return fmt.format_validate_result(
            template.get('description'), template.get('parameters') or {},
            user_values=(params or {}).get('parameters'))

    def get_template(self, ctxt, stack_identity):
        return self._get(ctxt, stack_identity, True)['template']

    def get_environment(self, ctxt, stack_identity):
        return self._get(ctxt, stack_identity, True)['environment']

    def get_files(self, ctxt, stack_identity):
        return self._get(ctxt, stack_identity, True)['files']

    # --- resources ---

    def _format_resource(self, stack, row, detail=False, attributes=None):
        required_by = [r['name'] for r in self.resources[stack['id']]
                       if row['name'] in (r.get('requires') or [])]
        return fmt.format_stack_resource(row, stack, required_by,
                                         detail=detail,
                                         attributes=attributes)

    def list_stack_resources(self, ctxt, stack_identity, nested_depth=0,
                             with_detail=False, filters=None):
        self._record('list_stack_resources', stack_identity=stack_identity,
                     nested_depth=nested_depth, with_detail=with_detail,
                     filters=filters)
        stack = self._get(ctxt, stack_identity, True)
        names = {'status': lambda r: r['status'],
                 'type': lambda r: r['type']}
        return [self._format_resource(stack, r, detail=with_detail)
                for r in self.resources.get(stack['id'], [])
                if _matches(r, filters, names)]

    def describe_stack_resource(self, ctxt, stack_identity, resource_name,
                                with_attr=False):
        self._record('describe_stack_resource', resource_name=resource_name,
                     with_attr=with_attr)
        stack = self._get(ctxt, stack_identity)
        for row in self.resources.get(stack['id'], []):
            if row['name'] == resource_name:
                attrs = None if with_attr is False else {'output': 'one'}
                return self._format_resource(stack, row, True, attrs)
        raise exceptions.ResourceNotFound(resource_name=resource_name,
                                          stack_name=stack['name'])

    def resource_signal(self, ctxt, stack_identity, resource_name, details,
                        sync_call=False):
        self._record('resource_signal', resource_name=resource_name,
                     details=details)
        self.describe_stack_resource(ctxt, stack_identity, resource_name)
        raise exceptions.NotSupported(feature='Signal')

    # --- events ---

    def list_events(self, ctxt, stack_identity, filters=None, limit=None,
                    marker=None, sort_keys=None, sort_dir=None,
                    nested_depth=None):
        self._record('list_events', stack_identity=stack_identity,
                     filters=filters, limit=limit, marker=marker,
                     sort_keys=sort_keys, sort_dir=sort_dir,
                     nested_depth=nested_depth)
        stack = self._get(ctxt, stack_identity, True)
        rows = [e for e in self.events if e['stack_id'] == stack['id']
                and _matches(e, filters, {})]
        descending = (sort_dir or ('asc' if sort_keys else 'desc')) == 'desc'
        rows.sort(key=lambda e: (e['created_at'], e['id']),
                  reverse=descending)
        uuids = [e['uuid'] for e in rows]
        if marker in uuids:
            rows = rows[uuids.index(marker) + 1:]
        rows = rows[:limit] if limit is not None else rows
        detail = bool(filters and 'uuid' in filters)
        return [fmt.format_event(e, stack, include_properties=detail)
                for e in rows]

    # --- outputs ---

    @staticmethod
    def _outputs(stack):
        outputs = stack['template'].get('outputs') or {}
        return [{'key': k, 'description': v.get('description'),
                 'value': v.get('value')} for k, v in outputs.items()]

    def list_outputs(self, ctxt, stack_identity):
        stack = self._get(ctxt, stack_identity)
        return fmt.format_stack_outputs(self._outputs(stack))

    def show_output(self, ctxt, stack_identity, output_key):
        stack = self._get(ctxt, stack_identity)
        for output in self._outputs(stack):
            if output['key'] == output_key:
                return fmt.format_stack_output(
                    output['key'], output['description'], output['value'])
        raise exceptions.NotFound(
            message='Specified output key %s not found.' % output_key)

    # --- catalogue ---

    def list_template_versions(self, ctxt):
        return [{'version': 'heat_template_version.2015-10-15',
                 'type': 'hot', 'aliases': []}]

    def list_template_functions(self, ctxt, template_version,
                                with_condition=False):
        self._record('list_template_functions',
                     template_version=template_version,
                     with_condition=with_condition)
        return [{'functions': 'get_param', 'description': 'A function.'}]

    def list_resource_types(self, ctxt, support_status=None, type_name=None,
                            heat_version=None, with_description=False):
        self._record('list_resource_types', type_name=type_name,
                     with_description=with_description)
        return ['OS::Heat::None', 'OS::Heat::TestResource']

    def resource_schema(self, ctxt, type_name, with_description=False):
        if type_name != 'OS::Heat::None':
            raise exceptions.ResourceTypeNotFound(type_name=type_name)
        return {'resource_type': type_name, 'properties': {},
                'attributes': {}, 'support_status': {'status': 'SUPPORTED'}}

    def generate_template(self, ctxt, type_name, template_type='cfn'):
        raise exceptions.NotSupported(feature='Generating templates')
