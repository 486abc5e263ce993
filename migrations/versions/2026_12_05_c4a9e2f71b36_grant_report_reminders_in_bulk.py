"""Bulk report reminders from the grants list: progress_reports.reminded_on (the day the
secretariat last reminded the grantee, at most once a day) and bulk_runs.call_id optional (a run
on the grants list spans every call)

Revision ID: c4a9e2f71b36
Revises: b7e41c9d05a3
Create Date: 2026-12-05 19:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4a9e2f71b36"
down_revision = "b7e41c9d05a3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_on", sa.Date(), nullable=True))
    with op.batch_alter_table("bulk_runs", schema=None) as batch_op:
        batch_op.alter_column("call_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    # runs without a call (the grants list) cannot be kept under the old NOT NULL column
    op.execute("DELETE FROM bulk_runs WHERE call_id IS NULL")
    with op.batch_alter_table("bulk_runs", schema=None) as batch_op:
        batch_op.alter_column("call_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.drop_column("reminded_on")
