"""The row lock: taking it, replacing the row it holds, releasing it.

A node takes its row's lock before it acts (resource_lock), may insert the
row's replacement while it holds it (resource_create_replacement), and
releases it together with its reports to its successors' joins
(resource_release_reporting).  A node with nothing to act on writes the
row as a lock and its release would, with its reports, in one swap
(resource_stamp_reporting).
"""

import uuid

from oslo_db import exception as db_exc

from db import core
from db import joins
from db import models
from db import resources
from db import retry
from db import statements

_RESOURCE = models.Resource.__table__


class Locks(joins.Joins):
    """The row lock (convergence.ports.Resources).

    Built on the joins' queries: a release reads back what its reports
    completed as a report of its own would.
    """

    @retry.retried
    def resource_release_reporting(self, resource_id: int, expected: dict,
                                   values: dict, stack_id: str,
                                   traversal_id: str, sender: str,
                                   reports: list[tuple[str, bool, object]]
                                   ) -> dict | None:
        """resource_cas and sync_points_report in one transaction.

        After a lost COMMIT, the row holding ``values`` proves both were
        written (as for resource_cas); the completions are then read back.
        """
        statement, params = resources.swap(resource_id, expected, values)
        try:
            with self._write() as connection:
                if connection.execute(statement, params).rowcount == 1:
                    return joins.report(connection, stack_id, traversal_id,
                                        sender, reports) if reports else {}
                won_before = retry.commit_unknown() and core.holds(
                    connection, _RESOURCE, resource_id, values)
            if won_before:
                return self._own_completions(traversal_id, sender, reports)
        except (joins.Superseded, joins.Partial, db_exc.DBDuplicateEntry):
            pass
        return None

    @retry.retried
    def resource_stamp_reporting(self, row: dict, traversal_id: str,
                                 values: dict, stack_id: str, sender: str,
                                 reports: list[tuple[str, bool, object]]
                                 ) -> dict | None:
        """resource_lock and resource_release_reporting in one statement
        and one transaction, for a node that acts on nothing.

        Writes ``values`` (which leave the row unlocked) only where
        resource_lock would win, and reports; returns the joins completed.
        None when nothing was written: the lock would not be had, or some
        report needs a transaction of its own; the caller then takes the
        lock and releases it the long way.  After a lost COMMIT, the row
        holding ``values`` proves both were written.
        """
        params = dict(values, updated_at=core.utcnow(), w_id=row['id'],
                      w_atomic_key=row['atomic_key'],
                      w_stack_id=row['stack_id'], w_traversal=traversal_id)
        try:
            with self._write() as connection:
                if connection.execute(statements.LOCK, params).rowcount == 1:
                    return joins.report(connection, stack_id, traversal_id,
                                        sender, reports) if reports else {}
                won_before = retry.commit_unknown() and core.holds(
                    connection, _RESOURCE, row['id'], values)
            if won_before:
                return self._own_completions(traversal_id, sender, reports)
        except (joins.Superseded, joins.Partial, db_exc.DBDuplicateEntry):
            pass
        return None

    @retry.retried
    def resource_lock(self, row: dict, engine_id: str, traversal_id: str,
                      values: dict) -> bool:
        """Take the row lock for a node of a traversal that is still running.

        After a lost COMMIT, the row held by ``engine_id`` at the next
        ``atomic_key`` proves the earlier attempt took the lock.
        """
        taken = {'engine_id': engine_id, 'atomic_key': row['atomic_key'] + 1}
        params = dict(values, **taken)
        params.update(updated_at=core.utcnow(), w_id=row['id'],
                      w_atomic_key=row['atomic_key'],
                      w_stack_id=row['stack_id'], w_traversal=traversal_id)
        with self._write() as connection:
            if connection.execute(statements.LOCK, params).rowcount == 1:
                return True
            return retry.commit_unknown() and core.holds(
                connection, _RESOURCE, row['id'], taken)

    def resource_create_replacement(self, old_id: int, old_atomic_key: int,
                                    engine_id: str, row: dict) -> int | None:
        """Insert the replacement of a row this engine holds, and link both.

        After a lost COMMIT, finding the new row's uuid (chosen once, here)
        means the earlier attempt did both.
        """
        row = dict(row, uuid=str(uuid.uuid4()), created_at=core.utcnow(),
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
                found = resources.ids_by_uuid(connection, [row['uuid']])
                if found:
                    return found[row['uuid']]
            new_id = connection.execute(
                _RESOURCE.insert(), row).inserted_primary_key[0]
            result = connection.execute(_RESOURCE.update().where(
                _RESOURCE.c.id == old_id,
                _RESOURCE.c.engine_id == engine_id,
                _RESOURCE.c.atomic_key == old_atomic_key).values(
                replaced_by=new_id, updated_at=core.utcnow()))
            if result.rowcount != 1:
                raise _Abandon()
            return new_id


class _Abandon(Exception):
    """Rolls a transaction back when its compare-and-swap lost."""
