"""A stack's outputs, resolved from what its rows stored."""

from convergence import definitions
from convergence import exceptions


def resolved(rt, stack: dict, displayed_rows) -> dict:
    """Output name -> value; an output that cannot be resolved is None.

    ``displayed_rows(rows, stack)`` picks each name's row as the API shows
    it (engine.views.displayed_rows).
    """
    definition = rt.definitions.get(stack['raw_template_id'], stack)
    keys = definition.output_names()
    names = definition.output_resources(keys)
    rows = {}
    if names:
        rows = displayed_rows(rt.db.resources_of_stack(stack['id'],
                                                       names=names), stack)
    resolver = definitions.StoredDataResolver(rows)
    values = {}
    for key in keys:
        try:
            values[key] = definition.resolve_output(key, resolver)
        except exceptions.ConvergenceError:
            values[key] = None
    return values
