"""The statements every node runs, built once.

Building a statement and generating its cache key cost more CPU than
SQLite takes to run it; these are built at import, with their values bound
at execution.  An UPDATE without .values() sets the columns named by the
keys of its parameters; its own bound values are named ``w_<column>``.
"""

import functools

import sqlalchemy as sa

from convergence.states import Action, Status
from db import models

_RESOURCE = models.Resource.__table__
_STACK = models.Stack.__table__

# A live row: not deleted.
ACTIVE = sa.not_(sa.and_(_RESOURCE.c.action == Action.DELETE,
                         _RESOURCE.c.status == Status.COMPLETE))

# The stack row without its (possibly large) traversal graph.
STACK_COLUMNS = [c for c in _STACK.c if c.name != 'current_deps']
STACK_NAMES = [c.name for c in STACK_COLUMNS]
STACK_BY_ID = sa.select(*STACK_COLUMNS).where(
    _STACK.c.id == sa.bindparam('id'))
# Compare-and-swap of a stack row, by not_failing.
STACK_CAS = {not_failing: _STACK.update().where(
    _STACK.c.id == sa.bindparam('w_id'),
    _STACK.c.current_traversal == sa.bindparam('w_traversal'),
    _STACK.c.deleted_at.is_(None),
    *([_STACK.c.failure_reason.is_(None)] if not_failing else []))
    for not_failing in (False, True)}

RESOURCE_NAMES = [c.name for c in _RESOURCE.c]
RESOURCE_BY_ID = sa.select(_RESOURCE).where(
    _RESOURCE.c.id == sa.bindparam('id'))
RESOURCES_OF_STACK = sa.select(_RESOURCE).where(
    _RESOURCE.c.stack_id == sa.bindparam('stack_id'))
RESOURCE_AND_STACK = sa.select(_RESOURCE, *STACK_COLUMNS).select_from(
    _RESOURCE.join(_STACK, _STACK.c.id == _RESOURCE.c.stack_id)).where(
    _RESOURCE.c.id == sa.bindparam('id'))
# The row lock: only a free row unchanged since it was read, of a stack
# that still runs the traversal and is not failing.
LOCK = _RESOURCE.update().where(
    _RESOURCE.c.id == sa.bindparam('w_id'),
    _RESOURCE.c.engine_id.is_(None),
    _RESOURCE.c.atomic_key == sa.bindparam('w_atomic_key'),
    sa.exists().where(_STACK.c.id == sa.bindparam('w_stack_id'),
                      _STACK.c.current_traversal == sa.bindparam('w_traversal'),
                      _STACK.c.failure_reason.is_(None),
                      _STACK.c.deleted_at.is_(None)))
# A show_stack's progress: rows in flight (locked or IN_PROGRESS), done (at
# their stack's goal template and past INIT) and all, of the live rows of
# the stacks of a tree.
IN_FLIGHT = sa.or_(_RESOURCE.c.engine_id.is_not(None),
                   _RESOURCE.c.status == Status.IN_PROGRESS)
PROGRESS = sa.select(
    sa.func.count(sa.case((IN_FLIGHT, 1))),
    sa.func.count(sa.case((sa.and_(
        sa.not_(IN_FLIGHT),
        _RESOURCE.c.current_template_id == _STACK.c.raw_template_id,
        _RESOURCE.c.action != Action.INIT), 1))),
    sa.func.count()).select_from(
    _RESOURCE.join(_STACK, _STACK.c.id == _RESOURCE.c.stack_id)).where(
    _RESOURCE.c.stack_id.in_(sa.bindparam('stack_ids', expanding=True)),
    ACTIVE)


@functools.lru_cache(maxsize=256)
def resource_cas(expected: tuple) -> sa.Update:
    """The compare-and-swap UPDATE for ``expected``: ((column, is None), ...).

    Built once per shape; the values to set and to expect are bound at
    execution (``w_<column>`` for the expected ones).
    """
    conditions = [_RESOURCE.c.id == sa.bindparam('w_id')]
    for name, is_none in expected:
        if name not in _RESOURCE.c:
            raise ValueError('resource has no column %r' % name)
        column = _RESOURCE.c[name]
        conditions.append(column.is_(None) if is_none else
                          column == sa.bindparam('w_' + name,
                                                 type_=column.type))
    return _RESOURCE.update().where(*conditions)
