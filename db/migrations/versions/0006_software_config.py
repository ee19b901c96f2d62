"""Software configs and their deployments, with Heat's columns.

A config's ``config`` document holds its inputs, outputs, options and the
config itself, as heat-engine stores it; a deployment refers to its config
(which cannot be deleted while one does).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

Json = sa.Text().with_variant(mysql.LONGTEXT(), 'mysql', 'mariadb')
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')
TABLE_OPTIONS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4',
                 'mysql_collate': 'utf8mb4_bin'}


def upgrade() -> None:
    op.create_table(
        'software_config',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255)),
        sa.Column('group', sa.String(255)),
        sa.Column('config', Json),
        sa.Column('tenant', sa.String(64), nullable=False, index=True),
        sa.Column('created_at', DateTime, nullable=False),
        sa.Column('updated_at', DateTime),
        **TABLE_OPTIONS)
    op.create_table(
        'software_deployment',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('config_id', sa.String(36),
                  sa.ForeignKey('software_config.id'), nullable=False,
                  index=True),
        sa.Column('server_id', sa.String(36), nullable=False, index=True),
        sa.Column('input_values', Json),
        sa.Column('output_values', Json),
        sa.Column('action', sa.String(255)),
        sa.Column('status', sa.String(255)),
        sa.Column('status_reason', sa.Text),
        sa.Column('tenant', sa.String(64), nullable=False, index=True),
        sa.Column('stack_user_project_id', sa.String(64)),
        sa.Column('created_at', DateTime, nullable=False, index=True),
        sa.Column('updated_at', DateTime),
        **TABLE_OPTIONS)
