"""A progress report's answers to its call's report questions (progress_reports.answers) and the
report form it was submitted against (progress_reports.form), both JSON

Revision ID: e5b8c1d94a27
Revises: 5c7d262b7dbf
Create Date: 2026-12-05 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b8c1d94a27'
down_revision = '5c7d262b7dbf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('answers', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column('form', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('form')
        batch_op.drop_column('answers')
