"""Software configs and deployments (convergence.ports.SoftwareConfigs),
and the engine-served URLs of servers' agents.

Rows are returned as dicts with every column; listings are of one tenant's
rows.
"""

import sqlalchemy as sa
from oslo_db import exception as db_exc

from db import core
from db import models
from db import retry

_CONFIG = models.SoftwareConfig.__table__
_DEPLOYMENT = models.SoftwareDeployment.__table__
_AGENT_URL = models.AgentUrl.__table__


class SoftwareConfigs(core.Store):
    """The software_config and software_deployment tables."""

    @retry.retried
    def software_config_create(self, values: dict) -> None:
        """Insert a config; its id is the caller's uuid."""
        values = dict(values)
        values.setdefault('created_at', core.utcnow())
        self._insert_once(_CONFIG, values)

    @retry.retried
    def software_config_get(self, config_id: str) -> dict | None:
        with self._read() as connection:
            row = connection.execute(_CONFIG.select().where(
                _CONFIG.c.id == config_id)).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def software_configs(self, tenant: str, limit: int | None = None,
                         marker: str | None = None) -> list[dict]:
        """Newest first (as heat-engine pages them: created_at, then id,
        descending); after ``marker`` when it names a visible config."""
        query = _CONFIG.select().where(_CONFIG.c.tenant == tenant)
        with self._read() as connection:
            if marker:
                after = connection.execute(query.where(
                    _CONFIG.c.id == marker)).mappings().first()
                if after is not None:
                    query = query.where(sa.or_(
                        _CONFIG.c.created_at < after['created_at'],
                        sa.and_(_CONFIG.c.created_at == after['created_at'],
                                _CONFIG.c.id < after['id'])))
            query = query.order_by(_CONFIG.c.created_at.desc(),
                                   _CONFIG.c.id.desc())
            if limit is not None:
                query = query.limit(limit)
            return [dict(r) for r in connection.execute(query).mappings()]

    @retry.retried
    def software_config_delete(self, config_id: str) -> bool:
        """Remove the config unless a deployment refers to it (then False,
        and nothing changes).  Deleting a config that is gone is True."""
        with self._write() as connection:
            referenced = connection.execute(sa.select(_DEPLOYMENT.c.id).where(
                _DEPLOYMENT.c.config_id == config_id).limit(1)).first()
            if referenced is not None:
                return False
            connection.execute(_CONFIG.delete().where(
                _CONFIG.c.id == config_id))
            return True

    @retry.retried
    def software_deployment_create(self, values: dict) -> bool:
        """Insert a deployment if its config exists (else False, nothing
        written); its id is the caller's uuid."""
        values = dict(values)
        values.setdefault('created_at', core.utcnow())
        try:
            with self._write() as connection:
                config = connection.execute(sa.select(_CONFIG.c.id).where(
                    _CONFIG.c.id == values['config_id'])).first()
                if config is None:
                    return False
                connection.execute(_DEPLOYMENT.insert(), values)
                return True
        except db_exc.DBDuplicateEntry:
            # A duplicate after a lost COMMIT: that attempt inserted it.
            if not retry.commit_unknown():
                raise
            return True

    @retry.retried
    def software_deployment_get(self, deployment_id: str) -> dict | None:
        with self._read() as connection:
            row = connection.execute(_DEPLOYMENT.select().where(
                _DEPLOYMENT.c.id == deployment_id)).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def software_deployments(self, tenant: str,
                             server_id: str | None = None) -> list[dict]:
        """Oldest first; a tenant sees those it owns and those whose stack
        user project it is."""
        query = _DEPLOYMENT.select().where(sa.or_(
            _DEPLOYMENT.c.tenant == tenant,
            _DEPLOYMENT.c.stack_user_project_id == tenant))
        if server_id:
            query = query.where(_DEPLOYMENT.c.server_id == server_id)
        query = query.order_by(_DEPLOYMENT.c.created_at, _DEPLOYMENT.c.id)
        with self._read() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

    @retry.retried
    def software_deployment_update(self, deployment_id: str,
                                   values: dict) -> bool:
        """Write ``values`` (a ``config_id`` among them must name an
        existing config); False if the deployment or that config is gone.
        Writing the same values twice is harmless."""
        with self._write() as connection:
            if 'config_id' in values and connection.execute(
                    sa.select(_CONFIG.c.id).where(
                        _CONFIG.c.id == values['config_id'])).first() is None:
                return False
            query = _DEPLOYMENT.update().where(
                _DEPLOYMENT.c.id == deployment_id).values(**values)
            if connection.execute(query).rowcount == 1:
                return True
            return retry.commit_unknown() and core.holds(
                connection, _DEPLOYMENT, deployment_id, values)

    @retry.retried
    def software_deployment_delete(self, deployment_id: str) -> None:
        """Remove the deployment.  Idempotent."""
        self._delete(_DEPLOYMENT, _DEPLOYMENT.c.id == deployment_id)

    # --- agent URLs ------------------------------------------------------------

    @retry.retried
    def agent_url_create(self, values: dict) -> None:
        """Insert a URL's row (its token's hash is the caller's)."""
        values = dict(values)
        values.setdefault('created_at', core.utcnow())
        self._insert_once(_AGENT_URL, values)

    @retry.retried
    def agent_url_get(self, token_hash: str) -> dict | None:
        with self._read() as connection:
            row = connection.execute(_AGENT_URL.select().where(
                _AGENT_URL.c.token_hash == token_hash)).mappings().first()
            return None if row is None else dict(row)

    @retry.retried
    def agent_urls(self, target: str) -> list[dict]:
        """The URLs bound to ``target`` (a server or deployment id)."""
        with self._read() as connection:
            return [dict(r) for r in connection.execute(
                _AGENT_URL.select().where(
                    _AGENT_URL.c.target == target)).mappings()]

    @retry.retried
    def agent_urls_delete(self, target: str,
                          token_hash: str | None = None) -> None:
        """Remove the URLs bound to ``target`` (only ``token_hash``'s, when
        given).  Idempotent."""
        where = [_AGENT_URL.c.target == target]
        if token_hash is not None:
            where.append(_AGENT_URL.c.token_hash == token_hash)
        self._delete(_AGENT_URL, *where)
