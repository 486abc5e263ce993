"""A call's two stages on the call form: the concept deadline stored in UTC, its order checked,
the setting fixed once anything is submitted; both deadlines on the call page; the concept
builder and the concept notes offered on the manage buttons of a two-stage call only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import Call, ProposalState
from fund.models.base import utcnow
from tests.calls.conftest import admin, create_call, form_data  # noqa: F401  (fixture)
from tests.concepts.helpers import concept_note


def test_a_two_stage_call_is_created_with_its_concept_deadline_in_utc(client, admin):  # noqa: F811
    data = form_data(two_stage="y", concept_closes_at="2027-03-15T17:00")
    response = client.post("/calls/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    call = db.session.scalar(select(Call))
    assert call.two_stage is True
    assert call.concept_closes_at == datetime(2027, 3, 15, 14, 0, tzinfo=UTC)  # Nairobi is +3


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (None, "Give the date and time concept notes close."),
        ("2027-02-28T09:00", "Concept notes must close after the call opens."),
        ("2027-03-31T17:00", "Concept notes must close before the call closes"),
        ("2027-04-30T17:00", "Concept notes must close before the call closes"),
        ("not a date", "Give a date and time"),
    ],
)
def test_a_concept_deadline_out_of_order_is_refused_with_400(
    client,
    admin,  # noqa: F811
    deadline,
    message,
):
    response = client.post("/calls/new", data=form_data(two_stage="y", concept_closes_at=deadline))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Call)) is None


def test_a_single_stage_call_keeps_no_concept_deadline(client, admin):  # noqa: F811
    response = client.post("/calls/new", data=form_data(concept_closes_at="2027-03-15T17:00"))
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert (call.two_stage, call.concept_closes_at) == (False, None)


def test_two_stages_cannot_be_switched_once_a_concept_note_is_submitted(client, admin):  # noqa: F811
    _member, proposal = concept_note(state=ProposalState.CONCEPT_SUBMITTED)
    proposal.concept_submitted_at = utcnow()
    db.session.commit()
    call = proposal.call
    page = client.get(f"/calls/{call.id}/edit").get_data(as_text=True)
    assert 'id="two_stage-fixed"' in page
    local = call.concept_closes_at + timedelta(days=1)
    data = form_data(
        timezone="UTC",
        opens_at=call.opens_at.strftime("%Y-%m-%dT%H:%M"),
        closes_at=call.closes_at.strftime("%Y-%m-%dT%H:%M"),
        concept_closes_at=local.strftime("%Y-%m-%dT%H:%M"),
    )  # the checkbox left unticked: "single stage" is not sent, so nothing switches
    client.post(f"/calls/{call.id}/edit", data=data)
    db.session.refresh(call)
    assert call.two_stage is True


def test_the_call_page_shows_both_deadlines(client):
    _member, proposal = concept_note()
    page = client.get(f"/calls/{proposal.call_id}").get_data(as_text=True)
    assert "In two stages: concept notes until" in page


def test_the_manage_buttons_offer_the_concept_pages_for_a_two_stage_call_only(
    client,
    admin,  # noqa: F811
):
    single = create_call()
    _member, proposal = concept_note()
    two_stage = proposal.call
    single_page = client.get(f"/calls/{single.id}").get_data(as_text=True)
    two_stage_page = client.get(f"/calls/{two_stage.id}").get_data(as_text=True)
    assert f"/calls/{two_stage.id}/forms/concept" in two_stage_page
    assert f"/concept-notes/calls/{two_stage.id}" in two_stage_page
    assert "/forms/concept" not in single_page and "/concept-notes/" not in single_page
    assert client.get(f"/concept-notes/calls/{single.id}").status_code == 404


def test_a_single_stage_call_with_a_submission_cannot_become_two_stage(client, admin):  # noqa: F811
    from tests.conftest import make_organisation, make_proposal, make_user

    call = create_call()
    proposal = make_proposal(make_organisation(make_user()), call, state="submitted")
    proposal.submitted_at = utcnow()
    db.session.commit()
    data = form_data(
        timezone="UTC",
        opens_at=call.opens_at.strftime("%Y-%m-%dT%H:%M"),
        closes_at=call.closes_at.strftime("%Y-%m-%dT%H:%M"),
        two_stage="y",
        concept_closes_at=(call.closes_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(f"/calls/{call.id}/edit", data=data)
    assert response.status_code == 400
    assert "can no longer change" in response.get_data(as_text=True)
    db.session.refresh(call)
    assert call.two_stage is False
