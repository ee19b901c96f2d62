"""Stack snapshots and the data each resource gave to one.

A restore's goal template remembers the snapshot it came from; an adopted
stack's first rows hold the entries their ADOPT nodes take over.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

Json = sa.Text().with_variant(mysql.LONGTEXT(), 'mysql', 'mariadb')
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')
TABLE_OPTIONS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4',
                 'mysql_collate': 'utf8mb4_bin'}


def upgrade() -> None:
    op.create_table(
        'snapshot',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('stack_id', sa.String(36), nullable=False, index=True),
        sa.Column('tenant', sa.String(64), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('action', sa.String(16), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('status_reason', sa.Text),
        sa.Column('data', Json),
        sa.Column('created_at', DateTime, nullable=False),
        sa.Column('updated_at', DateTime),
        **TABLE_OPTIONS)
    op.create_table(
        'resource_snapshot',
        sa.Column('snapshot_id', sa.String(36), primary_key=True),
        sa.Column('resource_name', sa.String(255), primary_key=True),
        sa.Column('data', Json),
        sa.Column('created_at', DateTime, nullable=False),
        **TABLE_OPTIONS)
    op.add_column('raw_template', sa.Column('snapshot_id', sa.String(36)))
    op.add_column('resource', sa.Column('adopt_data', Json))
