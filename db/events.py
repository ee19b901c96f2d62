"""The event log's rows: one per state change of a resource or a stack."""

from oslo_db import exception as db_exc

from db import core
from db import models
from db import retry
from db import statements

_EVENT = models.Event.__table__
# Events in the order they happened: engines buffer their events, so one
# written later may have happened earlier (as Heat: by time, then id).
_EVENT_ORDER = (_EVENT.c.created_at, _EVENT.c.id)


class Events(core.Store):
    """The event table (convergence.ports.Events)."""

    @retry.retried
    def events_add(self, rows: list[dict],
                   trim: tuple[str, int] | None = None) -> None:
        """Insert events; with ``trim`` (stack id, keep), then keep only
        that stack's newest ``keep`` events, in the same transaction.

        After a lost COMMIT, meeting their uuids means the earlier attempt
        inserted them (all in one transaction, trimmed with them).
        """
        if not rows:
            if trim is not None:
                self.events_trim(*trim)
            return
        try:
            with self._write() as connection:
                connection.execute(_EVENT.insert(), core.uniform(rows))
                if trim is not None:
                    _trim(connection, *trim)
        except db_exc.DBDuplicateEntry:
            if not retry.commit_unknown():
                raise

    @retry.retried
    def events_list(self, stack_id: str, resource_name: str | None = None,
                    filters: dict | None = None) -> list[dict]:
        if resource_name is not None:
            filters = dict(filters or {}, resource_name=resource_name)
        return self._events(_EVENT.c.stack_id == stack_id, filters)

    @retry.retried
    def events_of_stacks(self, stack_ids: list[str],
                         filters: dict | None = None) -> list[dict]:
        """The events of all the stacks (a tree), interleaved in the order
        they happened."""
        return self._events(_EVENT.c.stack_id.in_(list(stack_ids)), filters)

    def _events(self, where, filters: dict | None) -> list[dict]:
        query = _EVENT.select().where(where)
        for column, wanted in (filters or {}).items():
            query = query.where(core.one_of(getattr(models.Event, column),
                                            wanted))
        with self._read() as connection:
            return [dict(e) for e in connection.execute(
                query.order_by(*_EVENT_ORDER)).mappings()]

    @retry.retried
    def events_trim(self, stack_id: str, keep: int) -> None:
        """Keep only the newest ``keep`` events of a stack."""
        with self._write() as connection:
            _trim(connection, stack_id, keep)


def _trim(connection, stack_id: str, keep: int) -> None:
    newest_gone = connection.execute(statements.NEWEST_EVENT_GONE, {
        'stack_id': stack_id, 'keep': keep}).first()
    if newest_gone:
        created_at, event_id = newest_gone
        connection.execute(statements.EVENTS_UP_TO, {
            'stack_id': stack_id, 'created_at': created_at,
            'event_id': event_id})
