"""When the secretariat last pressed "Remind now" on a review assignment

Revision ID: a4c7e19b53d0
Revises: 7e2d4b9a1c58
Create Date: 2026-12-05 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c7e19b53d0'
down_revision = '7e2d4b9a1c58'
branch_labels = None
depends_on = None


def upgrade():
    # Empty for existing assignments: nobody has reminded them by hand yet.
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
