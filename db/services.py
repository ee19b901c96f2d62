"""Engines' heartbeats, and what recovery reads to tell live work from abandoned."""

import uuid

import sqlalchemy as sa
from oslo_db import exception as db_exc

from convergence.states import Status
from db import core
from db import models
from db import retry
from db import statements

_SERVICE = models.Service.__table__


class Services(core.Store):
    """The service table and the recovery sweeper's reads
    (convergence.ports.Services)."""

    @retry.retried
    def service_report(self, engine_id: str, values: dict) -> None:
        """Create or refresh an engine's heartbeat row.

        After a lost COMMIT, meeting the engine's row means the earlier
        attempt created it.
        """
        now = core.utcnow()
        try:
            with self._write() as connection:
                updated = connection.execute(_SERVICE.update().where(
                    _SERVICE.c.engine_id == engine_id).values(
                    updated_at=now)).rowcount
                if not updated:
                    connection.execute(_SERVICE.insert().values(
                        id=str(uuid.uuid4()), engine_id=engine_id,
                        created_at=now, updated_at=now, **values))
        except db_exc.DBDuplicateEntry:
            if not retry.commit_unknown():
                raise

    @retry.retried
    def service_list(self) -> list[dict]:
        with self._read() as connection:
            return [dict(s) for s in connection.execute(
                _SERVICE.select().where(_SERVICE.c.deleted_at.is_(None))
                .order_by(_SERVICE.c.created_at)).mappings()]

    @retry.retried
    def service_delete(self, engine_id: str) -> None:
        self._delete(_SERVICE, _SERVICE.c.engine_id == engine_id)

    # --- what recovery reads ---------------------------------------------------

    @retry.retried
    def resources_locked(self) -> list[dict]:
        """Every locked resource row, of every stack (few: only in-flight ones)."""
        columns = [models.Resource.__table__.c[name] for name in (
            'id', 'stack_id', 'name', 'type', 'engine_id', 'atomic_key',
            'action', 'status', 'pending_trigger', 'awaiting', 'updated_at',
            'physical_resource_id')]
        with self.reader() as session:
            return [dict(r) for r in session.execute(sa.select(*columns).where(
                models.Resource.engine_id.is_not(None))).mappings()]

    @retry.retried
    def stacks_running(self) -> list[dict]:
        """Stacks with a traversal under way (without their graphs)."""
        query = sa.select(*statements.STACK_COLUMNS).where(
            models.Stack.status == Status.IN_PROGRESS,
            models.Stack.current_traversal.is_not(None),
            models.Stack.current_traversal != '',
            models.Stack.deleted_at.is_(None))
        with self.reader() as session:
            return [dict(r) for r in session.execute(query).mappings()]

    @retry.retried
    def stack_activity(self, stack_id: str) -> tuple:
        """(latest resource write, locked rows) of a stack, in one query."""
        locked = sa.func.count(models.Resource.engine_id)
        with self.reader() as session:
            latest, count = session.execute(sa.select(
                sa.func.max(models.Resource.updated_at), locked).where(
                models.Resource.stack_id == stack_id)).one()
            return latest, count
