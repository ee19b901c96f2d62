"""Alembic environment: run migrations on the connection db.migration passes.

Only online migrations: the schema is always applied to a live database.
"""

from alembic import context

from db import models


def run_migrations_online() -> None:
    connection = context.config.attributes['connection']
    context.configure(connection=connection,
                      target_metadata=models.Base.metadata)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError('offline (SQL script) migrations are not supported')
run_migrations_online()
