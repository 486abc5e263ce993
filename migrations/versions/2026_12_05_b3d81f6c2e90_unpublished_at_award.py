"""A chair's approval of an award may ask that the grant stay out of open data, with a reason

Revision ID: b3d81f6c2e90
Revises: 7e2d4b9a1c58
Create Date: 2026-12-05 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d81f6c2e90'
down_revision = '7e2d4b9a1c58'
branch_labels = None
depends_on = None


def upgrade():
    # Empty means "publish": every approval made before this choice existed published its grant.
    with op.batch_alter_table('decision_approvals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unpublished_reason', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('decision_approvals', schema=None) as batch_op:
        batch_op.drop_column('unpublished_reason')
