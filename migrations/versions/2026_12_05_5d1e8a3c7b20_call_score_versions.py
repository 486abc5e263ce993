"""call_score_versions: a random token per call, new at each refresh of its ranking statistics,
which the ranking keys the normalised scores it works out for a conflicted viewer by; one for
every call that has statistics already

Revision ID: 5d1e8a3c7b20
Revises: c4a9e2f71b36
Create Date: 2026-12-05 21:10:00

"""

import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5d1e8a3c7b20"
down_revision = "c4a9e2f71b36"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "call_score_versions",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_call_score_versions_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_score_versions")),
    )
    calls = op.get_bind().execute(sa.text("SELECT id FROM calls ORDER BY id")).scalars().all()
    if calls:
        op.bulk_insert(table, [{"call_id": c, "token": uuid.uuid4().hex} for c in calls])


def downgrade():
    op.drop_table("call_score_versions")
