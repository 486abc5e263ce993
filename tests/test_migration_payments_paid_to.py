"""The migration that makes each payment keep the account it was paid to copies, for payments
approved before it, the organisation's stored bank details as they are (the same ciphertext,
which the app's key reads); waiting and rejected payments get nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData as Reflected
from sqlalchemy import select

from fund import encryption
from fund.extensions import db
from tests.test_migration_standard_form import add_row
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401 (fixtures)

BEFORE, AFTER = "8c2f4e6a9d13", "e3b7a1c94f26"


def test_approved_payments_keep_the_account_held_when_the_migration_ran(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        tables = Reflected()
        tables.reflect(db.engine)
        admin = add_row(tables, "users", email="admin@example.org")
        other = add_row(tables, "users", email="other@example.org")
        organisation = add_row(tables, "organisations", name="Safe Homes")
        call = add_row(
            tables,
            "calls",
            title="Old call",
            opens_at=datetime(2026, 1, 1, tzinfo=UTC),
            closes_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        proposal = add_row(
            tables, "proposals", call_id=call, organisation_id=organisation, title="Safe schools"
        )
        grant = add_row(
            tables, "grants", proposal_id=proposal, organisation_id=organisation, state="active"
        )
        add_row(
            tables,
            "bank_details",
            organisation_id=organisation,
            state="approved",
            account_holder=encryption.encrypt("Safe Homes"),
            bank_name=encryption.encrypt("First Bank"),
            account_number=encryption.encrypt("GB82WEST12345698765432"),
            swift_bic=None,
            bank_country="GB",
        )
        payments = {}
        for position, state in ((1, "approved"), (2, "awaiting_approval"), (3, "rejected")):
            tranche = add_row(tables, "tranches", grant_id=grant, position=position)
            payments[state] = add_row(
                tables,
                "payments",
                tranche_id=tranche,
                grant_id=grant,
                organisation_id=organisation,
                state=state,
                amount=Decimal("100"),
                currency="USD",
                paid_on=date(2026, 5, 1),
                reference=f"TX-{position}",
                recorded_by_id=admin,
                decided_by_id=other if state != "awaiting_approval" else None,
            )
        db.session.commit()
        upgrade(revision=AFTER)
        tables = Reflected()
        tables.reflect(db.engine)
        paid = tables.tables["payments"]
        rows = {
            row.id: row
            for row in db.session.execute(
                select(
                    paid.c.id, paid.c.paid_to_account, paid.c.paid_to_bic, paid.c.paid_to_country
                )
            )
        }
        kept = rows[payments["approved"]]
        assert encryption.decrypt(kept.paid_to_account) == "GB82WEST12345698765432"
        assert kept.paid_to_country == "GB" and kept.paid_to_bic is None
        assert rows[payments["awaiting_approval"]].paid_to_account is None
        assert rows[payments["rejected"]].paid_to_account is None
        db.session.remove()
        downgrade(revision=BEFORE)
        columns = {c["name"] for c in db.inspect(db.engine).get_columns("payments")}
        assert "paid_to_account" not in columns
