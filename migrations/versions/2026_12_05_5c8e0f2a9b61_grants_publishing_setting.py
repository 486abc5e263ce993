"""Whether a grant is named in open data (grants.published, on by default) and why not
(grants.unpublished_reason)

Revision ID: 5c8e0f2a9b61
Revises: a9d4e61b3c07
Create Date: 2026-12-05 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c8e0f2a9b61'
down_revision = 'a9d4e61b3c07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('published', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('unpublished_reason', sa.Text(), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_column('unpublished_reason')
        batch_op.drop_column('published')
