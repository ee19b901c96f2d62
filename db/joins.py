"""Sync points (joins): their rows, and the reports predecessors make to them.

:class:`Joins` holds the queries (convergence.ports.Joins); :func:`report`
runs in the transaction of its caller, which is a report's own or the
release of the reporter's row lock (db/locks.py).

One sender reports to any number of joins of one traversal at once: its
input rows go in with one INSERT (the primary key drops duplicates), every
join's ``pending`` counts down with one UPDATE, and the joins it took to
zero are read back with their inputs.  Exactly one reporter takes a join to
zero, because the UPDATE holds the join's row lock until COMMIT and only
decrements while ``pending > 0``; a report to a join that no longer exists
(a superseded traversal) updates nothing.

Reading the inputs: every other reporter to a completed join has committed
before this transaction got the row lock, so their input rows are visible,
provided the read of the inputs takes its snapshot after the UPDATE.  On
PostgreSQL and SQLite every statement (or the one writer) sees the latest
commits.  MySQL/MariaDB's REPEATABLE READ takes the snapshot at the first
plain read of the transaction, so the reads here must stay after the
writes, and no caller may read before calling :func:`report`.
"""

import sqlalchemy as sa
from oslo_db import exception as db_exc

from db import core
from db import models
from db import retry
from db import statements

_JOIN = models.SyncPoint.__table__
_INPUT = models.SyncPointInput.__table__
_STACK = models.Stack.__table__


class Superseded(Exception):
    """None of the joins reported to exists (or all were complete already)."""


class Partial(Exception):
    """Some joins reported to exist and some not: report to them one by one."""


def _one(table):
    """The traversal's row of ``table`` at the bound join."""
    return sa.and_(table.c.traversal_id == sa.bindparam('traversal'),
                   table.c.entity_id == sa.bindparam('entity'),
                   table.c.is_update == sa.bindparam('update_node'))


def _many(table):
    """The traversal's rows of ``table`` at the bound joins (``keys``).

    ``entity_id IN`` beside the row-value IN lets SQLite use the primary
    key; on its own, SQLite scans the table for a row-value IN.
    """
    return sa.and_(
        table.c.traversal_id == sa.bindparam('traversal'),
        table.c.entity_id.in_(sa.bindparam('entities', expanding=True)),
        sa.tuple_(table.c.entity_id, table.c.is_update).in_(
            sa.bindparam('keys', expanding=True)))


class _Statements:
    """Every statement of a report, for one join or for several.

    One join binds plain parameters: an expanding IN is rendered anew at
    every execution, which costs more than the statement itself.
    """

    def __init__(self, where):
        # The sender who takes a join to zero is recorded as completed_by,
        # assigned before pending changes: MySQL evaluates SET left to
        # right with the new values, the others with the old ones.
        self.count_down = _JOIN.update().where(
            where(_JOIN), _JOIN.c.pending > 0).ordered_values(
            (_JOIN.c.completed_by, sa.case(
                (_JOIN.c.pending == 1, sa.bindparam('sender')),
                else_=_JOIN.c.completed_by)),
            (_JOIN.c.pending, _JOIN.c.pending - 1))
        self.count_down_returning = self.count_down.returning(
            _JOIN.c.entity_id, _JOIN.c.is_update, _JOIN.c.pending)
        # One join: the usual case (not the last) in one UPDATE with no
        # rows to read back, and a second one for the last.
        self.not_last = _JOIN.update().where(
            where(_JOIN), _JOIN.c.pending > 1).values(
            pending=_JOIN.c.pending - 1)
        self.last = _JOIN.update().where(
            where(_JOIN), _JOIN.c.pending == 1).values(
            pending=0, completed_by=sa.bindparam('sender'))
        self.inputs = sa.select(
            _INPUT.c.entity_id, _INPUT.c.is_update, _INPUT.c.sender,
            _INPUT.c.data).where(where(_INPUT))
        # The inputs of the joins among the keys that are complete: after
        # the count-down, exactly those this transaction completed.
        self.inputs_of_complete = sa.select(
            _INPUT.c.entity_id, _INPUT.c.is_update, _INPUT.c.sender,
            _INPUT.c.data).select_from(_INPUT.join(_JOIN, sa.and_(
                _JOIN.c.entity_id == _INPUT.c.entity_id,
                _JOIN.c.traversal_id == _INPUT.c.traversal_id,
                _JOIN.c.is_update == _INPUT.c.is_update))).where(
            where(_JOIN), _JOIN.c.pending == 0)
        self.completed_by = sa.select(
            _JOIN.c.entity_id, _JOIN.c.is_update).where(
            where(_JOIN), _JOIN.c.pending == 0,
            _JOIN.c.completed_by == sa.bindparam('sender'))
        self.own_inputs = sa.select(sa.func.count()).select_from(
            _INPUT).where(where(_INPUT),
                          _INPUT.c.sender == sa.bindparam('sender'))


