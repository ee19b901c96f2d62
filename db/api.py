"""The query API: every read and write the engine makes, as short transactions.

All concurrency control is optimistic: writes that race are compare-and-swap
``UPDATE ... WHERE <expected values>`` whose row count says who won.  No
transaction is held across an RPC or a resource action, and there is no
global lock.  Rows are returned as plain dicts so callers never hold a
session.
"""

import contextlib
import contextvars
import datetime
import uuid

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade

from db import models

_ACTIVE = sa.not_(sa.and_(models.Resource.action == 'DELETE',
                          models.Resource.status == 'COMPLETE'))

# The stack row without its (possibly large) traversal graph.
_STACK_COLUMNS = [c for c in models.Stack.__table__.c if c.name != 'current_deps']


# True while this thread (or green thread) is inside a writer transaction.
_WRITING = contextvars.ContextVar('convergence_db_writing', default=False)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class _Context:
    """enginefacade needs an object to hang the transaction on."""


class Database:
    """One database, reached through an oslo.db enginefacade."""

    def __init__(self, url: str, **engine_options):
        self.url = url
        self._facade = enginefacade.transaction_context()
        options = {'connection': url, 'sqlite_fk': False}
        options.update(engine_options)
        self._facade.configure(**options)
        if url.startswith('sqlite'):
            sa.event.listen(self.engine, 'connect', _tune_sqlite)
            sa.event.listen(self.engine, 'before_cursor_execute',
                            _begin_immediate, retval=True)

    @property
    def engine(self) -> sa.engine.Engine:
        return self._facade.writer.get_engine()

    @contextlib.contextmanager
    def writer(self):
        """A write transaction (on SQLite it holds the write lock throughout)."""
        token = _WRITING.set(True)
        try:
            with self._facade.writer.using(_Context()) as session:
                yield session
        finally:
            _WRITING.reset(token)

    def reader(self):
        return self._facade.reader.using(_Context())

    def create_schema(self) -> None:
        """Create every table (tests and the embedded default; else alembic)."""
        models.Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    # --- raw templates -------------------------------------------------------

    def raw_template_create(self, stack_id: str, template: dict,
                            environment: dict | None,
                            files: dict | None) -> int:
        with self.writer() as session:
            result = session.execute(sa.insert(models.RawTemplate).values(
                stack_id=stack_id, template=template,
                environment=environment or {},
                files=files or {}, created_at=utcnow()))
            return result.inserted_primary_key[0]

    def raw_template_get(self, template_id: int) -> dict | None:
        with self.reader() as session:
            row = session.execute(sa.select(models.RawTemplate).where(
                models.RawTemplate.id == template_id)).scalar_one_or_none()
            return None if row is None else {
                'id': row.id, 'template': row.template,
                'environment': row.environment or {}, 'files': row.files or {}}

    def raw_templates_delete_unused(self, stack_id: str) -> None:
        """Delete the stack's templates that neither it nor a row points at.

        Templates newer than the stack's goal are kept: an operation creates
        its template before it swaps it in, and must not find it deleted.
        """
        with self.writer() as session:
            ids = set(session.execute(sa.select(models.RawTemplate.id).where(
                models.RawTemplate.stack_id == stack_id)).scalars())
            stack = session.execute(sa.select(
                models.Stack.raw_template_id,
                models.Stack.prev_raw_template_id).where(
                models.Stack.id == stack_id)).first()
            used = set(stack or ())
            used.update(session.execute(sa.select(
                models.Resource.current_template_id).where(
                models.Resource.stack_id == stack_id)).scalars())
            unused = ids - used
            if stack is not None:
                unused = {i for i in unused if i < stack.raw_template_id}
            if unused:
                session.execute(sa.delete(models.RawTemplate).where(
                    models.RawTemplate.id.in_(unused)))

    # --- stacks ----------------------------------------------------------------

    def stack_create(self, values: dict) -> None:
        values = dict(values)
        values.setdefault('created_at', utcnow())
        with self.writer() as session:
            session.execute(sa.insert(models.Stack).values(**values))

    def stack_get(self, stack_id: str, show_deleted: bool = True) -> dict | None:
        query = sa.select(*_STACK_COLUMNS).where(models.Stack.id == stack_id)
        if not show_deleted:
            query = query.where(models.Stack.deleted_at.is_(None))
        with self.reader() as session:
            row = session.execute(query).mappings().first()
            return None if row is None else dict(row)

    def stack_get_by_name(self, tenant: str, name: str) -> dict | None:
        query = sa.select(*_STACK_COLUMNS).where(
            models.Stack.tenant == tenant, models.Stack.name == name,
            models.Stack.deleted_at.is_(None))
        with self.reader() as session:
            row = session.execute(query).mappings().first()
            return None if row is None else dict(row)

    def stack_list(self, tenant: str | None, show_deleted: bool = False,
                   filters: dict | None = None) -> list[dict]:
        query = sa.select(*_STACK_COLUMNS)
        if tenant is not None:
            query = query.where(models.Stack.tenant == tenant)
        if not show_deleted:
            query = query.where(models.Stack.deleted_at.is_(None))
        for column, wanted in (filters or {}).items():
            col = getattr(models.Stack, column)
            values = wanted if isinstance(wanted, list) else [wanted]
            query = query.where(col.in_(values))
        query = query.order_by(models.Stack.created_at.desc(),
                               models.Stack.id)
        with self.reader() as session:
            return [dict(r) for r in session.execute(query).mappings()]

    def stack_deps(self, stack_id: str) -> dict | None:
        with self.reader() as session:
            return session.execute(sa.select(models.Stack.current_deps).where(
                models.Stack.id == stack_id)).scalar_one_or_none()

    def stack_cas(self, stack_id: str, expected_traversal: str,
                  values: dict, not_failing: bool = False) -> bool:
        """Write ``values`` iff the stack still runs ``expected_traversal``.

        With ``not_failing`` the traversal must also not be failing already.
        """
        conditions = [models.Stack.id == stack_id,
                      models.Stack.current_traversal == expected_traversal,
                      models.Stack.deleted_at.is_(None)]
        if not_failing:
            conditions.append(models.Stack.failure_reason.is_(None))
        with self.writer() as session:
            result = session.execute(sa.update(models.Stack).where(
                *conditions).values(**values))
            return result.rowcount == 1

    # --- resources -------------------------------------------------------------

    def resources_of_stack(self, stack_id: str,
                           active_only: bool = True) -> list[dict]:
        query = sa.select(models.Resource).where(
            models.Resource.stack_id == stack_id)
        if active_only:
            query = query.where(_ACTIVE)
        with self.reader() as session:
            return [_row(r) for r in session.execute(query).scalars()]

    def resources_create(self, rows: list[dict]) -> list[int]:
        """Insert new rows; returns their ids in the same order."""
        if not rows:
            return []
        now = utcnow()
        for row in rows:
            row.setdefault('uuid', str(uuid.uuid4()))
            row.setdefault('created_at', now)
            row.setdefault('atomic_key', 0)
        with self.writer() as session:
            session.execute(sa.insert(models.Resource), rows)
            by_uuid = dict(session.execute(sa.select(
                models.Resource.uuid, models.Resource.id).where(
                models.Resource.uuid.in_([r['uuid'] for r in rows]))).all())
        return [by_uuid[r['uuid']] for r in rows]

    def resource_get(self, resource_id: int) -> dict | None:
        with self.reader() as session:
            row = session.get(models.Resource, resource_id)
            return None if row is None else _row(row)

    def resource_and_stack(self, resource_id: int) -> tuple[dict, dict] | None:
        """The resource row and its stack row (without the graph) in one query."""
        query = sa.select(models.Resource, *_STACK_COLUMNS).join(
            models.Stack, models.Stack.id == models.Resource.stack_id).where(
            models.Resource.id == resource_id)
        with self.reader() as session:
            row = session.execute(query).first()
            if row is None:
                return None
            stack = {c.name: row._mapping[c] for c in _STACK_COLUMNS}
            return _row(row[0]), stack

    def resource_cas(self, resource_id: int, expected: dict,
                     values: dict) -> bool:
        """``UPDATE resource SET values WHERE id AND expected``; True if won."""
        conditions = [models.Resource.id == resource_id]
        for column, value in expected.items():
            col = getattr(models.Resource, column)
            conditions.append(col.is_(None) if value is None else col == value)
        values = dict(values)
        values.setdefault('updated_at', utcnow())
        with self.writer() as session:
            result = session.execute(
                sa.update(models.Resource).where(*conditions).values(**values))
            return result.rowcount == 1

    def resource_lock(self, row: dict, engine_id: str, traversal_id: str,
                      values: dict) -> bool:
        """Take the row lock for a node of a traversal that is still running.

        Wins only if the row is unlocked and unchanged since it was read, and
        the stack still runs ``traversal_id`` and is not failing; so nothing
        starts work for a superseded or failing traversal.
        """
        running = sa.exists().where(
            models.Stack.id == row['stack_id'],
            models.Stack.current_traversal == traversal_id,
            models.Stack.failure_reason.is_(None),
            models.Stack.deleted_at.is_(None))
        values = dict(values, engine_id=engine_id,
                      atomic_key=row['atomic_key'] + 1, updated_at=utcnow())
        with self.writer() as session:
            result = session.execute(sa.update(models.Resource).where(
                models.Resource.id == row['id'],
                models.Resource.engine_id.is_(None),
                models.Resource.atomic_key == row['atomic_key'],
                running).values(**values))
            return result.rowcount == 1

    def resource_delete(self, resource_id: int) -> None:
        with self.writer() as session:
            session.execute(sa.delete(models.Resource).where(
                models.Resource.id == resource_id))

    def resource_create_replacement(self, old_id: int, old_atomic_key: int,
                                    engine_id: str, row: dict) -> int | None:
        """Insert the replacement of a row this engine holds, and link both.

        Returns the new id, or None if the old row is no longer ours.
        """
        row = dict(row, uuid=str(uuid.uuid4()), created_at=utcnow(),
                   atomic_key=0, replaces=old_id)
        try:
            return self._insert_replacement(old_id, old_atomic_key,
                                            engine_id, row)
        except _Abandon:
            return None

    def _insert_replacement(self, old_id, old_atomic_key, engine_id, row):
        with self.writer() as session:
            new_id = session.execute(
                sa.insert(models.Resource).values(**row)).inserted_primary_key[0]
            result = session.execute(sa.update(models.Resource).where(
                models.Resource.id == old_id,
                models.Resource.engine_id == engine_id,
                models.Resource.atomic_key == old_atomic_key).values(
                replaced_by=new_id, updated_at=utcnow()))
            if result.rowcount != 1:
                raise _Abandon()
            return new_id

    def resources_purge_deleted(self, stack_id: str) -> None:
        with self.writer() as session:
            session.execute(sa.delete(models.Resource).where(
                models.Resource.stack_id == stack_id,
                models.Resource.action == 'DELETE',
                models.Resource.status == 'COMPLETE'))

    def resources_locked_count(self, stack_id: str) -> int:
        with self.reader() as session:
            return session.execute(sa.select(sa.func.count()).where(
                models.Resource.stack_id == stack_id,
                models.Resource.engine_id.is_not(None))).scalar_one()

    def resources_delete_all(self, stack_id: str) -> None:
        with self.writer() as session:
            session.execute(sa.delete(models.Resource).where(
                models.Resource.stack_id == stack_id))

    # --- sync points ----------------------------------------------------------

    def sync_points_create(self, stack_id: str, traversal_id: str,
                           points: list[tuple[str, bool, int]]) -> None:
        """Create the joins of a traversal: (entity, is_update, in-degree)."""
        if not points:
            return
        rows = [{'entity_id': entity, 'traversal_id': traversal_id,
                 'is_update': is_update, 'stack_id': stack_id,
                 'pending': pending}
                for entity, is_update, pending in points]
        with self.writer() as session:
            session.execute(sa.insert(models.SyncPoint), rows)

    def sync_point_report(self, stack_id: str, traversal_id: str,
                          entity_id: str, is_update: bool, sender: str,
                          data) -> dict | None:
        """Record one predecessor's report at a join.

        Returns every report's data (sender -> data) to exactly one caller:
        the one whose report completes the join.  Returns None to everyone
        else, including duplicate reports and reports to a join that no
        longer exists (its traversal was superseded).
        """
        key = (models.SyncPoint.entity_id == entity_id,
               models.SyncPoint.traversal_id == traversal_id,
               models.SyncPoint.is_update == is_update)
        try:
            return self._report(stack_id, traversal_id, entity_id, is_update,
                                sender, data, key)
        except (_Abandon, db_exc.DBDuplicateEntry):
            return None

    def _report(self, stack_id, traversal_id, entity_id, is_update, sender,
                data, key):
        # The SELECT of the inputs must stay the transaction's first plain
        # read: under MySQL's REPEATABLE READ it takes the snapshot, which
        # must postdate every earlier reporter's commit (ensured by waiting
        # for the sync_point row lock).  An earlier read would hide reports.
        with self.writer() as session:
            session.execute(sa.insert(models.SyncPointInput).values(
                entity_id=entity_id, traversal_id=traversal_id,
                is_update=is_update, sender=sender, stack_id=stack_id,
                data=data))
            if session.execute(sa.update(models.SyncPoint).where(
                    *key, models.SyncPoint.pending > 1).values(
                    pending=models.SyncPoint.pending - 1)).rowcount:
                return None
            if not session.execute(sa.update(models.SyncPoint).where(
                    *key, models.SyncPoint.pending == 1).values(
                    pending=0)).rowcount:
                raise _Abandon()
            rows = session.execute(sa.select(
                models.SyncPointInput.sender, models.SyncPointInput.data).where(
                models.SyncPointInput.entity_id == entity_id,
                models.SyncPointInput.traversal_id == traversal_id,
                models.SyncPointInput.is_update == is_update)).all()
            return {sender_key: value for sender_key, value in rows}

    def sync_points_delete(self, stack_id: str,
                           traversal_id: str | None = None) -> None:
        """Drop a traversal's joins (all of the stack's when traversal is None)."""
        with self.writer() as session:
            for model in (models.SyncPoint, models.SyncPointInput):
                query = sa.delete(model).where(model.stack_id == stack_id)
                if traversal_id is not None:
                    query = query.where(model.traversal_id == traversal_id)
                session.execute(query)

    # --- events -----------------------------------------------------------------

    def events_add(self, rows: list[dict]) -> None:
        if rows:
            with self.writer() as session:
                session.execute(sa.insert(models.Event), rows)

    def events_list(self, stack_id: str, resource_name: str | None = None,
                    filters: dict | None = None) -> list[dict]:
        query = sa.select(models.Event).where(models.Event.stack_id == stack_id)
        if resource_name is not None:
            query = query.where(models.Event.resource_name == resource_name)
        for column, wanted in (filters or {}).items():
            values = wanted if isinstance(wanted, list) else [wanted]
            query = query.where(getattr(models.Event, column).in_(values))
        with self.reader() as session:
            return [_row(e) for e in session.execute(
                query.order_by(models.Event.id)).scalars()]

    def events_trim(self, stack_id: str, keep: int) -> None:
        """Keep only the newest ``keep`` events of a stack."""
        with self.writer() as session:
            ids = session.execute(sa.select(models.Event.id).where(
                models.Event.stack_id == stack_id).order_by(
                models.Event.id.desc()).offset(keep).limit(1)).scalars().all()
            if ids:
                session.execute(sa.delete(models.Event).where(
                    models.Event.stack_id == stack_id,
                    models.Event.id <= ids[0]))

    def events_count(self, stack_id: str) -> int:
        with self.reader() as session:
            return session.execute(sa.select(sa.func.count()).where(
                models.Event.stack_id == stack_id)).scalar_one()

    # --- services ---------------------------------------------------------------

    def service_report(self, engine_id: str, values: dict) -> None:
        """Create or refresh an engine's heartbeat row."""
        now = utcnow()
        with self.writer() as session:
            updated = session.execute(sa.update(models.Service).where(
                models.Service.engine_id == engine_id).values(
                updated_at=now)).rowcount
            if not updated:
                session.execute(sa.insert(models.Service).values(
                    id=str(uuid.uuid4()), engine_id=engine_id, created_at=now,
                    updated_at=now, **values))

    def service_list(self) -> list[dict]:
        with self.reader() as session:
            return [_row(s) for s in session.execute(sa.select(
                models.Service).where(models.Service.deleted_at.is_(None))
                .order_by(models.Service.created_at)).scalars()]

    def service_delete(self, engine_id: str) -> None:
        with self.writer() as session:
            session.execute(sa.delete(models.Service).where(
                models.Service.engine_id == engine_id))

    # --- recovery ----------------------------------------------------------------

    def resources_locked(self) -> list[dict]:
        """Every locked resource row, of every stack (few: only in-flight ones)."""
        columns = [models.Resource.__table__.c[name] for name in (
            'id', 'stack_id', 'name', 'type', 'engine_id', 'atomic_key',
            'action', 'status', 'pending_trigger', 'updated_at')]
        with self.reader() as session:
            return [dict(r) for r in session.execute(sa.select(*columns).where(
                models.Resource.engine_id.is_not(None))).mappings()]

    def stacks_running(self) -> list[dict]:
        """Stacks with a traversal under way (without their graphs)."""
        query = sa.select(*_STACK_COLUMNS).where(
            models.Stack.status == 'IN_PROGRESS',
            models.Stack.current_traversal.is_not(None),
            models.Stack.current_traversal != '',
            models.Stack.deleted_at.is_(None))
        with self.reader() as session:
            return [dict(r) for r in session.execute(query).mappings()]

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


def _row(obj) -> dict:
    return {c.name: getattr(obj, c.key) for c in obj.__table__.c}


def _begin_immediate(connection, cursor, statement, parameters, context,
                     executemany):
    """Start SQLite writer transactions with the write lock already held.

    A deferred transaction that reads before it writes (events_trim,
    raw_templates_delete_unused) cannot upgrade to writing once another
    connection has committed since its read: SQLite fails it at once with
    "database is locked", busy_timeout notwithstanding.  oslo.db sends the
    BEGIN itself; a writer's becomes BEGIN IMMEDIATE, which waits for the
    lock.  Readers stay deferred, so they never wait for writers.
    """
    if statement == 'BEGIN' and _WRITING.get():
        statement = 'BEGIN IMMEDIATE'
    return statement, parameters


def _tune_sqlite(dbapi_connection, connection_record):
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.execute('PRAGMA busy_timeout=30000')
    cursor.close()
