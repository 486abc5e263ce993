"""The migration that stores the counts of waiting reviews fills them from the reviews already
there (in one SQL statement), and goes down again."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData as Reflected
from sqlalchemy import inspect, select

from fund.extensions import db
from tests.test_migration_standard_form import add_row
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401 (fixtures)

BEFORE, AFTER = "e3b7a1c94f26", "1e66f125f1d8"
WHEN = datetime(2026, 2, 1, tzinfo=UTC)
DUE, LATER = date(2026, 3, 1), date(2026, 3, 8)


def assignments() -> tuple[int, int]:
    """Two reviewers' assignments of proposals in review and not: waiting or not, started or
    not, on two due dates."""
    tables = Reflected()
    tables.reflect(db.engine)
    one, two = (add_row(tables, "users", email=f"r{n}@example.org") for n in (1, 2))
    organisation = add_row(tables, "organisations", name="Safe Homes")
    call = add_row(
        tables,
        "calls",
        title="Old call",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    proposals = {
        state: [
            add_row(
                tables,
                "proposals",
                call_id=call,
                organisation_id=organisation,
                title=f"{state} {n}",
                state=state,
            )
            for n in range(3)
        ]
        for state in ("in_review", "reviewed")
    }
    for reviewer, proposal, due_on, columns in (
        (one, proposals["in_review"][0], DUE, {}),
        (one, proposals["in_review"][1], DUE, {}),
        (one, proposals["in_review"][2], LATER, {"no_conflict_at": WHEN}),
        (two, proposals["in_review"][0], DUE, {"no_conflict_at": WHEN}),
        (two, proposals["in_review"][1], DUE, {"removed_at": WHEN}),
        (two, proposals["in_review"][2], DUE, {"conflict_declared_at": WHEN}),
        (two, proposals["reviewed"][0], DUE, {}),  # its proposal is no longer in review
        (one, proposals["reviewed"][1], DUE, {"no_conflict_at": WHEN, "submitted_at": WHEN}),
    ):
        add_row(
            tables,
            "reviews",
            proposal_id=proposal,
            reviewer_id=reviewer,
            round=1,
            due_on=due_on,
            recommendation="fund" if "submitted_at" in columns else None,
            **columns,
        )
    db.session.commit()
    return one, two


def test_the_existing_waiting_reviews_are_counted(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        one, two = assignments()
        upgrade(revision=AFTER)
        tables = Reflected()
        tables.reflect(db.engine)
        counts = tables.tables["waiting_review_counts"]
        rows = db.session.execute(
            select(counts.c.reviewer_id, counts.c.due_on, counts.c.started, counts.c.reviews)
        ).all()
        assert sorted((r, d, bool(s), n) for r, d, s, n in rows) == [
            (one, DUE, False, 2),
            (one, LATER, True, 1),
            (two, DUE, True, 1),
        ]
        db.session.commit()
        downgrade(revision=BEFORE)
        assert "waiting_review_counts" not in inspect(db.engine).get_table_names()
