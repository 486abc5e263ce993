"""The migration that keeps the ranking's statistics computes them for the reviews already
there: each submitted review's weighted score and its proposal's and reviewers' rows."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData as Reflected
from sqlalchemy import select

from fund.extensions import db
from tests.test_migration_standard_form import add_row
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401 (fixtures)

BEFORE, AFTER = "3f8a1c6d2e94", "b7e41c9d05a3"
TOKENS_BEFORE, TOKENS_AFTER = "c4a9e2f71b36", "5d1e8a3c7b20"
SUBMITTED = datetime(2026, 2, 1, tzinfo=UTC)


def reviewed_proposal() -> dict[str, int]:
    """A call weighting two criteria 60 and 40; a proposal scored (5, 5) and (3, 1) by two
    reviewers, and a third review never submitted."""
    tables = Reflected()
    tables.reflect(db.engine)
    one, two, three = (add_row(tables, "users", email=f"r{n}@example.org") for n in (1, 2, 3))
    organisation = add_row(tables, "organisations", name="Safe Homes")
    call = add_row(
        tables,
        "calls",
        title="Old call",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    criteria = [
        add_row(tables, "criteria", call_id=call, position=i, name=f"C{i}", weight=w)
        for i, w in ((1, 60), (2, 40))
    ]
    proposal = add_row(
        tables, "proposals", call_id=call, organisation_id=organisation, title="Safe schools"
    )
    reviews = {}
    for reviewer, scores, submitted in (
        (one, (5, 5), True),
        (two, (3, 1), True),
        (three, (4, 4), False),
    ):
        review = add_row(
            tables,
            "reviews",
            proposal_id=proposal,
            reviewer_id=reviewer,
            round=1,
            recommendation="fund",
            no_conflict_at=SUBMITTED,
            submitted_at=SUBMITTED if submitted else None,
            removed_at=None,
            conflict_declared_at=None,
        )
        for criterion, score in zip(criteria, scores, strict=True):
            add_row(
                tables, "criterion_scores", review_id=review, criterion_id=criterion, score=score
            )
        reviews[reviewer] = review
    db.session.commit()
    return {"call": call, "proposal": proposal, "reviews": reviews}


def test_the_existing_reviews_get_their_scores_and_statistics(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        made = reviewed_proposal()
        upgrade(revision=AFTER)
        tables = Reflected()
        tables.reflect(db.engine)
        reviews = tables.tables["reviews"]
        scores = dict(db.session.execute(select(reviews.c.id, reviews.c.weighted_score)).all())
        # 60 (5 - 1) / 4 + 40 (5 - 1) / 4 = 100; 60 (3 - 1) / 4 + 0 = 30; never submitted: none
        assert sorted(scores.values(), key=lambda v: (v is None, v)) == [30.0, 100.0, None]
        stats = tables.tables["proposal_scores"]
        row = db.session.execute(select(stats)).mappings().one()
        assert (row["proposal_id"], row["call_id"], row["reviews"]) == (
            made["proposal"],
            made["call"],
            2,
        )
        assert (row["mean"], row["median"], row["std_dev"], row["spread"]) == (65, 65, 35, 70)
        assert row["fund"] == 2
        reviewers = db.session.execute(select(tables.tables["reviewer_scores"])).mappings().all()
        assert sorted(r["mean"] for r in reviewers) == [30.0, 100.0]
        db.session.remove()
        downgrade(revision=BEFORE)
        inspector_tables = db.inspect(db.engine).get_table_names()
        assert "proposal_scores" not in inspector_tables
        assert "reviewer_scores" not in inspector_tables


def test_every_existing_call_gets_a_version_token(fresh_app):  # noqa: F811
    """The ranking keys what it works out for a conflicted chair by the call's token: a call
    there before the migration gets one, and a downgrade drops the table."""
    with fresh_app.app_context():
        upgrade(revision=TOKENS_BEFORE)
        made = reviewed_proposal()
        upgrade(revision=TOKENS_AFTER)
        tables = Reflected()
        tables.reflect(db.engine)
        versions = tables.tables["call_score_versions"]
        rows = db.session.execute(select(versions.c.call_id, versions.c.token)).all()
        assert [call for call, _token in rows] == [made["call"]]
        assert len(rows[0].token) == 32 and int(rows[0].token, 16) >= 0
        db.session.remove()
        downgrade(revision=TOKENS_BEFORE)
        assert "call_score_versions" not in db.inspect(db.engine).get_table_names()
