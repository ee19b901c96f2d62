"""The attribute caches our rows keep, computed as our nodes compute them.

A converged row of ours stores what its dependants and the outputs read of
it (``attr_data``: the reference id and the attributes the goal template
reads).  Heat caches only some of them (and none of a group's), so each is
computed by the row's own plugin from the row as imported, exactly as the
row's node would have; where Heat did cache an attribute, Heat's value is
kept, being what Heat answered with.  A nested row's attributes are its
child's outputs, so children are computed first (``stack_outputs``).
"""

import threading

from convergence import resource as rsrc_ops
from convergence import resources
from convergence import runtime
from convergence import states
from convergence.engine import views
from convergence.nested import outputs


def fill(stack: dict, definition, rows: list[dict],
         heat_attrs: dict[int, dict], child_outputs: dict[str, dict]) -> None:
    """Set ``attr_data`` on every row of ``stack`` that acted.

    ``heat_attrs``: Heat's attribute cache per row id; ``child_outputs``:
    outputs per child stack id (nested rows read their child's).
    """
    names = set(definition.resource_names())
    for row in rows:
        if row['name'] not in names or row['action'] == states.Action.INIT:
            continue
        plugin = _plugin(stack, definition, row, child_outputs)
        cache = rsrc_ops.attribute_cache(
            plugin, definition.referenced_attributes(row['name']))
        for name, value in (heat_attrs.get(row['id']) or {}).items():
            if name in cache['attrs']:
                cache['attrs'][name] = value
        row['attr_data'] = cache


def _plugin(stack, definition, row, child_outputs):
    cls = resources.get_class(row['type'], definition.template.files)
    outputs = (child_outputs.get(row['physical_resource_id'])
               if getattr(cls, 'nested', False) else None)
    clock = runtime.ActionClock(None, threading.Event())
    return rsrc_ops.make_plugin(row, stack, row['type'],
                                row['properties_data'] or {}, clock,
                                definition, outputs)


def stack_outputs(stack: dict, definition, rows: list[dict]) -> dict:
    """The stack's outputs as our engine resolves them from its rows'
    caches; an output that cannot be resolved is None."""
    return outputs.from_rows(definition, views.displayed_rows(rows, stack))
