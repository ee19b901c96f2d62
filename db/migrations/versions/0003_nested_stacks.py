"""Nested stacks: a stack's owner, root and depth; a row awaiting its child.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

Json = sa.Text().with_variant(mysql.LONGTEXT(), 'mysql', 'mariadb')


def upgrade() -> None:
    op.add_column('stack', sa.Column('owner_id', sa.String(36)))
    op.add_column('stack', sa.Column('owner_resource_id', sa.Integer))
    op.add_column('stack', sa.Column('parent_resource', sa.String(255)))
    op.add_column('stack', sa.Column('root_stack_id', sa.String(36)))
    op.add_column('stack', sa.Column('nested_depth', sa.Integer,
                                     nullable=False, server_default='0'))
    op.create_index('ix_stack_owner_id', 'stack', ['owner_id'])
    op.create_index('ix_stack_root_stack_id', 'stack', ['root_stack_id'])
    op.add_column('resource', sa.Column('awaiting', Json))
