"""The read-only half of heat-engine's RPC API: lookups, shows and lists."""

import threading
import uuid

from convergence import definitions
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import runtime
from convergence import states
from convergence import template as tmpl
from convergence.engine import format as fmt
from convergence.engine import nested_parameters
from convergence.engine import software_config_calls as sw_calls
from convergence.engine import stack_input
from convergence.engine import type_availability
from convergence.engine import type_policy
from convergence.engine import views
from convergence.nested import outputs as nested_outputs

_EVENT_FILTERS = ('resource_status', 'resource_action', 'resource_name',
                  'resource_type', 'uuid')


class StackQueries:
    def __init__(self, rt, conf):
        self.rt = rt
        self.conf = conf

    # --- finding stacks ---------------------------------------------------------

    def _stack(self, ctxt, identity: dict, deleted_ok: bool = False) -> dict:
        name = identity.get('stack_name')
        stack = self.rt.db.stack_get(identity.get('stack_id'),
                                     show_deleted=deleted_ok)
        if (stack is None or not self._visible(ctxt, stack)
                or (name and stack['name'] != name)
                or identity.get('path')):
            raise exceptions.EntityNotFound(entity='Stack', name=name)
        return stack

    def _visible(self, ctxt, stack: dict) -> bool:
        """Heat's _get_stack: any stack for an admin (``context_is_admin``,
        who acts on another project's stack by its id), else the stack's
        project, or its tree's stack user domain project (a server's agent
        signalling, or reading metadata, as its stack domain user; policy
        allows that user nothing else)."""
        if stack['tenant'] == ctxt.project_id or getattr(
                ctxt, 'is_admin', False):
            return True
        if (not stack.get('user_creds_id') or not ctxt.project_id
                or self.rt.clouds is None):
            return False
        return self.rt.clouds.stack_user_project(stack) == ctxt.project_id

    def identify_stack(self, ctxt, stack_name):
        stack = None
        if _looks_like_uuid(stack_name):
            stack = self.rt.db.stack_get(stack_name)
            if stack is not None and not self._visible(ctxt, stack):
                stack = None
        if stack is None:
            stack = self.rt.db.stack_get_by_name(ctxt.project_id, stack_name)
        if stack is None:
            raise exceptions.EntityNotFound(entity='Stack', name=stack_name)
        return fmt.stack_identity(stack)

    def list_stacks(self, ctxt, limit=None, marker=None, sort_keys=None,
                    sort_dir=None, filters=None, show_deleted=False,
                    show_nested=False, show_hidden=False, tags=None,
                    tags_any=None, not_tags=None, not_tags_any=None):
        stacks = self._listed(ctxt, show_deleted, show_nested, show_hidden,
                              filters, tags, tags_any, not_tags, not_tags_any)
        stacks = views.sort_and_page(stacks, sort_keys, sort_dir, marker,
                                     limit)
        return [fmt.format_stack_summary(s, parent=s['owner_id'])
                for s in stacks]

    def count_stacks(self, ctxt, filters=None, show_deleted=False,
                     show_nested=False, show_hidden=False, tags=None,
                     tags_any=None, not_tags=None, not_tags_any=None):
        return len(self._listed(ctxt, show_deleted, show_nested, show_hidden,
                                filters, tags, tags_any, not_tags,
                                not_tags_any))

    def _listed(self, ctxt, show_deleted, show_nested, show_hidden, filters,
                *tag_filters) -> list:
        # As Heat, nested stacks are listed (and counted) only when asked,
        # even when a filter names their parent.
        stacks = self.rt.db.stack_list(
            ctxt.project_id, show_deleted=show_deleted,
            filters=None if show_nested else {'owner_id': None})
        if not show_hidden:
            stacks = views.without_hidden(stacks, self.conf.hidden_stack_tags)
        return views.filter_stacks(stacks, filters, *tag_filters)

    # --- one stack ------------------------------------------------------------------

    def show_stack(self, ctxt, stack_identity, resolve_outputs=True):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        definition = self._definition(stack)
        outputs = None
        if resolve_outputs and not stack['deleted_at']:
            outputs = self._outputs(stack, definition, resolve=True)
        result = fmt.format_stack(stack, definition.parameters_for_display(),
                                  definition.template.description, outputs,
                                  parent=stack['owner_id'])
        tree = views.subtree(stack, self._tree(stack, show_deleted=False))
        result['progress'] = views.progress(self.rt.db,
                                            [s for s, _ in tree])
        return [result]

    def _tree(self, stack: dict, show_deleted: bool) -> list[dict]:
        """The nested stacks of ``stack``'s whole tree (one query)."""
        return self.rt.db.stack_list(
            stack['tenant'], show_deleted=show_deleted,
            filters={'root_stack_id': stack['root_stack_id'] or stack['id']})

    def _children(self, stack: dict) -> list[dict]:
        """The stacks ``stack`` owns, deleted ones included."""
        return self.rt.db.stack_list(stack['tenant'], show_deleted=True,
                                     filters={'owner_id': stack['id']})

    def _definition(self, stack: dict):
        return self.rt.definitions.get(stack['raw_template_id'], stack)

    def _outputs(self, stack, definition, resolve: bool) -> list[dict]:
        keys = definition.output_names()
        rows = {}
        if resolve:
            # Only the rows the outputs read: a stack of thousands of
            # resources is shown (and polled) without reading them all.
            names = definition.output_resources(keys)
            if names:
                rows = views.displayed_rows(self.rt.db.resources_of_stack(
                    stack['id'], names=names), stack)
        return output_list(definition, definitions.StoredDataResolver(rows)
                           if resolve else None)

    def list_outputs(self, ctxt, stack_identity):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        return self._outputs(stack, self._definition(stack), resolve=False)

    def show_output(self, ctxt, stack_identity, output_key):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        definition = self._definition(stack)
        if output_key not in definition.output_names():
            raise exceptions.NotFound(
                message='Specified output key %s not found.' % output_key)
        for output in self._outputs(stack, definition, resolve=True):
            if output['output_key'] == output_key:
                return output

    def get_template(self, ctxt, stack_identity):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        return self.rt.db.raw_template_get(stack['raw_template_id'])['template']

    def get_environment(self, ctxt, stack_identity):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        return self._definition(stack).environment_for_display()

    def get_files(self, ctxt, stack_identity):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        return self.rt.db.raw_template_get(stack['raw_template_id'])['files']

    # --- resources ----------------------------------------------------------------------

    def list_stack_resources(self, ctxt, stack_identity, nested_depth=0,
                             with_detail=False, filters=None):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        depth = min(int(nested_depth or 0),
                    self.rt.settings.max_nested_stack_depth)
        below = (self._tree(stack, show_deleted=True) if depth > 0
                 else self._children(stack))
        stacks = {s['id']: s for s in below}
        stacks[stack['id']] = stack
        ids = [s['id'] for s, _ in views.subtree(stack, below, depth)]
        rows_of: dict[str, list[dict]] = {}
        for row in self.rt.db.resources_of_stacks(ids, active_only=False):
            rows_of.setdefault(row['stack_id'], []).append(row)
        pairs = views.resource_tree(stack, rows_of, stacks, depth,
                                    _owns_stack)
        required_by = {i: self.required_by(stacks[i]) for i in ids}
        listed = [self._format_resource(
            row, owner, required_by[owner['id']].get(row['name'], []),
            stacks, detail=with_detail) for row, owner in pairs]
        return views.filter_resources(listed, filters)

    def _format_resource(self, row: dict, stack: dict, required_by: list,
                         stacks: dict, detail: bool, description: str = '',
                         with_attr=None, metadata: dict | None = None) -> dict:
        """One row as Heat shows it; a row whose physical resource is a
        child stack (one of ``stacks``) links to it as ``nested``."""
        child = stacks.get(row['physical_resource_id'] or '') \
            if _owns_stack(row) else None
        attributes = None
        if detail and with_attr is not False:
            attributes = self._attributes(row, stack, with_attr or [], child)
        return fmt.format_stack_resource(
            row, stack, required_by, detail=detail, description=description,
            metadata=metadata, attributes=attributes, nested_stack=child,
            parent_resource=stack['parent_resource'])

    def required_by(self, stack: dict) -> dict[str, list[str]]:
        """Name -> the names that require it in the stack's template."""
        if stack['deleted_at']:
            return {}
        return views.required_by(self._definition(stack).dependencies())

    def describe_stack_resource(self, ctxt, stack_identity, resource_name,
                                with_attr=False):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        rows = views.displayed_rows(self.rt.db.resources_of_stack(
            stack['id'], active_only=False, names=[resource_name]), stack)
        row = rows.get(resource_name)
        if row is None:
            raise exceptions.ResourceNotFound(resource_name=resource_name,
                                              stack_name=stack['name'])
        return self.resource_detail(row, stack, with_attr)

    def describe_stack_resources(self, ctxt, stack_identity, resource_name):
        """Every resource of the stack (or the one named) in detail, as the
        CloudFormation API's DescribeStackResources asks."""
        stack = self._stack(ctxt, stack_identity)
        rows = views.displayed_rows(self.rt.db.resources_of_stack(
            stack['id']), stack)
        required_by = self.required_by(stack)
        return [self.resource_detail(row, stack, None, required_by, rows)
                for name, row in sorted(rows.items())
                if resource_name is None or name == resource_name]

    def find_physical_resource(self, ctxt, physical_resource_id):
        """The identity of the tenant's resource with this physical id.

        Raises:
            EntityNotFound: no live resource of the tenant has it.
            PhysicalResourceIDAmbiguity: resources of several stacks do.
        """
        found = []
        for row in self.rt.db.resources_with_physical_id(
                physical_resource_id):
            stack = self.rt.db.stack_get(row['stack_id'], show_deleted=False)
            if stack is not None and stack['tenant'] == ctxt.project_id:
                found.append((stack, row))
        if not found:
            raise exceptions.EntityNotFound(entity='Resource',
                                            name=physical_resource_id)
        if len({stack['id'] for stack, _ in found}) > 1:
            raise exceptions.PhysicalResourceIDAmbiguity(
                phys_id=physical_resource_id)
        stack, row = found[0]
        return fmt.resource_identity(stack, row['name'])

    def resource_detail(self, row: dict, stack: dict, with_attr=None,
                        required_by: dict | None = None,
                        stack_rows: dict | None = None) -> dict:
        """One of the stack's rows as describe_stack_resource shows it:
        ``with_attr`` as there (None: the type's attributes);
        ``required_by`` (name -> names) and ``stack_rows`` (name -> the
        displayed row), the stack's, to spare reading them again for each
        row."""
        name = row['name']
        definition = self._definition(stack)
        description = ''
        metadata = {}
        if name in definition.resource_names():
            defn = definition.resource_definition(name)
            description = defn.description or ''
            metadata = self._metadata(defn, stack, stack_rows)
        metadata = _with_stored_metadata(row, metadata)
        metadata = self._with_live_metadata(row, stack, metadata)
        stacks = ({s['id']: s for s in self._children(stack)}
                  if _owns_stack(row) else {})
        if required_by is None:
            required_by = self.required_by(stack)
        return self._format_resource(
            row, stack, required_by.get(name, []), stacks, detail=True,
            description=description, metadata=metadata, with_attr=with_attr)

    def _with_live_metadata(self, row: dict, stack: dict,
                            metadata: dict) -> dict:
        """What a type shows of the store besides (a software-config
        server's os-collect-config and deployments, as Heat keeps them in
        its metadata): the type's ``live_metadata(row, deployments_of)``."""
        try:
            cls = resources.get_class(row['type'])
        except exceptions.ConvergenceError:
            return metadata
        live = getattr(cls, 'live_metadata', None)
        if live is None:
            return metadata
        return dict(metadata, **live(row, lambda server_id: (
            sw_calls.server_deployments(self.rt.db, stack['tenant'],
                                        server_id))))

    def _metadata(self, defn, stack: dict, stack_rows: dict | None) -> dict:
        """The resource's template metadata resolved from what the rows it
        refers to stored (Heat shows the metadata the template gave); {}
        while a reference cannot be resolved yet."""
        referred = list(defn.required_names())
        if stack_rows is not None:
            rows = {n: stack_rows[n] for n in referred if n in stack_rows}
        elif referred:
            rows = views.displayed_rows(self.rt.db.resources_of_stack(
                stack['id'], names=referred), stack)
        else:
            rows = {}
        try:
            return defn.resolved_metadata(
                definitions.StoredDataResolver(rows))
        except exceptions.ConvergenceError:
            return {}

    def live_attributes(self, row: dict, stack: dict, names) -> dict:
        """The row's attributes as a show resolves them now: those of its
        type and ``names``."""
        child = None
        if _owns_stack(row):
            child = self.rt.db.stack_get(row['physical_resource_id'])
        return self._attributes(row, stack, list(names), child)

    def _attributes(self, row: dict, stack: dict, extra: list,
                    child: dict | None = None) -> dict:
        """Live attribute values, as Heat resolves them for a show; those
        of a nested stack resource are its child's outputs."""
        definition = self._definition(stack)
        try:
            cls = resources.get_class(row['type'], definition.template.files)
        except exceptions.ResourceTypeNotFound:
            return {}
        if row['action'] == states.Action.INIT:
            return {name: None for name in cls.attributes_schema}
        child_outputs = None
        if child is not None and child['deleted_at'] is None:
            child_outputs = nested_outputs.resolved(self.rt, child)
        clock = runtime.ActionClock(None, threading.Event())
        plugin = rsrc_ops.make_plugin(row, stack, row['type'],
                                      row['properties_data'] or {}, clock,
                                      definition=definition,
                                      nested_outputs=child_outputs,
                                      clouds=self.rt.clouds)
        names = list(cls.attributes_schema) + [n for n in extra
                                               if n not in cls.attributes_schema]
        return rsrc_ops.attribute_cache(plugin, set(names))['attrs']

    # --- events ----------------------------------------------------------------------------

    def list_events(self, ctxt, stack_identity, filters=None, limit=None,
                    marker=None, sort_keys=None, sort_dir=None,
                    nested_depth=None):
        stack = self._stack(ctxt, stack_identity, deleted_ok=True)
        filters = {k: v for k, v in (filters or {}).items()
                   if k in _EVENT_FILTERS}
        root = None
        if nested_depth:
            # The events of the stack and of the live stacks nested in it
            # down to nested_depth levels, each filed under its own stack;
            # root_stack_id is the stack asked about, as in Heat.
            root = stack
            stacks = {s['id']: s for s, _ in views.subtree(
                stack, self._tree(stack, show_deleted=False),
                int(nested_depth))}
            rows = self.rt.db.events_of_stacks(list(stacks), filters=filters)
        else:
            stacks = {stack['id']: stack}
            rows = self.rt.db.events_list(stack['id'], filters=filters)
        rows = views.order_events(rows, sort_keys, sort_dir, marker, limit)
        return [fmt.format_event(e, stacks[e['stack_id']],
                                 include_properties='uuid' in filters,
                                 root_stack=root)
                for e in rows]

    # --- templates and types -------------------------------------------------------------

    def validate_template(self, ctxt, template, params=None, files=None,
                          environment_files=None, files_container=None,
                          show_nested=False, ignorable_errors=None):
        parsed = stack_input.parse(template, self.conf.max_template_size)
        stack_def = stack_input.definition(
            parsed, stack_input.with_environment_files(
                params, environment_files, files), files,
            (str(uuid.uuid4()), 'validate', ctxt.project_id))
        # A template is validated before its user has every value: as
        # Heat's, the check then skips what needs them (properties).
        catalog = type_availability.catalog_of(self.rt, ctxt)
        type_availability.check_definition(stack_def, catalog)
        type_policy.check_definition(self.conf, ctxt, stack_def)
        # As Heat's validate API: the nested stacks' properties are not
        # checked.
        with type_availability.checking_children_with(catalog):
            stack_input.validate(stack_def, self.conf.max_resources_per_stack,
                                 self.conf.max_nested_stack_depth,
                                 strict=not stack_def.parameters.missing(),
                                 strict_children=False)
        nested = None
        if stack_input.extract_bool('show_nested', show_nested):
            nested = nested_parameters.nested_parameters(
                stack_def, self.conf.max_nested_stack_depth)
        return stack_def.validation_summary(nested)

    def list_resource_types(self, ctxt, support_status=None, type_name=None,
                            heat_version=None, with_description=False):
        catalog = type_availability.catalog_of(self.rt, ctxt)
        names = [n for n in resources.type_names()
                 if (type_name is None or type_name in n)
                 and type_availability.is_available(n, catalog)
                 and type_policy.allowed(self.conf, ctxt, n)]
        if with_description:
            return [{'resource_type': n,
                     'description': resources.get_class(n).__doc__ or ''}
                    for n in names]
        return names

    def list_template_versions(self, ctxt):
        return tmpl.template_versions()

    def list_template_functions(self, ctxt, template_version,
                                with_condition=False):
        return tmpl.template_functions(template_version, with_condition)

    def get_revision(self, ctxt):
        return 'convergence-0.1.0'


