"""A call's report form and concept-note form (calls.report_form, calls.concept_form): form
definitions in the same format as its proposal form

Revision ID: 7e3a52c8d1f4
Revises: 4c1f9a7e2b30
Create Date: 2026-12-05 11:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e3a52c8d1f4'
down_revision = '4c1f9a7e2b30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('report_form', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column('concept_form', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('concept_form')
        batch_op.drop_column('report_form')
