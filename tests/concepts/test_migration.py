"""The two-stage migration (e58c1a4b9d27) on a database holding data of the old shape: existing
calls become single-stage and keep their proposals; the concept states are allowed after it and
turned into "withdrawn" (not lost) when it is undone. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from fund.extensions import db
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401  (fixtures)

BEFORE = "7e3a52c8d1f4"
REVISION = "e58c1a4b9d27"


def _insert_old_shape() -> None:
    """A call, an organisation and a submitted proposal, as the schema before stood."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO calls (id, title, description, opens_at, closes_at, timezone, "
                "currency, budget_envelope, min_award, max_award, max_duration_months, "
                "eligible_income_groups, unclassified_eligible, eligible_org_types, strategies, "
                "fiscal_year, reviewers_per_proposal, chair_approvals_needed, tranche_template, "
                "reporting_template, created_at, disagreement_threshold, hide_reviewer_names) "
                "VALUES (1, 'Old call', '', '2026-01-01 00:00:00', '2026-06-01 00:00:00', 'UTC', "
                "'USD', 200000, 5000, 50000, 18, '[]', false, '[]', '[]', 'FY2027', 3, 1, '[]', "
                "'[]', '2026-01-01 00:00:00', 15, false)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO organisations (id, name, country_code, org_type, budget_band, "
                "created_at) VALUES (1, 'Old org', 'UG', 'ngo', 'under_50k', "
                "'2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO proposals (id, call_id, organisation_id, title, state, summary, "
                "strategies, countries, target_groups, activities, timeline, expected_results, "
                "measurement, amount_requested, lock_version, created_at, updated_at) VALUES "
                "(1, 1, 1, 'Old proposal', 'submitted', '', '[]', '[]', '', '', '', '', '', 0, "
                "1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )


def _set_state(state: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE proposals SET state = :s WHERE id = 1"), {"s": state})


def _row() -> tuple:
    with db.engine.connect() as conn:
        return tuple(conn.execute(text("SELECT title, state FROM proposals WHERE id = 1")).one())


def _two_stage() -> bool:
    with db.engine.connect() as conn:
        return bool(conn.execute(text("SELECT two_stage FROM calls WHERE id = 1")).scalar_one())


def test_the_migration_keeps_old_data_and_admits_the_concept_states(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        _insert_old_shape()
        with pytest.raises(IntegrityError):  # the old schema has no concept stage
            _set_state("concept_submitted")
        upgrade(revision=REVISION)
        assert _row() == ("Old proposal", "submitted")
        assert _two_stage() is False
        _set_state("invited")
        with pytest.raises(IntegrityError):  # still only the known states
            _set_state("shortlisted")
        downgrade(revision=BEFORE)
        assert _row() == ("Old proposal", "withdrawn")
        upgrade(revision=REVISION)
        assert _row() == ("Old proposal", "withdrawn")
