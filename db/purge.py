"""Purging deleted stacks: the operator's queries (convergence-manage
purge_deleted), not a port of the engine's.

A deleted stack keeps its row (``deleted_at`` set) so that ``stack show``
by id still answers, as in Heat; purging removes it and everything that
names it.
"""

import datetime

import sqlalchemy as sa

from db import core
from db import models
from db import retry

_STACK = models.Stack.__table__
# Rows naming a stack, removed before the stack row (resource has a foreign
# key to it); its templates go last, the stack row points at them.
_CHILDREN = (models.Resource.__table__, models.Event.__table__,
             models.SyncPoint.__table__, models.SyncPointInput.__table__)
_TEMPLATE = models.RawTemplate.__table__


class Purge(core.Store):
    """Removal of stacks deleted long ago, with all their rows."""

    @retry.retried
    def stacks_deleted_before(self, cutoff: datetime.datetime) -> list[str]:
        """Ids of the stacks deleted before ``cutoff``, oldest first."""
        query = sa.select(_STACK.c.id).where(
            _STACK.c.deleted_at.is_not(None), _STACK.c.deleted_at < cutoff
        ).order_by(_STACK.c.deleted_at, _STACK.c.id)
        with self._read() as connection:
            return list(connection.execute(query).scalars())

    @retry.retried
    def stack_purge(self, stack_id: str) -> bool:
        """Remove a deleted stack with its resources, events, sync points
        and templates, in one transaction.

        A stack not deleted (or not there any more) is left alone: False.
        Doing it again after a lost COMMIT finds nothing and returns False.
        """
        with self._write() as connection:
            deleted = connection.execute(sa.select(_STACK.c.id).where(
                _STACK.c.id == stack_id, _STACK.c.deleted_at.is_not(None)
            ).with_for_update()).first()
            if deleted is None:
                return False
            for table in _CHILDREN:
                connection.execute(table.delete().where(
                    table.c.stack_id == stack_id))
            connection.execute(_STACK.delete().where(_STACK.c.id == stack_id))
            connection.execute(_TEMPLATE.delete().where(
                _TEMPLATE.c.stack_id == stack_id))
            return True
