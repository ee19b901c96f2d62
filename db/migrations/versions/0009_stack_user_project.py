"""The stack user domain project of a stack tree (Heat's
stack_user_project_id): made in the ``stack_user_domain`` when a resource
of the tree first needs a stack domain user, deleted with the tree's
credentials.  One per tree, as Heat's nested stacks take their parent's.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('user_creds',
                  sa.Column('stack_user_project_id', sa.String(64)))


def downgrade() -> None:
    op.drop_column('user_creds', 'stack_user_project_id')
