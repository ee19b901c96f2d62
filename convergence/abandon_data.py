"""A stack as Heat's abandon data shows it (``prepare_abandon``).

The same document is what ``export_stack`` returns, what ``abandon_stack``
returns before removing the stack, what a snapshot stores (with each
resource's entry as its SNAPSHOT node recorded it) and what an adopt reads
back.  A resource whose physical resource is a child stack is shown as the
child's own document, as Heat shows a nested stack resource.
"""

from convergence import definitions
from convergence import exceptions
from convergence import resources
from convergence import states
from convergence.engine import views


def of_stack(rt, stack: dict, with_resources: bool = True) -> dict:
    """``stack``'s document; its resources' entries with ``with_resources``."""
    stored = rt.db.raw_template_get(stack['raw_template_id'])
    data = {'name': stack['name'], 'id': stack['id'],
            'action': stack['action'], 'status': stack['status'],
            'template': stored['template'],
            'environment': stored['environment'],
            'files': stored['files'], 'resources': {},
            'project_id': stack['tenant'], 'stack_user_project_id': None,
            'tags': stack['tags']}
    if with_resources:
        data['resources'] = resources_of(rt, stack)
    return data


def resources_of(rt, stack: dict) -> dict:
    """Resource name -> its entry, for the rows the user sees."""
    definition = rt.definitions.get(stack['raw_template_id'], stack)
    names = set(definition.resource_names())
    rows = {name: row for name, row in views.displayed_rows(
        rt.db.resources_of_stack(stack['id']), stack).items()
        if name in names and not states.is_deleted(row)}
    resolver = definitions.StoredDataResolver(rows)
    return {name: _entry(rt, row, _metadata(definition, name, resolver))
            for name, row in rows.items()}


def _entry(rt, row: dict, metadata: dict) -> dict:
    if row['awaiting'] is None and _owns_child(row):
        child = rt.db.stack_get(row['physical_resource_id'],
                                show_deleted=False)
        if child is not None:
            return of_stack(rt, child)
    return entry(row, metadata)


def entry(row: dict, metadata: dict, data: dict | None = None) -> dict:
    """One resource row's entry; ``data`` instead of the row's own."""
    return {'name': row['name'],
            'resource_id': row['physical_resource_id'] or None,
            'type': row['declared_type'] or row['type'],
            'action': row['action'], 'status': row['status'],
            'metadata': metadata,
            'resource_data': dict(row['rsrc_data'] or {}) if data is None
            else data}


def _owns_child(row: dict) -> bool:
    return bool(row['physical_resource_id']) and resources.is_nested(
        row['type'])


def _metadata(definition, name: str, resolver) -> dict:
    """The resource's metadata as the stored data resolves it; {} when it
    cannot be resolved (a dependency never created)."""
    try:
        return definition.resource_definition(name).resolved_metadata(
            resolver)
    except exceptions.ConvergenceError:
        return {}
