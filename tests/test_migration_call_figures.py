"""The migration that stores each call's figures fills them from the proposals, grants and
tranches already there (in one SQL statement each), and goes down again."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData as Reflected
from sqlalchemy import inspect, select

from fund.extensions import db
from tests.test_migration_standard_form import add_row
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401 (fixtures)

BEFORE, AFTER = "7b3e5d0c2a91", "c4a9e2f71b38"


def old_rows() -> tuple[int, int]:
    """Two calls: proposals in three states, grants on awarded proposals (one cancelled) with
    tranches paid or not; the second call has proposals and no grant."""
    tables = Reflected()
    tables.reflect(db.engine)
    organisation = add_row(tables, "organisations", name="Safe Homes")
    first, second = (
        add_row(
            tables,
            "calls",
            title=title,
            opens_at=datetime(2026, 1, 1, tzinfo=UTC),
            closes_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        for title in ("First", "Second")
    )

    def proposal(call: int, state: str) -> int:
        return add_row(tables, "proposals", call_id=call, organisation_id=organisation, state=state)

    for call, state, n in ((first, "submitted", 2), (first, "declined", 1), (second, "draft", 3)):
        for _ in range(n):
            proposal(call, state)
    for state, amount, paid in (
        ("active", "1000.00", ("800.00", None)),
        ("closed", "500.50", ("400.40", "100.10")),
        ("cancelled", "9000.00", ("7200.00", None)),  # not counted
    ):
        grant = add_row(
            tables,
            "grants",
            proposal_id=proposal(first, "awarded"),
            organisation_id=organisation,
            state=state,
            amount=Decimal(amount),
        )
        for position, paid_amount in enumerate(paid, start=1):
            add_row(
                tables,
                "tranches",
                grant_id=grant,
                position=position,
                percent=50,
                amount=Decimal(amount) / 2,
                condition="signature",
                paid_amount=None if paid_amount is None else Decimal(paid_amount),
            )
    db.session.commit()
    return first, second


def test_the_existing_calls_are_counted(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        first, second = old_rows()
        upgrade(revision=AFTER)
        tables = Reflected()
        tables.reflect(db.engine)
        counts, money = tables.tables["call_state_counts"], tables.tables["call_money"]
        assert sorted(db.session.execute(select(counts)).all()) == [
            (first, "awarded", 3),
            (first, "declined", 1),
            (first, "submitted", 2),
            (second, "draft", 3),
        ]
        assert [tuple(row) for row in db.session.execute(select(money))] == [
            (first, Decimal("1500.50"), Decimal("1300.50"))
        ]
        db.session.commit()
        downgrade(revision=BEFORE)
        names = inspect(db.engine).get_table_names()
        assert "call_state_counts" not in names and "call_money" not in names
