"""The query API: every read and write the engine makes, as short transactions.

All concurrency control is optimistic: writes that race are compare-and-swap
``UPDATE ... WHERE <expected values>`` whose row count says who won.  No
transaction is held across an RPC or a resource action, and there is no
global lock.  Rows are returned as plain dicts so callers never hold a
session.

Every method runs again after a deadlock or a lost connection
(db/retry.py); a method that writes says how it recognises its own earlier
write when a lost COMMIT leaves unknown whether that write happened.  The
calls every node makes run prebuilt Core statements: building and
compiling a statement costs more CPU than SQLite takes to run it.
"""

import contextlib
import datetime
from typing import Iterable
import uuid

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade

from db import joins
from db import models
from db import retry
from db import sqlite
from db import statements

_RESOURCE = models.Resource.__table__
_STACK = models.Stack.__table__
_TEMPLATE = models.RawTemplate.__table__
_EVENT = models.Event.__table__
_SERVICE = models.Service.__table__
_JOIN = models.SyncPoint.__table__
_INPUT = models.SyncPointInput.__table__

# The stack row without its (possibly large) traversal graph.
_STACK_COLUMNS = statements.STACK_COLUMNS
# Events in the order they happened: engines buffer their events, so one
# written later may have happened earlier (as Heat: by time, then id).
_EVENT_ORDER = (_EVENT.c.created_at, _EVENT.c.id)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class _Context:
    """enginefacade needs an object to hang the transaction on."""


