"""The reviews still owed counted at write time: waiting_review_counts, one row per reviewer,
due date and started-or-not, filled from the existing reviews in one statement

Revision ID: 1e66f125f1d8
Revises: e3b7a1c94f26
Create Date: 2026-12-06 03:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "1e66f125f1d8"
down_revision = "e3b7a1c94f26"
branch_labels = None
depends_on = None

# The rows as fund/reviews/waiting.py counts them, written here in SQL so the migration keeps
# what it did whatever the app's code becomes, and runs in one statement on a big database.
FILL = """
INSERT INTO waiting_review_counts (reviewer_id, due_on, started, reviews)
SELECT r.reviewer_id, r.due_on, r.no_conflict_at IS NOT NULL, count(*)
FROM reviews AS r
WHERE r.submitted_at IS NULL
  AND r.removed_at IS NULL
  AND r.conflict_declared_at IS NULL
  AND r.proposal_id IN (SELECT p.id FROM proposals AS p WHERE p.state = 'in_review')
GROUP BY r.reviewer_id, r.due_on, r.no_conflict_at IS NOT NULL
"""


def upgrade():
    op.create_table(
        "waiting_review_counts",
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("started", sa.Boolean(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_waiting_review_counts_reviewer_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "reviewer_id", "due_on", "started", name=op.f("pk_waiting_review_counts")
        ),
    )
    op.execute(FILL)


def downgrade():
    op.drop_table("waiting_review_counts")
