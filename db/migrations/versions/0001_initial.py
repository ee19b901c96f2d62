"""The initial schema: every table of db/models.py as first released.

Types are spelled out here rather than imported from db.models so that this
revision keeps creating the same schema when the models move on.

Revision ID: 0001
Revises:
Create Date: 2025-11-21
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# Microsecond timestamps; MySQL's DATETIME would drop the fraction.
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')
# JSON documents as text; MySQL's TEXT stops at 64 KiB.
Json = sa.Text().with_variant(mysql.LONGTEXT(), 'mysql', 'mariadb')
# Binary collation: string equality (names, JSON in compare-and-swap) is
# exact and case-sensitive, as on SQLite and PostgreSQL.
TABLE = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4',
         'mysql_collate': 'utf8mb4_bin'}


def upgrade() -> None:
    _raw_template()
    _stack()
    _resource()
    _sync_points()
    _event()
    _service()


def _raw_template() -> None:
    op.create_table(
        'raw_template',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('stack_id', sa.String(36)),
        sa.Column('template', Json, nullable=False),
        sa.Column('environment', Json),
        sa.Column('files', Json),
        sa.Column('created_at', DateTime, nullable=False),
        **TABLE)
    op.create_index('ix_raw_template_stack_id', 'raw_template', ['stack_id'])


def _stack() -> None:
    op.create_table(
        'stack',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('tenant', sa.String(64), nullable=False),
        sa.Column('username', sa.String(255)),
        sa.Column('raw_template_id', sa.Integer, nullable=False),
        sa.Column('prev_raw_template_id', sa.Integer),
        sa.Column('current_traversal', sa.String(36), nullable=False),
        sa.Column('current_deps', Json),
        sa.Column('action', sa.String(16), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('status_reason', sa.Text),
        sa.Column('failure_reason', sa.Text),
        sa.Column('rollback_on_failure', sa.Boolean, nullable=False),
        sa.Column('timeout', sa.Integer),
        sa.Column('disable_rollback', sa.Boolean, nullable=False),
        sa.Column('tags', Json),
        sa.Column('created_at', DateTime, nullable=False),
        sa.Column('updated_at', DateTime),
        sa.Column('deleted_at', DateTime),
        sa.ForeignKeyConstraint(['raw_template_id'], ['raw_template.id'],
                                name='fk_stack_raw_template_id'),
        sa.ForeignKeyConstraint(['prev_raw_template_id'], ['raw_template.id'],
                                name='fk_stack_prev_raw_template_id'),
        **TABLE)
    op.create_index('ix_stack_tenant_name', 'stack', ['tenant', 'name'])


def _resource() -> None:
    op.create_table(
        'resource',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('stack_id', sa.String(36), nullable=False),
        sa.Column('type', sa.String(255), nullable=False),
        sa.Column('declared_type', sa.String(255)),
        sa.Column('current_template_id', sa.Integer),
        sa.Column('requires', Json),
        sa.Column('replaces', sa.Integer),
        sa.Column('replaced_by', sa.Integer),
        sa.Column('physical_resource_id', sa.String(255)),
        sa.Column('properties_data', Json),
        sa.Column('attr_data', Json),
        sa.Column('rsrc_data', Json),
        sa.Column('action', sa.String(16), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('status_reason', sa.Text),
        sa.Column('engine_id', sa.String(36)),
        sa.Column('atomic_key', sa.Integer, nullable=False),
        sa.Column('pending_trigger', Json),
        sa.Column('created_at', DateTime, nullable=False),
        sa.Column('updated_at', DateTime),
        sa.UniqueConstraint('uuid', name='uq_resource_uuid'),
        sa.ForeignKeyConstraint(['stack_id'], ['stack.id'],
                                name='fk_resource_stack_id'),
        **TABLE)
    op.create_index('ix_resource_stack_id', 'resource', ['stack_id'])


def _join_key() -> list[sa.Column]:
    """The key of a join: which node of which traversal, update or cleanup."""
    return [sa.Column('entity_id', sa.String(64), primary_key=True),
            sa.Column('traversal_id', sa.String(36), primary_key=True),
            sa.Column('is_update', sa.Boolean, primary_key=True)]


def _sync_points() -> None:
    op.create_table(
        'sync_point', *_join_key(),
        sa.Column('stack_id', sa.String(36), nullable=False),
        sa.Column('pending', sa.Integer, nullable=False),
        **TABLE)
    op.create_index('ix_sync_point_stack_traversal', 'sync_point',
                    ['stack_id', 'traversal_id'])
    op.create_table(
        'sync_point_input', *_join_key(),
        sa.Column('sender', sa.String(64), primary_key=True),
        sa.Column('stack_id', sa.String(36), nullable=False),
        sa.Column('data', Json),
        **TABLE)
    op.create_index('ix_sync_point_input_stack_traversal', 'sync_point_input',
                    ['stack_id', 'traversal_id'])


def _event() -> None:
    op.create_table(
        'event',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('stack_id', sa.String(36), nullable=False),
        sa.Column('resource_name', sa.String(255)),
        sa.Column('physical_resource_id', sa.String(255)),
        sa.Column('resource_type', sa.String(255)),
        sa.Column('resource_action', sa.String(16)),
        sa.Column('resource_status', sa.String(16)),
        sa.Column('resource_status_reason', sa.Text),
        sa.Column('resource_properties', Json),
        sa.Column('created_at', DateTime, nullable=False),
        sa.UniqueConstraint('uuid', name='uq_event_uuid'),
        **TABLE)
    op.create_index('ix_event_stack_id', 'event', ['stack_id'])


def _service() -> None:
    op.create_table(
        'service',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('engine_id', sa.String(36), nullable=False),
        sa.Column('host', sa.String(255)),
        sa.Column('hostname', sa.String(255)),
        sa.Column('binary', sa.String(255)),
        sa.Column('topic', sa.String(255)),
        sa.Column('report_interval', sa.Integer),
        sa.Column('created_at', DateTime, nullable=False),
        sa.Column('updated_at', DateTime),
        sa.Column('deleted_at', DateTime),
        sa.UniqueConstraint('engine_id', name='uq_service_engine_id'),
        **TABLE)
