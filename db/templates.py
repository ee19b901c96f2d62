"""Raw templates: the stored template, environment and files of an operation."""

from db import core
from db import models
from db import retry
from db import statements

_TEMPLATE = models.RawTemplate.__table__


class Templates(core.Store):
    """The raw_template table (convergence.ports.Templates)."""

    @retry.retried
    def raw_template_create(self, stack_id: str, template: dict,
                            environment: dict | None,
                            files: dict | None,
                            facade: dict | None = None,
                            snapshot_id: str | None = None) -> int:
        """Store a template; returns its id.

        After a lost COMMIT the template may be stored twice: the copy
        nobody uses goes with raw_templates_delete_unused.
        """
        with self._write() as connection:
            result = connection.execute(_TEMPLATE.insert(), {
                'stack_id': stack_id, 'template': template,
                'environment': environment or {}, 'files': files or {},
                'facade': facade, 'snapshot_id': snapshot_id,
                'created_at': core.utcnow()})
            return result.inserted_primary_key[0]

    @retry.retried
    def raw_template_get(self, template_id: int) -> dict | None:
        with self._read() as connection:
            row = connection.execute(_TEMPLATE.select().where(
                _TEMPLATE.c.id == template_id)).mappings().first()
            return None if row is None else {
                'id': row['id'], 'template': row['template'],
                'environment': row['environment'] or {},
                'files': row['files'] or {}, 'facade': row['facade'],
                'snapshot_id': row['snapshot_id']}

    @retry.retried
    def raw_templates_delete_unused(self, stack_id: str) -> list[int]:
        """Delete the stack's templates that neither it nor a row points at.

        Templates newer than the stack's goal are kept: an operation creates
        its template before it swaps it in, and must not find it deleted.
        Returns the ids deleted.
        """
        with self._write() as connection:
            return delete_unused(connection, stack_id)


def delete_unused(connection, stack_id: str) -> list[int]:
    """raw_templates_delete_unused in the caller's write transaction: one
    SELECT of the unused ids, and a DELETE when there are some.  Without
    its stack row a stack has no goal, and nothing is older than it."""
    unused = list(connection.execute(statements.UNUSED_TEMPLATES,
                                     {'stack_id': stack_id}).scalars())
    if unused:
        connection.execute(statements.TEMPLATES_DELETE, {'ids': unused})
    return unused
