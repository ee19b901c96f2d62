"""The engine-served URLs of servers' agents (docs/architecture.md, 21).

One row per URL token the engine hands out: a server's metadata URL or a
deployment action's signal URL.  Only the token's SHA-256 is stored (the
primary key, so a lookup is one index probe); the token itself exists only
in the URL given to the server.  ``target`` is the server or deployment
the URL is bound to, ``tenant`` its owner.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')
TABLE_OPTIONS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4',
                 'mysql_collate': 'utf8mb4_bin'}


def upgrade() -> None:
    op.create_table(
        'agent_url',
        sa.Column('token_hash', sa.String(64), primary_key=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('target', sa.String(36), nullable=False, index=True),
        sa.Column('action', sa.String(16)),
        sa.Column('tenant', sa.String(64), nullable=False),
        sa.Column('created_at', DateTime, nullable=False),
        **TABLE_OPTIONS)


def downgrade() -> None:
    op.drop_table('agent_url')
