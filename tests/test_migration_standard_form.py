"""The migration to the standard proposal form, on a database holding the old shape: each call's
form gets the standard sections before its own, the five text columns move into the answers
(of drafts and of frozen versions alike), and going down puts everything back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, insert, inspect, select
from sqlalchemy import MetaData as Reflected
from sqlalchemy.types import JSON

from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.standard import STANDARD_TEXT_IDS, core_questions
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401 (fixtures)

BEFORE, AFTER = "4c1f9a7e2b30", "5c7d262b7dbf"
TEXTS = {
    "target_groups": "Parents of children aged 3-12.",
    "activities": "Twelve parenting sessions.",
    "timeline": "Months 1-3 training.",
    "expected_results": "Less harsh discipline.",
    "measurement": "A questionnaire before and after.",
}
OWN_FORM = {
    "schema": 1,
    "sections": [
        {
            "id": "s_0000aaaa",
            "title": "Children",
            "questions": [
                {
                    "id": "q_0000aaaa",
                    "type": "yes_no",
                    "label": "Will children take part?",
                    "required": True,
                }
            ],
        }
    ],
    "retired_ids": ["q_0000bbbb"],
}
# Values for the columns of the old shape that take no default and allow no NULL.
KNOWN = {
    "state": {"proposals": "submitted"},
    "org_type": "ngo",
    "budget_band": "under_50k",
    "currency": "USD",
    "timezone": "UTC",
    "locale": "en",
    "country_code": "UG",
}


def filler(table: str, column) -> object:
    known = KNOWN.get(column.name)
    if isinstance(known, dict):
        return known.get(table, "x")
    if known is not None:
        return known
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, Numeric):
        return Decimal("1")
    if isinstance(kind, DateTime):
        return datetime(2026, 1, 1, tzinfo=UTC)
    if isinstance(kind, Date):
        return date(2026, 1, 1)
    if isinstance(kind, JSON):
        return [] if column.name.endswith("s") else {}
    return "x"


def add_row(tables, table_name: str, **values) -> int:
    """Insert into the old-shape table `table_name`, filling its required columns left out."""
    table = tables.tables[table_name]
    for column in table.columns:
        needed = not column.nullable and column.server_default is None
        if column.name not in values and needed and not column.primary_key:
            values[column.name] = filler(table_name, column)
    return db.session.execute(insert(table).values(**values)).inserted_primary_key[0]


def old_shape_rows() -> dict[str, int]:
    """A call with its own form, a proposal with the five texts, and its frozen version."""
    tables = Reflected()
    tables.reflect(db.engine)
    user = add_row(tables, "users", email="a@example.org")
    organisation = add_row(tables, "organisations", name="Safe Homes")
    call = add_row(
        tables,
        "calls",
        title="Old call",
        proposal_form=OWN_FORM,
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    proposal = add_row(
        tables,
        "proposals",
        call_id=call,
        organisation_id=organisation,
        created_by_id=user,
        title="Safe schools",
        answers={"q_0000aaaa": "yes"},
        **TEXTS,
    )
    content = {"title": "Safe schools", "form": OWN_FORM, "answers": {"q_0000aaaa": "yes"}}
    add_row(
        tables,
        "proposal_versions",
        proposal_id=proposal,
        number=1,
        content={**content, **TEXTS},
    )
    db.session.commit()
    return {"call": call, "proposal": proposal}


def row(table: str, key: int) -> dict:
    tables = Reflected()
    tables.reflect(db.engine)
    found = db.session.execute(select(tables.tables[table]).where(tables.tables[table].c.id == key))
    return dict(found.mappings().one())


def test_the_five_texts_move_into_the_answers_and_back(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        ids = old_shape_rows()
        upgrade(revision=AFTER)

        form = row("calls", ids["call"])["proposal_form"]
        forms.check(form)  # the standard sections, then the call's own
        assert form["sections"][-1] == OWN_FORM["sections"][0]
        assert form["retired_ids"] == OWN_FORM["retired_ids"]
        assert set(core_questions(form)) >= {"title", "budget", "countries"}
        proposal = row("proposals", ids["proposal"])
        assert proposal["answers"] == {
            "q_0000aaaa": "yes",
            **{STANDARD_TEXT_IDS[name]: text for name, text in TEXTS.items()},
        }
        assert not set(TEXTS) & {c["name"] for c in inspect(db.engine).get_columns("proposals")}
        version = db.session.execute(
            select(db.metadata.tables["proposal_versions"].c.content)
        ).scalar_one()
        assert not set(TEXTS) & set(version)
        assert version["answers"] == proposal["answers"]
        assert version["form"]["sections"] == form["sections"]
        db.session.close()  # PostgreSQL: the reads' locks would hold up the ALTER TABLE

        downgrade(revision=BEFORE)
        assert row("calls", ids["call"])["proposal_form"] == OWN_FORM
        proposal = row("proposals", ids["proposal"])
        assert {name: proposal[name] for name in TEXTS} == TEXTS
        assert proposal["answers"] == {"q_0000aaaa": "yes"}
        version = db.session.execute(
            select(db.metadata.tables["proposal_versions"].c.content)
        ).scalar_one()
        assert {name: version[name] for name in TEXTS} == TEXTS
        assert version["form"] == OWN_FORM and version["answers"] == {"q_0000aaaa": "yes"}
        db.session.close()