_ONE = _Statements(_one)
_MANY = _Statements(_many)
_ADD_INPUTS = _INPUT.insert()


def report(connection, stack_id: str, traversal_id: str, sender: str,
           reports: list[tuple[str, bool, object]]) -> dict:
    """Record ``sender``'s (entity_id, is_update, data) reports.

    Returns {(entity_id, is_update): {sender: data}} for the joins this
    call completed.  Raises DBDuplicateEntry if ``sender`` had reported to
    one of them before, Superseded or Partial (see the classes); the
    caller must then roll back.
    """
    keys = [(entity_id, is_update) for entity_id, is_update, _ in reports]
    if len(set(keys)) != len(keys):
        raise ValueError('sender %s reports twice to one join' % sender)
    inputs = [{'entity_id': entity_id, 'traversal_id': traversal_id,
               'is_update': is_update, 'sender': sender, 'stack_id': stack_id,
               'data': data} for entity_id, is_update, data in reports]
    # One row as a plain execute: an executemany costs more to set up.
    connection.execute(_ADD_INPUTS, inputs if len(inputs) > 1 else inputs[0])
    statements, params = _bound(traversal_id, keys, sender)
    if connection.dialect.update_returning and len(keys) > 1:
        rows = connection.execute(statements.count_down_returning,
                                  params).all()
        _check(len(rows), len(keys))
        done = [(entity_id, is_update) for entity_id, is_update, pending
                in rows if pending == 0]
        return _inputs(connection, traversal_id, done, sender)
    if len(keys) == 1:
        # Usually not the last report: one UPDATE, no rows to read back.
        if connection.execute(statements.not_last, params).rowcount:
            return {}
        if not connection.execute(statements.last, params).rowcount:
            raise Superseded()
        return _grouped(connection.execute(statements.inputs, params))
    _check(connection.execute(statements.count_down, params).rowcount,
           len(keys))
    return _grouped(connection.execute(statements.inputs_of_complete, params))


def own_completions(connection, traversal_id: str, sender: str,
                    keys: list[tuple[str, bool]]) -> dict:
    """What an earlier :func:`report` of ``sender`` to these keys completed.

    For a report whose COMMIT was cut off and that then met its own input
    rows.  Raises Partial unless all of them are there (then they are not
    all its own: one call inserts all of them or none).
    """
    statements, params = _bound(traversal_id, keys, sender)
    if connection.execute(statements.own_inputs,
                          params).scalar_one() != len(keys):
        raise Partial()
    done = [tuple(row) for row in connection.execute(
        statements.completed_by, params)]
    return _inputs(connection, traversal_id, done, sender)


def _check(counted: int, expected: int) -> None:
    if counted == 0:
        raise Superseded()
    if counted != expected:
        raise Partial()


def _inputs(connection, traversal_id: str, done: list, sender: str) -> dict:
    if not done:
        return {}
    statements, params = _bound(traversal_id, done, sender)
    return _grouped(connection.execute(statements.inputs, params))


def _grouped(rows) -> dict:
    inputs: dict = {}
    for entity_id, is_update, sender, data in rows:
        inputs.setdefault((entity_id, bool(is_update)), {})[sender] = data
    return inputs


def _bound(traversal_id: str, keys: list, sender: str) -> tuple:
    """The statements for ``keys`` and their parameters."""
    if len(keys) == 1:
        (entity_id, is_update), = keys
        return _ONE, {'traversal': traversal_id, 'entity': entity_id,
                      'update_node': is_update, 'sender': sender}
    return _MANY, {'traversal': traversal_id, 'keys': list(keys),
                   'entities': sorted({entity_id for entity_id, _ in keys}),
                   'sender': sender}


