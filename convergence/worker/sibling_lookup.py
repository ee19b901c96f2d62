"""A resource of the same stack found by its reference id, for a plugin.

Heat's ``stack.resource_by_refid``: an InstanceGroup or an AWS
AutoScalingGroup builds its members from the launch configuration its
``LaunchConfigurationName`` refers to, the properties that configuration
stored and its metadata.  The group depends on the configuration (its
validation asks for a reference, not a name), so the configuration's row
has converged by the time the group acts; a scaling signal reads it as
it stands.  A plugin gets the lookup as ``context.resource_by_refid``.
"""

from convergence import definitions
from convergence import exceptions
from convergence import states


def lookup(rt, stack: dict, definition):
    """``resource_by_refid(ref)`` for the plugins of ``stack``'s rows:
    {'name', 'type', 'properties', 'metadata'} of the live row whose
    reference id is ``ref``, or None.  ``definition``: the stack's goal,
    whose metadata of that resource is resolved from the rows."""
    def by_refid(ref: str) -> dict | None:
        rows = [r for r in rt.db.resources_of_stack(stack['id'])
                if not states.is_deleted(r)]
        found = [r for r in rows if _reference(r) == ref]
        if not found:
            return None
        # A replacement stands for its name once it exists.
        row = max(found, key=lambda r: r['id'])
        return {'name': row['name'], 'type': row['type'],
                'properties': dict(row['properties_data'] or {}),
                'metadata': _metadata(definition, row['name'], rows)}
    return by_refid


def _reference(row: dict) -> str | None:
    cached = row.get('attr_data') or {}
    return cached.get('ref') or row['physical_resource_id'] or None


def _metadata(definition, name: str, rows: list[dict]) -> dict:
    """The resource's metadata in the goal, resolved from what the rows
    stored; {} when the goal no longer has it or a reference is unknown."""
    if definition is None or name not in definition.resource_names():
        return {}
    defn = definition.resource_definition(name)
    by_name = {r['name']: r for r in sorted(rows, key=lambda r: r['id'])}
    try:
        return defn.resolved_metadata(
            definitions.StoredDataResolver(by_name)) or {}
    except exceptions.ConvergenceError:
        return {}
