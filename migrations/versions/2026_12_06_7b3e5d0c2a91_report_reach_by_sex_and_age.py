"""An index of report_reach by sex and age band (sex, age_band, report_id, count), from which the
portfolio sums the people reached per sex and age band without sorting every row. No data
changes.

Revision ID: 7b3e5d0c2a91
Revises: 1e66f125f1d8
Create Date: 2026-12-06 07:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7b3e5d0c2a91'
down_revision = '1e66f125f1d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_reach', schema=None) as batch_op:
        batch_op.create_index(
            'ix_report_reach_sex_age_band', ['sex', 'age_band', 'report_id', 'count'], unique=False
        )


def downgrade():
    with op.batch_alter_table('report_reach', schema=None) as batch_op:
        batch_op.drop_index('ix_report_reach_sex_age_band')
