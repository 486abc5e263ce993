"""The index of proposals by call and state also holds the amount requested: the ranking sorts
and totals every listed proposal, and on SQLite reading the amount from the row meant reading
past the proposal's long texts (10 ms of a 5,500-proposal call's ranking)

Revision ID: 8c2f4e6a9d13
Revises: 5d1e8a3c7b20
Create Date: 2026-12-05 21:15:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "8c2f4e6a9d13"
down_revision = "5d1e8a3c7b20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_proposals_call_ranking",
        "proposals",
        ["call_id", "state", "organisation_id", "amount_requested"],
    )
    op.drop_index("ix_proposals_call_state", table_name="proposals")


def downgrade():
    op.create_index("ix_proposals_call_state", "proposals", ["call_id", "state", "organisation_id"])
    op.drop_index("ix_proposals_call_ranking", table_name="proposals")
