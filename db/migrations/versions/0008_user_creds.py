"""The credentials a stack's deferred operations act with (Heat's
user_creds): the Keystone trust its creator delegated to the engine's
service user, shared by every stack of the tree.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')
TABLE_OPTIONS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4',
                 'mysql_collate': 'utf8mb4_bin'}


def upgrade() -> None:
    op.create_table(
        'user_creds',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('trust_id', sa.String(255)),
        sa.Column('trustor_user_id', sa.String(64)),
        sa.Column('tenant', sa.String(64), nullable=False),
        sa.Column('region_name', sa.String(255)),
        sa.Column('created_at', DateTime, nullable=False),
        **TABLE_OPTIONS)
    op.add_column('stack', sa.Column('user_creds_id', sa.String(36)))


def downgrade() -> None:
    op.drop_column('stack', 'user_creds_id')
    op.drop_table('user_creds')
