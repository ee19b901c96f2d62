"""Selecting, filtering, ordering and paging what the engine shows.

Pure functions over row dicts, so the query methods stay short.
"""

from convergence import exceptions
from convergence import states

_STACK_FILTER_COLUMNS = {
    'id': 'id', 'name': 'name', 'stack_name': 'name', 'tenant': 'tenant',
    'username': 'username', 'action': 'action', 'stack_action': 'action',
    'status': 'status', 'stack_status': 'status',
    'stack_status_reason': 'status_reason', 'status_reason': 'status_reason',
    'disable_rollback': 'disable_rollback', 'timeout_mins': 'timeout',
    'timeout': 'timeout', 'stack_owner': 'username',
    'parent': 'owner_id', 'owner_id': 'owner_id',
}
_STACK_SORT_COLUMNS = {
    'stack_name': 'name', 'name': 'name', 'stack_status': 'status',
    'status': 'status', 'creation_time': 'created_at',
    'created_at': 'created_at', 'updated_time': 'updated_at',
    'updated_at': 'updated_at',
}
_RESOURCE_FILTERS = {
    'name': 'resource_name',
    'action': 'resource_action', 'id': 'physical_resource_id',
    'physical_resource_id': 'physical_resource_id',
}


def filter_stacks(stacks, filters, tags, tags_any, not_tags, not_tags_any):
    for key, wanted in (filters or {}).items():
        values = [str(v) for v in _as_list(wanted)]
        if key in ('status', 'stack_status'):
            stacks = [s for s in stacks if _status_matches(s, values)]
            continue
        column = _STACK_FILTER_COLUMNS.get(key)
        if column is not None:
            stacks = [s for s in stacks if str(s.get(column)) in values]
    return [s for s in stacks
            if _tags_match(set(s.get('tags') or ()), tags, tags_any, not_tags,
                           not_tags_any)]


def without_hidden(stacks: list, hidden_tags) -> list:
    """The stacks carrying none of ``hidden_tags`` (Heat's option
    ``hidden_stack_tags``: such stacks are listed only with show_hidden)."""
    hidden = set(hidden_tags or ())
    return [s for s in stacks if not hidden & set(s.get('tags') or ())]


def _status_matches(stack, values) -> bool:
    joined = '%s_%s' % (stack['action'], stack['status'])
    return stack['status'] in values or joined in values


def _tags_match(have: set, tags, tags_any, not_tags, not_tags_any) -> bool:
    if tags and not set(tags) <= have:
        return False
    if tags_any and not set(tags_any) & have:
        return False
    if not_tags and set(not_tags) <= have:
        return False
    if not_tags_any and set(not_tags_any) & have:
        return False
    return True


def _check_sort_dir(sort_dir) -> None:
    if sort_dir not in (None, 'asc', 'desc'):
        raise exceptions.Invalid(reason='Unknown sort direction, must be '
                                        'one of: asc, desc')


def _page(rows: list, limit) -> list:
    """The first ``limit`` rows; as in Heat, 0 is none and None is all."""
    return rows if limit is None else rows[:int(limit)]


def sort_and_page(stacks, sort_keys, sort_dir, marker, limit):
    _check_sort_dir(sort_dir)
    keys = [_STACK_SORT_COLUMNS[k] for k in (sort_keys or ['creation_time'])
            if k in _STACK_SORT_COLUMNS] or ['created_at']
    descending = (sort_dir or 'desc') == 'desc'
    stacks = sorted(stacks, key=lambda s: tuple(
        (s.get(k) is not None, s.get(k) or '') for k in keys) + (s['id'],),
        reverse=descending)
    if marker:
        ids = [s['id'] for s in stacks]
        if marker in ids:
            stacks = stacks[ids.index(marker) + 1:]
    return _page(stacks, limit)


def displayed_rows(rows: list[dict], stack: dict) -> dict[str, dict]:
    """The one row per name a user sees: the version that counts now.

    A live row beats a deleted one, a row not yet replaced beats its old
    self, a row at the goal template beats others, a newer row an older one.
    """
    best: dict[str, dict] = {}
    for row in rows:
        current = best.get(row['name'])
        if current is None or _display_rank(row, stack) > _display_rank(
                current, stack):
            best[row['name']] = row
    return best


