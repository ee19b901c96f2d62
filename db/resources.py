"""Resource rows: their reads, inserts, deletes and compare-and-swap."""

from typing import Iterable
import uuid

import sqlalchemy as sa

from db import core
from db import models
from db import retry
from db import statements

_RESOURCE = models.Resource.__table__


class Resources(core.Store):
    """The resource table (convergence.ports.Resources; the row lock is in
    db/locks.py)."""

    @retry.retried
    def resources_of_stack(self, stack_id: str, active_only: bool = True,
                           names: Iterable[str] | None = None) -> list[dict]:
        """The stack's rows; only those called one of ``names`` if given."""
        query = statements.RESOURCES_OF_STACK
        if active_only:
            query = query.where(statements.ACTIVE)
        if names is not None:
            query = query.where(_RESOURCE.c.name.in_(list(names)))
        with self._read() as connection:
            return [dict(r) for r in connection.execute(
                query, {'stack_id': stack_id}).mappings()]

    @retry.retried
    def resources_with_physical_id(self, physical_id: str) -> list[dict]:
        """Every live row whose physical resource id is ``physical_id``."""
        query = sa.select(_RESOURCE).where(
            _RESOURCE.c.physical_resource_id == physical_id).where(
            statements.ACTIVE)
        with self._read() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

    @retry.retried
    def resources_of_stacks(self, stack_ids: Iterable[str],
                            active_only: bool = True) -> list[dict]:
        """The rows of every one of the stacks (a tree), in id order."""
        query = sa.select(_RESOURCE).where(
            _RESOURCE.c.stack_id.in_(list(stack_ids)))
        if active_only:
            query = query.where(statements.ACTIVE)
        with self._read() as connection:
            return [dict(r) for r in connection.execute(
                query.order_by(_RESOURCE.c.id)).mappings()]

    @retry.retried
    def resources_create(self, rows: list[dict]) -> list[int]:
        """Insert new rows; returns their ids in the same order.

        Every row has its uuid before the first attempt; after a lost
        COMMIT, finding them means the earlier attempt inserted the rows.
        """
        if not rows:
            return []
        now = core.utcnow()
        for row in rows:
            row.setdefault('uuid', str(uuid.uuid4()))
            row.setdefault('created_at', now)
            row.setdefault('atomic_key', 0)
        uuids = [r['uuid'] for r in rows]
        with self._write() as connection:
            by_uuid = {}
            if retry.commit_unknown():
                by_uuid = ids_by_uuid(connection, uuids)
            if not by_uuid:
                connection.execute(_RESOURCE.insert(), core.uniform(rows))
                by_uuid = ids_by_uuid(connection, uuids)
        return [by_uuid[u] for u in uuids]

    @retry.retried
    def resource_get(self, resource_id: int) -> dict | None:
        with self._read() as connection:
            row = connection.execute(statements.RESOURCE_BY_ID,
                                     {'id': resource_id}).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def resource_and_stack(self, resource_id: int) -> tuple[dict, dict] | None:
        """The resource row and its stack row (without the graph) in one query."""
        with self._read() as connection:
            row = connection.execute(statements.RESOURCE_AND_STACK,
                                     {'id': resource_id}).first()
        if row is None:
            return None
        split = len(statements.RESOURCE_NAMES)
        return (dict(zip(statements.RESOURCE_NAMES, row[:split])),
                dict(zip(statements.STACK_NAMES, row[split:])))

    @retry.retried
    def resource_cas(self, resource_id: int, expected: dict,
                     values: dict) -> bool:
        """``UPDATE resource SET values WHERE id AND expected``; True if won.

        After a lost COMMIT, the row holding all of ``values`` (but the
        ``updated_at`` stamped here) proves the earlier attempt won: lock
        holders write a new ``atomic_key``, which only the winner writes.
        """
        statement, params = swap(resource_id, expected, values)
        with self._write() as connection:
            if connection.execute(statement, params).rowcount == 1:
                return True
            return retry.commit_unknown() and core.holds(
                connection, _RESOURCE, resource_id, values)

    @retry.retried
    def resource_delete(self, resource_id: int) -> None:
        self._delete(_RESOURCE, _RESOURCE.c.id == resource_id)

    @retry.retried
    def resources_purge_deleted(self, stack_id: str) -> None:
        with self._write() as connection:
            purge_deleted(connection, stack_id)

    @retry.retried
    def resources_locked_count(self, stack_id: str,
                               by_workers: bool = False) -> int:
        with self._read() as connection:
            return connection.execute(statements.LOCKED_COUNT[by_workers],
                                      {'stack_id': stack_id}).scalar_one()

    @retry.retried
    def resources_progress(self, stack_ids: Iterable[str]) -> dict[str, int]:
        """How many live rows of the stacks (a tree) are in flight, done,
        waiting.

        In flight: locked or IN_PROGRESS.  Done: otherwise at its own
        stack's goal template and past INIT.  Waiting: the rest.  One
        aggregate query.
        """
        with self._read() as connection:
            in_flight, done, total = connection.execute(
                statements.PROGRESS, {'stack_ids': list(stack_ids)}).one()
        return {'done': done, 'in_flight': in_flight,
                'waiting': total - in_flight - done}


def swap(resource_id: int, expected: dict, values: dict) -> tuple:
    """The compare-and-swap UPDATE of a resource row and its parameters."""
    statement = statements.resource_cas(tuple(sorted(
        (column, value is None) for column, value in expected.items())))
    params = {'w_' + column: value for column, value in expected.items()
              if value is not None}
    params.update(values, w_id=resource_id)
    params.setdefault('updated_at', core.utcnow())
    return statement, params


def ids_by_uuid(connection, uuids: list[str]) -> dict[str, int]:
    return dict(connection.execute(statements.IDS_BY_UUID,
                                   {'uuids': uuids}).all())


def purge_deleted(connection, stack_id: str) -> None:
    """resources_purge_deleted in the caller's write transaction."""
    connection.execute(statements.PURGE_DELETED, {'stack_id': stack_id})
