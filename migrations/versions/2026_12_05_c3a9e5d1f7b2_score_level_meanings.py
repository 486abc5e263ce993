"""What each score level (1-5) means on each criterion of a call's rubric

Revision ID: c3a9e5d1f7b2
Revises: b16ba02332c3
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a9e5d1f7b2'
down_revision = 'b16ba02332c3'
branch_labels = None
depends_on = None


def upgrade():
    # Existing criteria get no meanings (an empty list): the secretariat may add them, even to a
    # call that has proposals, since meanings guide reviewers without changing the scale.
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('levels', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade():
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_column('levels')
