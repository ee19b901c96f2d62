"""A stack's outputs, resolved from what its rows stored."""

from convergence import definitions
from convergence import exceptions
from convergence.engine import views
from convergence.resources.stack_resource import OutputError


def resolved(rt, stack: dict, errors: bool = True) -> dict:
    """Output name -> value; an output that cannot be resolved is its
    ``OutputError`` (None without ``errors``)."""
    definition = rt.definitions.get(stack['raw_template_id'], stack)
    keys = definition.output_names()
    names = definition.output_resources(keys)
    rows = {}
    if names:
        rows = views.displayed_rows(rt.db.resources_of_stack(
            stack['id'], names=names), stack)
    return from_rows(definition, rows, keys, errors)


def from_rows(definition, rows: dict[str, dict], keys=None,
              errors: bool = False) -> dict:
    """Output name -> value from ``rows`` (name -> the row shown); every
    output, or those of ``keys``.  One that cannot be resolved is None, or
    with ``errors`` its ``OutputError``."""
    resolver = definitions.StoredDataResolver(rows)
    values = {}
    for key in definition.output_names() if keys is None else keys:
        try:
            values[key] = definition.resolve_output(key, resolver)
        except exceptions.ConvergenceError as exc:
            values[key] = OutputError(exc.message) if errors else None
    return values


def of_child(rt, row: dict) -> dict | None:
    """The outputs of the child stack of a nested row; None without one."""
    child_id = row['physical_resource_id']
    child = rt.db.stack_get(child_id, show_deleted=False) if child_id else None
    return None if child is None else resolved(rt, child)
