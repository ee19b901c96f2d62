"""Stack credentials: Heat's user_creds (convergence.ports.UserCreds).

One row per tree of stacks: the trust the creator delegated to the engine's
service user, the creator's user id and project, the stack's region, and
the tree's project in the stack user domain once one is made.
"""

import sqlalchemy as sa

from db import core
from db import models
from db import retry

_CREDS = models.UserCreds.__table__


class UserCreds(core.Store):
    """The user_creds table."""

    @retry.retried
    def user_creds_create(self, values: dict) -> None:
        """Insert a row; its id is the caller's uuid."""
        values = dict(values)
        values.setdefault('created_at', core.utcnow())
        self._insert_once(_CREDS, values)

    @retry.retried
    def user_creds_get(self, creds_id: str) -> dict | None:
        with self._read() as connection:
            row = connection.execute(_CREDS.select().where(
                _CREDS.c.id == creds_id)).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def user_creds_sharing_trust(self, trust_id: str, creds_id: str) -> bool:
        """Whether a row other than ``creds_id`` names ``trust_id``."""
        with self._read() as connection:
            return connection.execute(_CREDS.select().where(
                _CREDS.c.trust_id == trust_id,
                _CREDS.c.id != creds_id).limit(1)).first() is not None

    @retry.retried
    def user_creds_set_project(self, creds_id: str, project_id: str) -> str:
        """Record the tree's stack user project unless one is recorded
        already (compare-and-swap); the project the row names now."""
        with self._write() as connection:
            connection.execute(_CREDS.update().where(
                _CREDS.c.id == creds_id,
                _CREDS.c.stack_user_project_id.is_(None)).values(
                    stack_user_project_id=project_id))
            return connection.execute(sa.select(
                _CREDS.c.stack_user_project_id).where(
                    _CREDS.c.id == creds_id)).scalar()

    @retry.retried
    def user_creds_tree_project_of(self, tenant: str,
                                   project_id: str) -> bool:
        """Whether a stack tree of ``tenant`` has ``project_id`` as its
        stack user project."""
        with self._read() as connection:
            return connection.execute(_CREDS.select().where(
                _CREDS.c.tenant == tenant,
                _CREDS.c.stack_user_project_id == project_id).limit(
                    1)).first() is not None

    @retry.retried
    def user_creds_delete(self, creds_id: str) -> None:
        self._delete(_CREDS, _CREDS.c.id == creds_id)