def output_list(definition, resolver=None) -> list[dict]:
    """The definition's outputs as heat-engine lists them; with
    ``resolver``, each with its value (or its error)."""
    outputs = []
    for key in definition.output_names():
        entry = {'key': key,
                 'description': definition.output_description(key)}
        if resolver is not None:
            try:
                entry['value'] = definition.resolve_output(key, resolver)
            except exceptions.ConvergenceError as exc:
                entry['error'] = exc.message
        outputs.append(entry)
    return fmt.format_stack_outputs(outputs,
                                    resolve_value=resolver is not None)


def _owns_stack(row: dict) -> bool:
    """Whether the row's physical resource is a child stack."""
    return bool(row['physical_resource_id']) and resources.is_nested(
        row['type'])


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError):
        return False
    return True


def _with_stored_metadata(row: dict, metadata: dict) -> dict:
    """The metadata a type adds from its row's data to the template's (a
    wait condition handle's signals, as Heat keeps them in the resource's
    metadata): the type's ``stored_metadata(data)``, if it has one."""
    try:
        cls = resources.get_class(row['type'])
    except exceptions.ConvergenceError:
        return metadata
    stored = getattr(cls, 'stored_metadata', None)
    if stored is None:
        return metadata
    return dict(metadata, **stored(row['rsrc_data'] or {}))
