"""Each call's figures counted at write time: call_state_counts (proposals per call and state)
and call_money (the amounts of a call's grants not cancelled, and what was paid on them),
filled from the existing rows

Revision ID: c4a9e2f71b38
Revises: 7b3e5d0c2a91
Create Date: 2026-12-06 10:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4a9e2f71b38"
down_revision = "7b3e5d0c2a91"
branch_labels = None
depends_on = None

# The rows as fund/calls/figures.py counts them, written here in SQL so the migration keeps
# what it did whatever the app's code becomes, and runs in two statements on a big database.
FILL_COUNTS = """
INSERT INTO call_state_counts (call_id, state, proposals)
SELECT p.call_id, p.state, count(*)
FROM proposals AS p
GROUP BY p.call_id, p.state
"""
FILL_MONEY = """
INSERT INTO call_money (call_id, awarded, paid)
SELECT p.call_id,
       coalesce(sum(g.amount), 0),
       coalesce(sum((SELECT sum(t.paid_amount) FROM tranches AS t WHERE t.grant_id = g.id)), 0)
FROM grants AS g
JOIN proposals AS p ON p.id = g.proposal_id
WHERE p.state = 'awarded' AND g.state != 'cancelled'
GROUP BY p.call_id
"""


def upgrade():
    op.create_table(
        "call_state_counts",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=21), nullable=False),
        sa.Column("proposals", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_call_state_counts_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_id", "state", name=op.f("pk_call_state_counts")),
    )
    op.create_table(
        "call_money",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("awarded", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_call_money_call_id_calls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_money")),
    )
    op.execute(FILL_COUNTS)
    op.execute(FILL_MONEY)


def downgrade():
    op.drop_table("call_money")
    op.drop_table("call_state_counts")
