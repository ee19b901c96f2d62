"""A stack check's verdict: the resources that failed their check, and
whether every resource of the stack could be checked at all.

Heat's words: ``Resource CHECK failed: <name>: Resource CHECK failed:
<reason>; ...`` for the failures, and ``. 'CHECK' not fully supported (see
resources)`` after the reason when a type without a check is in the
stack.
"""

from convergence import exceptions
from convergence import resources
from convergence import states
from convergence import traversal as plan

Action, Status = states.Action, states.Status

NOT_FULLY_SUPPORTED = ". '%s' not fully supported (see resources)" % (
    Action.CHECK)
# A never-created resource of a type that has a check: the row's reason,
# and the failure the stack's reason gives for it (Heat words them apart).
NOT_CREATED = 'Can not check %s, resource not created yet.'
NOT_CREATED_FAILURE = 'Exception: resources.%s: Resource %s not created yet.'


def verdict(rt, stack: dict) -> tuple[Status, str]:
    """The status and reason a finished CHECK traversal leaves ``stack`` in."""
    rows = _current_rows(rt, stack)
    since = stack['updated_at'] or stack['created_at']
    failed = ['%s: Resource CHECK failed: %s' % (row['name'], _failure(row))
              for row in sorted(rows.values(), key=lambda r: r['id'])
              if row['action'] == Action.CHECK
              and row['status'] == Status.FAILED
              and (row['updated_at'] or row['created_at']) >= since]
    if failed:
        status = Status.FAILED
        reason = 'Resource CHECK failed: ' + '; '.join(failed)
    else:
        status = Status.COMPLETE
        reason = 'Stack CHECK completed successfully'
    if not fully_supported(rt, stack):
        reason += NOT_FULLY_SUPPORTED
    return status, reason


def _failure(row: dict) -> str:
    name = row['name']
    if row['status_reason'] == NOT_CREATED % name:
        return NOT_CREATED_FAILURE % (name, name)
    return row['status_reason']


def fully_supported(rt, stack: dict) -> bool:
    """Whether every resource of the stack has a check.

    A nested stack resource has one (its child's check), whatever its
    child holds: Heat 27 words the root's verdict so, though the child's
    own reason says when its resources are not all checked.
    """
    definition = rt.definitions.get(stack['raw_template_id'], stack)
    for name in definition.resource_names():
        type_name = definition.resource_definition(name).type
        try:
            cls = resources.get_class(type_name, definition.template.files)
        except exceptions.ConvergenceError:
            return False
        if not cls.supports_check():
            return False
    return True


def _current_rows(rt, stack: dict) -> dict[str, dict]:
    """The row the stack stands on for each name: those of the update
    nodes of its last traversal's graph (a failed update may have left
    rows of older templates, and old versions still to clean up); without
    a graph, the newest live row of each name."""
    rows = rt.db.resources_of_stack(stack['id'])
    deps = rt.db.stack_deps(stack['id'])
    if deps is not None:
        standing = {node.rsrc_id for node in plan.graph_from_json(deps)
                    if node.is_update}
        rows = [row for row in rows if row['id'] in standing]
    found = {}
    for row in sorted(rows, key=lambda r: r['id']):
        if not states.is_deleted(row):
            found[row['name']] = row
    return found
