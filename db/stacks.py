"""Stack rows: the operation, its traversal and its verdict."""

import sqlalchemy as sa

from db import core
from db import joins
from db import models
from db import resources
from db import retry
from db import statements
from db import templates

_STACK = models.Stack.__table__
# The stack row without its (possibly large) traversal graph.
_STACK_COLUMNS = statements.STACK_COLUMNS
# What an insert stores for a column it is not given.
_DEFAULTS = {c.name: c.default.arg for c in _STACK_COLUMNS
             if c.default is not None and c.default.is_scalar}


class Stacks(core.Store):
    """The stack table (convergence.ports.Stacks)."""

    @retry.retried
    def stack_create(self, values: dict) -> dict:
        """Insert a stack row; returns it as stack_get would read it.

        After a lost COMMIT, finding the row (its id is the caller's uuid)
        means the earlier attempt inserted it.
        """
        values = dict(values)
        values.setdefault('created_at', core.utcnow())
        self._insert_once(_STACK, values)
        return {name: values.get(name, _DEFAULTS.get(name))
                for name in statements.STACK_NAMES}

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
            query = query.where(core.one_of(getattr(models.Stack, column),
                                            wanted))
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
                  values: dict, not_failing: bool = False,
                  expected_status: str | None = None) -> bool:
        """Write ``values`` iff the stack still runs ``expected_traversal``.

        With ``not_failing`` the traversal must also not be failing already;
        with ``expected_status`` the stack must still be in that status.
        After a lost COMMIT, the row holding all of ``values`` proves the
        earlier attempt won.  A new traversal id is unique to its writer;
        other values another engine may have written just the same, with
        the same effect, which is why the doubt is harmless.
        """
        params = dict(values, w_id=stack_id, w_traversal=expected_traversal)
        statement = statements.STACK_CAS[not_failing]
        if expected_status is not None:
            statement = statements.STACK_CAS_IN_STATUS[not_failing]
            params['w_status'] = expected_status
        with self._write() as connection:
            if connection.execute(statement, params).rowcount == 1:
                return True
            return retry.commit_unknown() and core.holds(connection, _STACK,
                                                         stack_id, values)

    @retry.retried
    def traversal_finish(self, stack_id: str, traversal_id: str,
                         values: dict) -> list[int] | None:
        """A traversal's verdict and what the traversal leaves behind, in
        one transaction: ``values`` swapped in as stack_cas(not_failing=True)
        would, then the stack's DELETE COMPLETE rows
        (resources_purge_deleted), the traversal's joins
        (sync_points_delete) and the templates nothing uses any more
        (raw_templates_delete_unused, whose ids it returns) deleted.

        None: the swap lost, nothing was written.  After a lost COMMIT, the
        row holding all of ``values`` proves the earlier attempt did it all
        (the ids it deleted are then unknown: []).
        """
        params = dict(values, w_id=stack_id, w_traversal=traversal_id)
        with self._write() as connection:
            if connection.execute(statements.STACK_CAS[True],
                                  params).rowcount != 1:
                won_before = retry.commit_unknown() and core.holds(
                    connection, _STACK, stack_id, values)
                return [] if won_before else None
            resources.purge_deleted(connection, stack_id)
            joins.delete_joins(connection, stack_id, traversal_id)
            return templates.delete_unused(connection, stack_id)