class Database:
    """One database, reached through an oslo.db enginefacade."""

    def __init__(self, url: str, **engine_options):
        self.url = url
        self._engine = None
        self._connections = None
        self._facade = enginefacade.transaction_context()
        options = {'connection': url, 'sqlite_fk': False}
        if url.startswith('sqlite'):
            options.update(sqlite.ENGINE_OPTIONS)
            self._facade.append_on_engine_create(sqlite.prepare)
        options.update(engine_options)
        self._facade.configure(**options)

    @property
    def engine(self) -> sa.engine.Engine:
        if self._engine is None:
            self._engine = self._facade.writer.get_engine()
        return self._engine

    @property
    def connections(self) -> sqlite.Connections:
        if self._connections is None:
            self._connections = sqlite.Connections(self.engine)
        return self._connections

    @contextlib.contextmanager
    def writer(self):
        """A write transaction (on SQLite it holds the write lock throughout)."""
        with sqlite.writing(), retry.watching_commit() as watch:
            with self._facade.writer.using(_Context()) as session:
                yield session
                watch.committing()

    def reader(self):
        return self._facade.reader.using(_Context())

    # The Core methods take their connections from the enginefacade's
    # engine directly: its transaction scopes (which nest, per context)
    # cost a fifth of the CPU of a one-statement transaction, and these
    # transactions never nest.

    @contextlib.contextmanager
    def _write(self):
        """As writer(), on a Core connection rather than a Session."""
        with sqlite.writing(), retry.watching_commit() as watch:
            with self.connections.transaction() as connection:
                yield connection
                watch.committing()

    def _read(self):
        """As reader(), on a Core connection rather than a Session."""
        return self.connections.reading()

    def _insert_once(self, table: sa.Table, rows) -> None:
        """Insert ``rows``; each has a unique key the caller chose before
        the first attempt, so a duplicate after a lost COMMIT means that
        attempt inserted them."""
        try:
            with self._write() as connection:
                connection.execute(table.insert(), rows)
        except db_exc.DBDuplicateEntry:
            if not retry.commit_unknown():
                raise

    def create_schema(self) -> None:
        """Create every table (tests and the embedded default; else alembic)."""
        models.Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        if self._connections is not None:
            self._connections.close()
        self.engine.dispose()

    # --- raw templates -------------------------------------------------------

    @retry.retried
    def raw_template_create(self, stack_id: str, template: dict,
                            environment: dict | None,
                            files: dict | None) -> int:
        """Store a template; returns its id.

        After a lost COMMIT the template may be stored twice: the copy
        nobody uses goes with raw_templates_delete_unused.
        """
        with self._write() as connection:
            result = connection.execute(_TEMPLATE.insert(), {
                'stack_id': stack_id, 'template': template,
                'environment': environment or {}, 'files': files or {},
                'created_at': utcnow()})
            return result.inserted_primary_key[0]

    @retry.retried
    def raw_template_get(self, template_id: int) -> dict | None:
        with self._read() as connection:
            row = connection.execute(_TEMPLATE.select().where(
                _TEMPLATE.c.id == template_id)).mappings().first()
            return None if row is None else {
                'id': row['id'], 'template': row['template'],
                'environment': row['environment'] or {},
                'files': row['files'] or {}}

    @retry.retried
    def raw_templates_delete_unused(self, stack_id: str) -> list[int]:
        """Delete the stack's templates that neither it nor a row points at.

        Templates newer than the stack's goal are kept: an operation creates
        its template before it swaps it in, and must not find it deleted.
        Returns the ids deleted.
        """
        with self._write() as connection:
            ids = set(connection.execute(sa.select(_TEMPLATE.c.id).where(
                _TEMPLATE.c.stack_id == stack_id)).scalars())
            stack = connection.execute(sa.select(
                _STACK.c.raw_template_id, _STACK.c.prev_raw_template_id).where(
                _STACK.c.id == stack_id)).first()
            used = set(stack or ())
            used.update(connection.execute(sa.select(
                _RESOURCE.c.current_template_id).where(
                _RESOURCE.c.stack_id == stack_id)).scalars())
            unused = ids - used
            if stack is not None:
                unused = {i for i in unused if i < stack.raw_template_id}
            if unused:
                connection.execute(_TEMPLATE.delete().where(
                    _TEMPLATE.c.id.in_(unused)))
            return sorted(unused)

    # --- stacks ----------------------------------------------------------------

    @retry.retried
    def stack_create(self, values: dict) -> None:
        """Insert a stack row.

        After a lost COMMIT, finding the row (its id is the caller's uuid)
        means the earlier attempt inserted it.
        """
        values = dict(values)
        values.setdefault('created_at', utcnow())
        self._insert_once(_STACK, values)

    @retry.retried
    def stack_get(self, stack_id: str, show_deleted: bool = True) -> dict | None:
        query = statements.STACK_BY_ID
        if not show_deleted:
            query = query.where(_STACK.c.deleted_at.is_(None))
        with self._read() as connection:
            row = connection.execute(query, {'id': stack_id}).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def stack_get_by_name(self, tenant: str, name: str) -> dict | None:
        query = sa.select(*_STACK_COLUMNS).where(
            _STACK.c.tenant == tenant, _STACK.c.name == name,
            _STACK.c.deleted_at.is_(None))
        with self._read() as connection:
            row = connection.execute(query).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def stack_list(self, tenant: str | None, show_deleted: bool = False,
                   filters: dict | None = None) -> list[dict]:
        query = sa.select(*_STACK_COLUMNS)
        if tenant is not None:
            query = query.where(_STACK.c.tenant == tenant)
        if not show_deleted:
            query = query.where(_STACK.c.deleted_at.is_(None))
        for column, wanted in (filters or {}).items():
            col = getattr(models.Stack, column)
            values = wanted if isinstance(wanted, list) else [wanted]
            query = query.where(col.in_(values))
        query = query.order_by(_STACK.c.created_at.desc(), _STACK.c.id)
        with self._read() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

    @retry.retried
    def stack_deps(self, stack_id: str) -> dict | None:
        with self._read() as connection:
            return connection.execute(sa.select(_STACK.c.current_deps).where(
                _STACK.c.id == stack_id)).scalar_one_or_none()

    @retry.retried
    def stack_cas(self, stack_id: str, expected_traversal: str,
                  values: dict, not_failing: bool = False) -> bool:
        """Write ``values`` iff the stack still runs ``expected_traversal``.

        With ``not_failing`` the traversal must also not be failing already.
        After a lost COMMIT, the row holding all of ``values`` proves the
        earlier attempt won.  A new traversal id is unique to its writer;
        other values another engine may have written just the same, with
        the same effect, which is why the doubt is harmless.
        """
        params = dict(values, w_id=stack_id, w_traversal=expected_traversal)
        with self._write() as connection:
            if connection.execute(statements.STACK_CAS[not_failing],
                                  params).rowcount == 1:
                return True
            return retry.commit_unknown() and _holds(connection, _STACK,
                                                     stack_id, values)

    # --- resources -------------------------------------------------------------

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
    def resources_create(self, rows: list[dict]) -> list[int]:
        """Insert new rows; returns their ids in the same order.

        Every row has its uuid before the first attempt; after a lost
        COMMIT, finding them means the earlier attempt inserted the rows.
        """
        if not rows:
            return []
        now = utcnow()
        for row in rows:
            row.setdefault('uuid', str(uuid.uuid4()))
            row.setdefault('created_at', now)
            row.setdefault('atomic_key', 0)
        uuids = [r['uuid'] for r in rows]
        with self._write() as connection:
            by_uuid = {}
            if retry.commit_unknown():
                by_uuid = _ids_by_uuid(connection, uuids)
            if not by_uuid:
                connection.execute(_RESOURCE.insert(), _uniform(rows))
                by_uuid = _ids_by_uuid(connection, uuids)
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
        statement, params = _resource_swap(resource_id, expected, values)
        with self._write() as connection:
            if connection.execute(statement, params).rowcount == 1:
                return True
            return retry.commit_unknown() and _holds(connection, _RESOURCE,
                                                     resource_id, values)

    @retry.retried
    def resource_release_reporting(self, resource_id: int, expected: dict,
                                   values: dict, stack_id: str,
                                   traversal_id: str, sender: str,
                                   reports: list[tuple[str, bool, object]]
                                   ) -> dict | None:
        """resource_cas and sync_points_report in one transaction.

        What a finished node writes: its row released, its reports to its
        successors' joins (or to the stack's) recorded, both or neither.
        Returns the joins completed, as sync_points_report does, or None
        when nothing was written: the swap lost, or some report needs a
        transaction of its own (a duplicate, a superseded join).  The caller
        then releases and reports the long way.  After a lost COMMIT, the
        row holding ``values`` proves both were written (as for
        resource_cas); the completions are then read back.
        """
        statement, params = _resource_swap(resource_id, expected, values)
        try:
            with self._write() as connection:
                if connection.execute(statement, params).rowcount == 1:
                    return joins.report(connection, stack_id, traversal_id,
                                        sender, reports) if reports else {}
                won_before = retry.commit_unknown() and _holds(
                    connection, _RESOURCE, resource_id, values)
            if won_before:
                return self._own_completions(traversal_id, sender, reports)
        except (joins.Superseded, joins.Partial, db_exc.DBDuplicateEntry):
            pass
        return None

    @retry.retried
    def resource_lock(self, row: dict, engine_id: str, traversal_id: str,
                      values: dict) -> bool:
        """Take the row lock for a node of a traversal that is still running.

        Wins only if the row is unlocked and unchanged since it was read, and
        the stack still runs ``traversal_id`` and is not failing; so nothing
        starts work for a superseded or failing traversal.  After a lost
        COMMIT, the row held by ``engine_id`` at the next ``atomic_key``
        proves the earlier attempt took the lock.
        """
        taken = {'engine_id': engine_id, 'atomic_key': row['atomic_key'] + 1}
        params = dict(values, **taken)
        params.update(updated_at=utcnow(), w_id=row['id'],
                      w_atomic_key=row['atomic_key'],
                      w_stack_id=row['stack_id'], w_traversal=traversal_id)
        with self._write() as connection:
            if connection.execute(statements.LOCK, params).rowcount == 1:
                return True
            return retry.commit_unknown() and _holds(connection, _RESOURCE,
                                                     row['id'], taken)

    @retry.retried
    def resource_delete(self, resource_id: int) -> None:
        with self._write() as connection:
            connection.execute(_RESOURCE.delete().where(
                _RESOURCE.c.id == resource_id))

    def resource_create_replacement(self, old_id: int, old_atomic_key: int,
                                    engine_id: str, row: dict) -> int | None:
        """Insert the replacement of a row this engine holds, and link both.

        Returns the new id, or None if the old row is no longer ours.  After
        a lost COMMIT, finding the new row's uuid (chosen once, here) means
        the earlier attempt did both.
        """
        row = dict(row, uuid=str(uuid.uuid4()), created_at=utcnow(),
                   atomic_key=0, replaces=old_id)
        try:
            return self._insert_replacement(old_id, old_atomic_key,
                                            engine_id, row)
        except _Abandon:
            return None

    @retry.retried
    def _insert_replacement(self, old_id, old_atomic_key, engine_id, row):
        with self._write() as connection:
            if retry.commit_unknown():
                found = _ids_by_uuid(connection, [row['uuid']])
                if found:
                    return found[row['uuid']]
            new_id = connection.execute(
                _RESOURCE.insert(), row).inserted_primary_key[0]
            result = connection.execute(_RESOURCE.update().where(
                _RESOURCE.c.id == old_id,
                _RESOURCE.c.engine_id == engine_id,
                _RESOURCE.c.atomic_key == old_atomic_key).values(
                replaced_by=new_id, updated_at=utcnow()))
            if result.rowcount != 1:
                raise _Abandon()
            return new_id

    @retry.retried
    def resources_purge_deleted(self, stack_id: str) -> None:
        with self._write() as connection:
            connection.execute(_RESOURCE.delete().where(
                _RESOURCE.c.stack_id == stack_id,
                _RESOURCE.c.action == 'DELETE',
                _RESOURCE.c.status == 'COMPLETE'))

    @retry.retried
    def resources_locked_count(self, stack_id: str) -> int:
        with self._read() as connection:
            return connection.execute(sa.select(sa.func.count()).where(
                _RESOURCE.c.stack_id == stack_id,
                _RESOURCE.c.engine_id.is_not(None))).scalar_one()

    @retry.retried
    def resources_progress(self, stack_id: str,
                           goal_template_id: int) -> dict[str, int]:
        """How many of the stack's live rows are in flight, done, waiting.

        In flight: locked or IN_PROGRESS.  Done: otherwise at the goal
        template and past INIT.  Waiting: the rest.  One aggregate query.
        """
        with self._read() as connection:
            in_flight, done, total = connection.execute(statements.PROGRESS, {
                'stack_id': stack_id, 'goal': goal_template_id}).one()
        return {'done': done, 'in_flight': in_flight,
                'waiting': total - in_flight - done}

    @retry.retried
    def resources_delete_all(self, stack_id: str) -> None:
        with self._write() as connection:
            connection.execute(_RESOURCE.delete().where(
                _RESOURCE.c.stack_id == stack_id))

    # --- sync points ----------------------------------------------------------

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

    def sync_point_report(self, stack_id: str, traversal_id: str,
                          entity_id: str, is_update: bool, sender: str,
                          data) -> dict | None:
        """Record one predecessor's report at a join.

        Returns every report's data (sender -> data) to exactly one caller:
        the one whose report completes the join.  Returns None to everyone
        else, including duplicate reports and reports to a join that no
        longer exists (its traversal was superseded).
        """
        return self.sync_points_report(
            stack_id, traversal_id, sender,
            [(entity_id, is_update, data)]).get((entity_id, is_update))

    def sync_points_report(self, stack_id: str, traversal_id: str,
                           sender: str, reports: list[tuple[str, bool, object]]
                           ) -> dict[tuple[str, bool], dict]:
        """Record one predecessor's reports to several joins at once.

        ``reports`` holds (entity_id, is_update, data), one per join.
        Returns {(entity_id, is_update): inputs} for the joins this call
        completed; each join keeps the guarantees of sync_point_report.
        One transaction for all, unless some report is a duplicate or some
        join is gone: then each report has its own.
        """
        if not reports:
            return {}
        try:
            return self._report(stack_id, traversal_id, sender, reports)
        except joins.Superseded:
            return {}
        except (joins.Partial, db_exc.DBDuplicateEntry):
            if len(reports) == 1:
                return {}
        done = {}
        for report in reports:
            done.update(self.sync_points_report(stack_id, traversal_id,
                                                sender, [report]))
        return done

    @retry.retried
    def _report(self, stack_id, traversal_id, sender, reports) -> dict:
        """joins.report in a transaction of its own.

        After a lost COMMIT, meeting this sender's input rows means the
        earlier attempt committed; it completed the joins that name this
        sender as their completer.
        """
        try:
            with self._write() as connection:
                return joins.report(connection, stack_id, traversal_id,
                                    sender, reports)
        except db_exc.DBDuplicateEntry:
            if not retry.commit_unknown():
                raise
        return self._own_completions(traversal_id, sender, reports)

    def _own_completions(self, traversal_id, sender, reports) -> dict:
        """What this sender's committed reports completed (joins.own_completions).

        A transaction of its own: on MySQL, a read before the reports'
        writes would hide other reporters' rows from joins.report.
        """
        if not reports:
            return {}
        with self._read() as connection:
            return joins.own_completions(
                connection, traversal_id, sender,
                [(entity_id, is_update) for entity_id, is_update, _ in reports])

    @retry.retried
    def sync_points_delete(self, stack_id: str,
                           traversal_id: str | None = None) -> None:
        """Drop a traversal's joins (all of the stack's when traversal is None)."""
        with self._write() as connection:
            for table in (_JOIN, _INPUT):
                query = table.delete().where(table.c.stack_id == stack_id)
                if traversal_id is not None:
                    query = query.where(table.c.traversal_id == traversal_id)
                connection.execute(query)

    # --- events -----------------------------------------------------------------

    @retry.retried
    def events_add(self, rows: list[dict]) -> None:
        """Insert events.

        After a lost COMMIT, meeting their uuids means the earlier attempt
        inserted them (all in one transaction).
        """
        if not rows:
            return
        self._insert_once(_EVENT, _uniform(rows))

    @retry.retried
    def events_list(self, stack_id: str, resource_name: str | None = None,
                    filters: dict | None = None) -> list[dict]:
        query = _EVENT.select().where(_EVENT.c.stack_id == stack_id)
        if resource_name is not None:
            query = query.where(_EVENT.c.resource_name == resource_name)
        for column, wanted in (filters or {}).items():
            values = wanted if isinstance(wanted, list) else [wanted]
            query = query.where(getattr(models.Event, column).in_(values))
        with self._read() as connection:
            return [dict(e) for e in connection.execute(
                query.order_by(*_EVENT_ORDER)).mappings()]

    @retry.retried
    def events_trim(self, stack_id: str, keep: int) -> None:
        """Keep only the newest ``keep`` events of a stack."""
        with self._write() as connection:
            newest_gone = connection.execute(sa.select(
                _EVENT.c.created_at, _EVENT.c.id).where(
                _EVENT.c.stack_id == stack_id).order_by(
                *[c.desc() for c in _EVENT_ORDER]).offset(keep).limit(
                1)).first()
            if newest_gone:
                created_at, event_id = newest_gone
                connection.execute(_EVENT.delete().where(
                    _EVENT.c.stack_id == stack_id, sa.or_(
                        _EVENT.c.created_at < created_at,
                        sa.and_(_EVENT.c.created_at == created_at,
                                _EVENT.c.id <= event_id))))

    @retry.retried
    def events_count(self, stack_id: str) -> int:
        with self._read() as connection:
            return connection.execute(sa.select(sa.func.count()).where(
                _EVENT.c.stack_id == stack_id)).scalar_one()

    # --- services ---------------------------------------------------------------

    @retry.retried
    def service_report(self, engine_id: str, values: dict) -> None:
        """Create or refresh an engine's heartbeat row.

        After a lost COMMIT, meeting the engine's row means the earlier
        attempt created it.
        """
        now = utcnow()
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
        with self._write() as connection:
            connection.execute(_SERVICE.delete().where(
                _SERVICE.c.engine_id == engine_id))

    # --- recovery ----------------------------------------------------------------

    @retry.retried
    def resources_locked(self) -> list[dict]:
        """Every locked resource row, of every stack (few: only in-flight ones)."""
        columns = [models.Resource.__table__.c[name] for name in (
            'id', 'stack_id', 'name', 'type', 'engine_id', 'atomic_key',
            'action', 'status', 'pending_trigger', 'updated_at')]
        with self.reader() as session:
            return [dict(r) for r in session.execute(sa.select(*columns).where(
                models.Resource.engine_id.is_not(None))).mappings()]

    @retry.retried
    def stacks_running(self) -> list[dict]:
        """Stacks with a traversal under way (without their graphs)."""
        query = sa.select(*_STACK_COLUMNS).where(
            models.Stack.status == 'IN_PROGRESS',
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


class _Abandon(Exception):
    """Rolls a transaction back when its compare-and-swap lost."""


def _resource_swap(resource_id: int, expected: dict, values: dict) -> tuple:
    """The compare-and-swap UPDATE of a resource row and its parameters."""
    statement = statements.resource_cas(tuple(sorted(
        (column, value is None) for column, value in expected.items())))
    params = {'w_' + column: value for column, value in expected.items()
              if value is not None}
    params.update(values, w_id=resource_id)
    params.setdefault('updated_at', utcnow())
    return statement, params


def _holds(connection, table, row_id, values: dict) -> bool:
    """Whether row ``row_id`` of ``table`` has every one of ``values``."""
    if not values:
        return False
    row = connection.execute(sa.select(*[table.c[name] for name in values]).where(
        table.c.id == row_id)).first()
    return row is not None and tuple(row) == tuple(values.values())


def _uniform(rows: list[dict]) -> list[dict]:
    """Rows with the same keys (a missing one is NULL), as executemany needs."""
    keys = set().union(*rows)
    if all(len(row) == len(keys) for row in rows):
        return rows
    return [{key: row.get(key) for key in keys} for row in rows]


def _ids_by_uuid(connection, uuids: list[str]) -> dict[str, int]:
    return dict(connection.execute(sa.select(
        _RESOURCE.c.uuid, _RESOURCE.c.id).where(
        _RESOURCE.c.uuid.in_(uuids))).all())
