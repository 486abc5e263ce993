"""A call's own proposal questions (calls.proposal_form) and the answers to them
(proposals.answers), both JSON

Revision ID: 4c1f9a7e2b30
Revises: c3a9e5d1f7b2
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c1f9a7e2b30'
down_revision = 'c3a9e5d1f7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('proposal_form', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('answers', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('answers')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('proposal_form')