class Joins(core.Store):
    """The sync_point and sync_point_input tables (convergence.ports.Joins)."""

    @retry.retried
    def sync_points_create(self, stack_id: str, traversal_id: str,
                           points: list[tuple[str, bool, int]]) -> None:
        """Create the joins of a traversal: (entity, is_update, in-degree).

        After a lost COMMIT, finding the joins means the earlier attempt
        created them (all in one transaction).
        """
        if not points:
            return
        rows = [{'entity_id': entity, 'traversal_id': traversal_id,
                 'is_update': is_update, 'stack_id': stack_id,
                 'pending': pending}
                for entity, is_update, pending in points]
        self._insert_once(_JOIN, rows)

    @retry.retried
    def traversal_store(self, stack_id: str, traversal_id: str, deps: dict,
                        points: list[tuple[str, bool, int]],
                        superseded: str | None = None) -> bool:
        """Drop the joins of the ``superseded`` traversal, store a starting
        traversal's graph (``current_deps``, a swap on the traversal as
        stack_cas) and create its joins, in one transaction; False, with
        neither graph nor joins written, if the stack runs another
        traversal now.

        After a lost COMMIT, the graph found stored proves the earlier
        attempt won (its joins went in with it).
        """
        rows = [{'entity_id': entity, 'traversal_id': traversal_id,
                 'is_update': is_update, 'stack_id': stack_id,
                 'pending': pending}
                for entity, is_update, pending in points]
        params = {'current_deps': deps, 'w_id': stack_id,
                  'w_traversal': traversal_id}
        try:
            with self._write() as connection:
                if superseded:
                    delete_joins(connection, stack_id, superseded)
                if connection.execute(statements.STACK_CAS[False],
                                      params).rowcount != 1:
                    return retry.commit_unknown() and core.holds(
                        connection, _STACK, stack_id, {'current_deps': deps})
                if rows:
                    connection.execute(_JOIN.insert(), rows)
                return True
        except db_exc.DBDuplicateEntry:
            if not retry.commit_unknown():
                raise
            return True

    def sync_points_report(self, stack_id: str, traversal_id: str,
                           sender: str, reports: list[tuple[str, bool, object]]
                           ) -> dict[tuple[str, bool], dict]:
        """One transaction for all, unless some report is a duplicate or
        some join is gone: then each report has its own."""
        if not reports:
            return {}
        try:
            return self._report(stack_id, traversal_id, sender, reports)
        except Superseded:
            return {}
        except (Partial, db_exc.DBDuplicateEntry):
            if len(reports) == 1:
                return {}
        done = {}
        for one in reports:
            done.update(self.sync_points_report(stack_id, traversal_id,
                                                sender, [one]))
        return done

    @retry.retried
    def _report(self, stack_id, traversal_id, sender, reports) -> dict:
        """:func:`report` in a transaction of its own.

        After a lost COMMIT, meeting this sender's input rows means the
        earlier attempt committed; it completed the joins that name this
        sender as their completer.
        """
        try:
            with self._write() as connection:
                return report(connection, stack_id, traversal_id, sender,
                              reports)
        except db_exc.DBDuplicateEntry:
            if not retry.commit_unknown():
                raise
        return self._own_completions(traversal_id, sender, reports)

    def _own_completions(self, traversal_id, sender, reports) -> dict:
        """What this sender's committed reports completed (own_completions).

        A transaction of its own: on MySQL, a read before the reports'
        writes would hide other reporters' rows from :func:`report`.
        """
        if not reports:
            return {}
        with self._read() as connection:
            return own_completions(
                connection, traversal_id, sender,
                [(entity_id, is_update) for entity_id, is_update, _ in reports])

    @retry.retried
    def sync_points_waiting(self) -> int:
        """Joins some predecessor reported to and some has yet to: nodes
        (or a stack's end) waiting on their join, over every traversal."""
        reported = sa.exists().where(
            _INPUT.c.traversal_id == _JOIN.c.traversal_id,
            _INPUT.c.entity_id == _JOIN.c.entity_id,
            _INPUT.c.is_update == _JOIN.c.is_update)
        query = sa.select(sa.func.count()).select_from(_JOIN).where(
            _JOIN.c.pending > 0, reported)
        with self._read() as connection:
            return connection.execute(query).scalar_one()

    @retry.retried
    def sync_points_delete(self, stack_id: str,
                           traversal_id: str | None = None) -> None:
        with self._write() as connection:
            delete_joins(connection, stack_id, traversal_id)


def delete_joins(connection, stack_id: str,
                 traversal_id: str | None = None) -> None:
    """sync_points_delete in the caller's write transaction."""
    for statement in statements.JOINS_DELETE[traversal_id is not None]:
        connection.execute(statement, {'stack_id': stack_id,
                                       'traversal_id': traversal_id})
