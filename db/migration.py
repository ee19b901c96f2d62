"""Schema versioning: bring a database to a revision of db/migrations.

Alembic is configured here, in code, so no ``alembic.ini`` has to travel with
the package; ``convergence-manage db sync`` calls :func:`db_sync`.
"""

import os

import sqlalchemy as sa
from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration

MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')


def db_sync(url: str, revision: str = 'head') -> None:
    """Upgrade the database at ``url`` to ``revision`` (default: newest).

    Idempotent: a database already at ``revision`` is left as it is.
    Raises whatever the driver raises if the server cannot be reached.
    """
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), revision)
    finally:
        engine.dispose()


def db_version(url: str) -> str | None:
    """The revision the database at ``url`` is at; None if never synced."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(connection)
            return context.get_current_revision()
    finally:
        engine.dispose()


def _config(connection: sa.engine.Connection) -> alembic_config.Config:
    """An alembic config that runs db/migrations on ``connection``."""
    config = alembic_config.Config()
    config.set_main_option('script_location', MIGRATIONS)
    # env.py runs on this connection instead of opening its own.
    config.attributes['connection'] = connection
    return config
