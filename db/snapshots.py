"""Snapshots of stacks and the entries their resources' nodes recorded."""

import sqlalchemy as sa

from db import core
from db import models
from db import retry

_SNAPSHOT = models.Snapshot.__table__
_RESOURCE_SNAPSHOT = models.ResourceSnapshot.__table__


class Snapshots(core.Store):
    """The snapshot and resource_snapshot tables (convergence.ports.Snapshots)."""

    @retry.retried
    def snapshot_create(self, values: dict) -> None:
        """Insert a snapshot row; its id is the caller's uuid."""
        values = dict(values)
        values.setdefault('created_at', core.utcnow())
        self._insert_once(_SNAPSHOT, values)

    @retry.retried
    def snapshot_get(self, snapshot_id: str) -> dict | None:
        with self._read() as connection:
            row = connection.execute(_SNAPSHOT.select().where(
                _SNAPSHOT.c.id == snapshot_id)).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def snapshots_of_stack(self, stack_id: str) -> list[dict]:
        """The stack's snapshots, oldest first."""
        with self._read() as connection:
            return [dict(r) for r in connection.execute(
                _SNAPSHOT.select().where(_SNAPSHOT.c.stack_id == stack_id)
                .order_by(_SNAPSHOT.c.created_at, _SNAPSHOT.c.id)).mappings()]

    @retry.retried
    def snapshot_update(self, snapshot_id: str, values: dict,
                        expected: dict | None = None) -> bool:
        """Write ``values`` if the row still holds ``expected``; False if
        it is gone or changed.  Writing the same values twice is harmless,
        so a doubtful COMMIT is checked by reading them back."""
        query = _SNAPSHOT.update().where(_SNAPSHOT.c.id == snapshot_id)
        for column, value in (expected or {}).items():
            query = query.where(getattr(_SNAPSHOT.c, column) == value)
        values = dict(values, updated_at=core.utcnow())
        with self._write() as connection:
            if connection.execute(query.values(**values)).rowcount == 1:
                return True
            return retry.commit_unknown() and core.holds(
                connection, _SNAPSHOT, snapshot_id,
                {k: v for k, v in values.items() if k != 'updated_at'})

    @retry.retried
    def snapshot_delete(self, snapshot_id: str) -> None:
        """Remove the snapshot and its resources' entries.  Idempotent."""
        with self._write() as connection:
            connection.execute(_RESOURCE_SNAPSHOT.delete().where(
                _RESOURCE_SNAPSHOT.c.snapshot_id == snapshot_id))
            connection.execute(_SNAPSHOT.delete().where(
                _SNAPSHOT.c.id == snapshot_id))

    @retry.retried
    def resource_snapshot_put(self, snapshot_id: str, resource_name: str,
                              data: dict) -> None:
        """Record (or record again) one resource's entry.  Idempotent."""
        with self._write() as connection:
            connection.execute(_RESOURCE_SNAPSHOT.delete().where(
                _RESOURCE_SNAPSHOT.c.snapshot_id == snapshot_id,
                _RESOURCE_SNAPSHOT.c.resource_name == resource_name))
            connection.execute(_RESOURCE_SNAPSHOT.insert(), {
                'snapshot_id': snapshot_id, 'resource_name': resource_name,
                'data': data, 'created_at': core.utcnow()})

    @retry.retried
    def resource_snapshots(self, snapshot_id: str) -> dict[str, dict]:
        """Resource name -> the entry its node recorded."""
        with self._read() as connection:
            rows = connection.execute(sa.select(
                _RESOURCE_SNAPSHOT.c.resource_name,
                _RESOURCE_SNAPSHOT.c.data).where(
                _RESOURCE_SNAPSHOT.c.snapshot_id == snapshot_id))
            return {name: data for name, data in rows}
