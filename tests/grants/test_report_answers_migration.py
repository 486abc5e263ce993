"""The migration that gives progress reports their answers and frozen form: up from the revision
before it, down and up again, on SQLite and on PostgreSQL (TEST_DATABASE_URL), keeping the
reports already there (they read as answering nothing)."""

from __future__ import annotations

import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from fund.extensions import db
from fund.models import Role
from tests.conftest import (
    make_call,
    make_grant,
    make_organisation,
    make_proposal,
    make_report,
    make_user,
)
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401  (fixtures)

BEFORE, AFTER = "7e3a52c8d1f4", "e5b8c1d94a27"


def report_columns() -> set[str]:
    with db.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns("progress_reports")}


def stored(report_id: int) -> tuple:
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT state, answers, form FROM progress_reports WHERE id = :id"),
            {"id": report_id},
        ).one()
    return row.state, _json(row.answers), _json(row.form)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite gives text


def test_the_columns_come_and_go_and_reports_already_there_answer_nothing(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        assert {"answers", "form"}.isdisjoint(report_columns())
        upgrade(revision=AFTER)
        assert {"answers", "form"} <= report_columns()
        member = make_user(Role.APPLICANT)
        grant = make_grant(make_proposal(make_organisation(member), make_call(), state="awarded"))
        report_id = make_report(grant, state="submitted").id
        db.session.remove()  # the schema changes under the session
        downgrade(revision=BEFORE)
        assert {"answers", "form"}.isdisjoint(report_columns())
        upgrade()
        assert stored(report_id) == ("submitted", {}, {})
