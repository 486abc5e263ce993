"""Each payment keeps the account it was paid to (payments.paid_to_*: the organisation's approved
bank details when the payment was approved, encrypted like them), so the bank file shows the
account paid even after the organisation changes its details; payments approved before this
get the details held now, copied as they are stored (the same key encrypted both)

Revision ID: e3b7a1c94f26
Revises: 8c2f4e6a9d13
Create Date: 2026-12-05 22:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e3b7a1c94f26"
down_revision = "8c2f4e6a9d13"
branch_labels = None
depends_on = None

COPIED = {
    "paid_to_holder": "account_holder",
    "paid_to_bank": "bank_name",
    "paid_to_account": "account_number",
    "paid_to_bic": "swift_bic",
    "paid_to_country": "bank_country",
}


def upgrade():
    with op.batch_alter_table("payments", schema=None) as batch_op:
        for name in ("paid_to_holder", "paid_to_bank", "paid_to_account", "paid_to_bic"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("paid_to_country", sa.String(length=2), nullable=True))
    assignments = ", ".join(
        f"{mine} = (SELECT b.{theirs} FROM bank_details b"
        " WHERE b.organisation_id = payments.organisation_id)"
        for mine, theirs in COPIED.items()
    )
    op.execute(f"UPDATE payments SET {assignments} WHERE state = 'approved'")


def downgrade():
    with op.batch_alter_table("payments", schema=None) as batch_op:
        for name in reversed(COPIED):
            batch_op.drop_column(name)