def _display_rank(row, stack) -> tuple:
    deleted = states.is_deleted(row)
    return (not deleted, row['replaced_by'] is None,
            row['current_template_id'] == stack['raw_template_id'], row['id'])


def required_by(dependencies: dict[str, set[str]]) -> dict[str, list[str]]:
    """Name -> the names that require it, from name -> the names it
    requires (a definition's ``dependencies()``)."""
    needed: dict[str, list[str]] = {}
    for name, requires in dependencies.items():
        for required in requires:
            needed.setdefault(required, []).append(name)
    return needed


def filter_resources(listed: list[dict], filters: dict | None) -> list[dict]:
    for key, wanted in (filters or {}).items():
        values = [str(v) for v in _as_list(wanted)]
        if key == 'status':
            listed = [r for r in listed if r['resource_status'] in values or
                      '%s_%s' % (r['resource_action'], r['resource_status'])
                      in values]
        elif key == 'type':
            # Heat matches a part of the type name ("Server" finds
            # OS::Nova::Server).
            listed = [r for r in listed
                      if any(v in r['resource_type'] for v in values)]
        elif key in _RESOURCE_FILTERS:
            listed = [r for r in listed
                      if str(r[_RESOURCE_FILTERS[key]]) in values]
    return listed


def order_events(rows: list[dict], sort_keys, sort_dir, marker, limit):
    """Heat's event order: newest first unless asked; marker is exclusive."""
    _check_sort_dir(sort_dir)
    descending = sort_dir == 'desc' or (sort_dir is None and not sort_keys)
    if sort_keys and 'resource_type' in _as_list(sort_keys):
        rows = sorted(rows, key=lambda e: (e['resource_type'] or '', e['id']))
    if descending:
        rows = list(reversed(rows))
    if marker:
        uuids = [e['uuid'] for e in rows]
        if marker in uuids:
            rows = rows[uuids.index(marker) + 1:]
    return _page(rows, limit)


def progress(db, stacks: list[dict]) -> dict:
    """Nodes done, in flight and waiting for the current operation of a
    stack and the stacks nested in it (``subtree``), every level counted."""
    return db.resources_progress([s['id'] for s in stacks])


# --- trees of nested stacks ---

def subtree(top: dict, stacks: list[dict],
            depth: int | None = None) -> list[tuple[dict, int]]:
    """``top`` and the stacks of ``stacks`` nested in it, down to ``depth``
    levels below (all when None), each with its level below ``top``;
    a stack comes before the stacks it owns."""
    owned: dict[str, list[dict]] = {}
    for stack in stacks:
        if stack['owner_id'] is not None:
            owned.setdefault(stack['owner_id'], []).append(stack)
    found, todo = [], [(top, 0)]
    while todo:
        stack, level = todo.pop(0)
        found.append((stack, level))
        if depth is None or level < depth:
            todo.extend((child, level + 1)
                        for child in owned.get(stack['id'], ()))
    return found


def resource_tree(top: dict, rows_of: dict[str, list[dict]],
                  stacks_by_id: dict[str, dict], depth: int,
                  is_nested) -> list[tuple[dict, dict]]:
    """(row, stack) pairs in Heat's order: the rows ``top`` shows, then,
    for each of its rows that is a nested stack, that stack's rows (down to
    ``depth`` levels below ``top``), depth first.

    ``rows_of`` maps a stack id to its rows; ``is_nested(row)`` says
    whether a row's physical resource is a child stack.
    """
    listed = []
    shown = displayed_rows(rows_of.get(top['id'], []), top)
    listed.extend((row, top) for row in shown.values())
    if depth <= 0:
        return listed
    for row in shown.values():
        child = stacks_by_id.get(row['physical_resource_id'] or '')
        if is_nested(row) and child is not None:
            listed.extend(resource_tree(child, rows_of, stacks_by_id,
                                        depth - 1, is_nested))
    return listed


def _as_list(value) -> list:
    return value if isinstance(value, (list, tuple)) else [value]
