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
_TEMPLATE = models.RawTemplate.__table__
_EVENT = models.Event.__table__
_JOIN = models.SyncPoint.__table__
_INPUT = models.SyncPointInput.__table__

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
# The same swaps, the stack also still in the status read (a traversal's
# verdict keeps its id), by not_failing.
STACK_CAS_IN_STATUS = {not_failing: statement.where(
    _STACK.c.status == sa.bindparam('w_status'))
    for not_failing, statement in STACK_CAS.items()}

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


# Resource ids by uuid, of the rows an insert has just made.
IDS_BY_UUID = sa.select(_RESOURCE.c.uuid, _RESOURCE.c.id).where(
    _RESOURCE.c.uuid.in_(sa.bindparam('uuids', expanding=True)))
# Locked rows of a stack, by whether only workers' locks count (not rows
# awaiting a child stack).
LOCKED_COUNT = {by_workers: sa.select(sa.func.count()).where(
    _RESOURCE.c.stack_id == sa.bindparam('stack_id'),
    _RESOURCE.c.engine_id.is_not(None),
    *([_RESOURCE.c.awaiting.is_(None)] if by_workers else []))
    for by_workers in (False, True)}

# --- what a finished traversal leaves behind ----------------------------------

PURGE_DELETED = _RESOURCE.delete().where(
    _RESOURCE.c.stack_id == sa.bindparam('stack_id'),
    _RESOURCE.c.action == Action.DELETE,
    _RESOURCE.c.status == Status.COMPLETE)
# The joins and join inputs of a stack: its traversal's (True) or all.
JOINS_DELETE = {of_traversal: [table.delete().where(
    table.c.stack_id == sa.bindparam('stack_id'),
    *([table.c.traversal_id == sa.bindparam('traversal_id')]
      if of_traversal else [])) for table in (_JOIN, _INPUT)]
    for of_traversal in (False, True)}
# A stack's templates older than its goal that neither the stack (as its
# rollback target: NULL must not make the comparison unknown) nor any of
# its rows uses.
_GOAL = sa.select(_STACK.c.raw_template_id).where(
    _STACK.c.id == sa.bindparam('stack_id')).scalar_subquery()
_ROLLBACK_TARGET = sa.select(_STACK.c.prev_raw_template_id).where(
    _STACK.c.id == sa.bindparam('stack_id')).scalar_subquery()
UNUSED_TEMPLATES = sa.select(_TEMPLATE.c.id).where(
    _TEMPLATE.c.stack_id == sa.bindparam('stack_id'),
    _TEMPLATE.c.id < _GOAL,
    _TEMPLATE.c.id != sa.func.coalesce(_ROLLBACK_TARGET, -1),
    ~sa.exists().where(_RESOURCE.c.stack_id == sa.bindparam('stack_id'),
                       _RESOURCE.c.current_template_id == _TEMPLATE.c.id)
).order_by(_TEMPLATE.c.id)
TEMPLATES_DELETE = _TEMPLATE.delete().where(
    _TEMPLATE.c.id.in_(sa.bindparam('ids', expanding=True)))
# The newest event of a stack beyond the ``keep`` newest, and the delete of
# it and every older one (events in the order they happened).
_EVENT_ORDER = (_EVENT.c.created_at, _EVENT.c.id)
NEWEST_EVENT_GONE = sa.select(*_EVENT_ORDER).where(
    _EVENT.c.stack_id == sa.bindparam('stack_id')).order_by(
    *[c.desc() for c in _EVENT_ORDER]).limit(1).offset(sa.bindparam('keep'))
EVENTS_UP_TO = _EVENT.delete().where(
    _EVENT.c.stack_id == sa.bindparam('stack_id'), sa.or_(
        _EVENT.c.created_at < sa.bindparam('created_at'),
        sa.and_(_EVENT.c.created_at == sa.bindparam('created_at'),
                _EVENT.c.id <= sa.bindparam('event_id'))))


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
