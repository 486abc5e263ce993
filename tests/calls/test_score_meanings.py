"""The meaning of each score level on each criterion: entered on the call form, shipped with the
suggested rubric, shown on the public call page, and correctable once the rubric is fixed."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from fund.calls.rubric import DEFAULT_RUBRIC, LEVEL_MAX
from fund.extensions import db
from fund.models import AuditEvent, Call
from tests.calls.conftest import NOW, form_data, input_value
from tests.calls.test_edit import submit_a_proposal

MEANINGS = ["Missing", "Thin", "Adequate", "Strong", "Outstanding"]


def with_meanings(row: int = 0, meanings=MEANINGS, prefix: str = "criteria", **changes) -> dict:
    """The call form's data with `meanings` for the scores of criterion `row`."""
    levels = {f"{prefix}-{row}-levels-{i}": text for i, text in enumerate(meanings)}
    return form_data(**levels, **changes)


def test_the_new_call_form_offers_the_default_meanings_with_their_limit(client, admin):
    page = html.unescape(client.get("/calls/new").text)
    first = DEFAULT_RUBRIC[0]
    for score, meaning in enumerate(first.levels):
        assert input_value(page, f"criteria-0-levels-{score}") == str(meaning)
    assert "Score 1 means" in page and "Score 5 means" in page
    assert f"Up to {LEVEL_MAX} characters." in page


def test_the_call_form_saves_the_meanings_and_shows_them_again(client, admin, frozen):
    response = client.post("/calls/new", data=with_meanings())
    assert response.status_code == 302
    call = db.session.scalars(select(Call)).one()
    assert call.criteria[0].levels == MEANINGS
    assert call.criteria[1].levels == []  # none given: none stored
    page = client.get(f"/calls/{call.id}/edit").text
    assert input_value(page, "criteria-0-levels-4") == "Outstanding"


def test_an_over_long_meaning_is_refused_next_to_its_field(client, admin, frozen):
    long = "x" * (LEVEL_MAX + 1)
    response = client.post("/calls/new", data=with_meanings(meanings=[*MEANINGS[:4], long]))
    assert response.status_code == 400
    assert f"Up to {LEVEL_MAX} characters; this has {LEVEL_MAX + 1}." in response.text
    assert 'id="criteria-0-levels-4-error-1"' in response.text
    assert long in response.text  # what was typed is kept
    assert db.session.scalars(select(Call)).first() is None


def test_meanings_for_only_some_scores_are_refused(client, admin, frozen):
    response = client.post("/calls/new", data=with_meanings(meanings=["Poor", "", "", "", "Good"]))
    assert response.status_code == 400
    assert "Give a meaning for each of the 5 score levels, or for none." in response.text
    assert db.session.scalars(select(Call)).first() is None


def test_the_public_call_page_shows_the_meanings_with_the_rubric(client, admin, frozen):
    client.post("/calls/new", data=with_meanings())
    call = db.session.scalars(select(Call)).one()
    call.published_at = NOW
    db.session.commit()
    page = client.get(f"/calls/{call.id}").text
    rubric = page[page.index("How proposals are scored") :]
    for meaning in MEANINGS:
        assert f"<dd>{meaning}</dd>" in rubric


@pytest.fixture
def fixed_call(client, admin, frozen) -> Call:
    """A call made through the form, with one proposal submitted: its rubric is fixed."""
    assert client.post("/calls/new", data=with_meanings()).status_code == 302
    call = db.session.scalars(select(Call)).one()
    call.published_at = NOW
    db.session.commit()
    submit_a_proposal(call)
    return call


def locked_page_data(**changes) -> dict:
    """What the edit page sends once the rubric is fixed: no criteria rows, guidance rows."""
    data = {k: v for k, v in form_data(**changes).items() if not k.startswith("criteria-")}
    for name in ("currency", "min_award", "max_award", "max_duration_months", "fiscal_year"):
        del data[name]
    for name in ("eligible_income_groups", "eligible_org_types", "strategies", "opens_at"):
        del data[name]
    return data


def guidance_rows(call: Call) -> dict:
    """The guidance rows as the edit page sends them, with the call's current values."""
    rows = {}
    for row, criterion in enumerate(call.criteria):
        rows[f"criterion_guidance-{row}-guidance"] = criterion.guidance
        for score, meaning in enumerate(criterion.levels or [""] * 5):
            rows[f"criterion_guidance-{row}-levels-{score}"] = meaning
    return rows


def test_a_fixed_rubric_still_lets_the_meanings_and_descriptions_be_corrected(client, fixed_call):
    """Names and weights are shown fixed; descriptions and meanings are fields, and a
    correction is saved in place (scores keep their criterion) and audited."""
    page = client.get(f"/calls/{fixed_call.id}/edit").text
    assert 'name="criteria-0-name"' not in page
    assert input_value(page, "criterion_guidance-0-levels-1") == "Thin"
    ids = [c.id for c in fixed_call.criteria]
    corrected = guidance_rows(fixed_call)
    corrected["criterion_guidance-0-levels-1"] = "Thin: little evidence"
    corrected["criterion_guidance-0-guidance"] = "Corrected description"
    response = client.post(f"/calls/{fixed_call.id}/edit", data=locked_page_data(**corrected))
    assert response.status_code == 302
    db.session.expire_all()
    assert [c.id for c in fixed_call.criteria] == ids
    assert fixed_call.criteria[0].levels[1] == "Thin: little evidence"
    assert fixed_call.criteria[0].guidance == "Corrected description"
    assert fixed_call.criteria[1].guidance == "Guidance for Design and feasibility"
    audit = db.session.scalars(
        select(AuditEvent.comment).where(AuditEvent.action == "update")
    ).all()
    assert audit == ["criterion_guidance"]


def test_a_fixed_rubric_refuses_over_long_corrections_with_a_field_error(client, fixed_call):
    rows = guidance_rows(fixed_call)
    rows["criterion_guidance-0-levels-0"] = "y" * (LEVEL_MAX + 1)
    data = locked_page_data(**rows)
    response = client.post(f"/calls/{fixed_call.id}/edit", data=data)
    assert response.status_code == 400
    assert 'id="criterion_guidance-0-levels-0-error-1"' in response.text
    db.session.expire_all()
    assert fixed_call.criteria[0].levels == MEANINGS


def test_a_fixed_rubric_refuses_guidance_for_criteria_it_does_not_have(client, fixed_call):
    rows = {
        f"criterion_guidance-{i}-guidance": "Extra" for i in range(len(fixed_call.criteria) + 1)
    }
    response = client.post(f"/calls/{fixed_call.id}/edit", data=locked_page_data(**rows))
    assert response.status_code == 400
    assert "Give the descriptions of the rubric&#39;s criteria only." in response.text
