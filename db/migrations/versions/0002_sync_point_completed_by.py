"""Sync points record who completed them.

A reporter whose COMMIT was cut off by a lost connection runs again; the
sender recorded here tells it whether the join it finds complete was
completed by its own earlier attempt (see db/retry.py).

Revision ID: 0002
Revises: 0001
Create Date: 2025-12-02
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sync_point', sa.Column('completed_by', sa.String(64)))
