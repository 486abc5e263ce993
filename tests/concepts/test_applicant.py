"""The applicant's concept note: started on a two-stage call, edited, submitted and frozen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Proposal, ProposalState, Role
from tests.concepts.helpers import (
    concept_note,
    conditional_concept_form,
    fill_concept,
    load_income_groups,
    two_stage_call,
)
from tests.conftest import login, make_organisation, make_user, outbox


def test_a_proposal_to_a_two_stage_call_starts_as_a_concept_note(client):
    """Starting on a two-stage call makes a concept draft and leads to its own form."""
    load_income_groups()
    member = make_user(Role.APPLICANT)
    organisation = make_organisation(member)
    call = two_stage_call()
    login(client, member)
    response = client.post(
        "/proposals/start",
        data={"call_id": call.id, "organisation_id": organisation.id, "title": "Safe homes"},
    )
    proposal = db.session.scalar(select(Proposal))
    assert proposal.state == ProposalState.CONCEPT_DRAFT
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}/concept/edit")
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/concept/edit" in page
    assert "Submit concept note" in page


def test_no_concept_note_can_be_started_after_the_concept_deadline(client):
    """After the concept deadline only the invited organisations write: starting is refused."""
    load_income_groups()
    member = make_user(Role.APPLICANT)
    organisation = make_organisation(member)
    call = two_stage_call(concept_open=False)
    login(client, member)
    response = client.post(
        "/proposals/start",
        data={"call_id": call.id, "organisation_id": organisation.id, "title": "Late"},
    )
    assert response.status_code == 400
    assert "only the organisations invited" in response.get_data(as_text=True)
    assert db.session.scalar(select(Proposal)) is None


def test_the_concept_form_saves_the_core_fields_and_the_concept_answers(client):
    member, proposal = concept_note()
    login(client, member)
    page = client.get(f"/proposals/{proposal.id}/concept/edit").get_data(as_text=True)
    assert "Why is this needed?" in page
    response = client.post(
        f"/proposals/{proposal.id}/concept/edit",
        data={
            "lock_version": proposal.lock_version,
            "title": "Safe homes",
            "summary": "Home visits.",
            "countries": ["KE"],
            "strategies": ["parent_support"],
            "q_c0ffee02": "Because.",
        },
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert (proposal.title, proposal.summary, proposal.countries) == (
        "Safe homes",
        "Home visits.",
        ["KE"],
    )
    assert proposal.concept_answers == {"q_c0ffee02": "Because."}


def test_an_over_long_concept_answer_is_refused_with_its_message_and_kept(client):
    member, proposal = concept_note()
    login(client, member)
    response = client.post(
        f"/proposals/{proposal.id}/concept/edit",
        data={
            "lock_version": proposal.lock_version,
            "title": "Safe homes",
            "q_c0ffee02": "x" * 501,
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "error-summary" in page and "x" * 501 in page
    db.session.refresh(proposal)
    assert proposal.title == "Safe schools"


def test_a_concept_answer_hidden_by_its_condition_is_refused_and_every_answer_kept(client):
    member, proposal = concept_note()
    proposal.call.concept_form = conditional_concept_form()
    db.session.commit()
    login(client, member)
    response = client.post(
        f"/proposals/{proposal.id}/concept/edit",
        data={
            "lock_version": proposal.lock_version,
            "title": "Safe homes",
            "q_c0ffee02": "Because.",
            "q_c0ffee03": "no",
            "q_c0ffee04": "Two adults in every session.",
        },
    )
    page = response.get_data(as_text=True)
    message = "You answered this, but it applies only if “Will children take part?” is Yes"
    assert response.status_code == 400
    assert f'<p class="error" id="q_c0ffee04-error">{message}' in page
    assert f'<a href="#q_c0ffee04">How will they be kept safe?: {message}' in page
    assert "Two adults in every session." in page and "Because." in page
    assert 'value="Safe homes"' in page
    db.session.refresh(proposal)
    assert proposal.title == "Safe schools"


def test_a_stale_concept_form_is_refused_with_409(client):
    member, proposal = concept_note()
    login(client, member)
    data = {"lock_version": proposal.lock_version - 1 or 99, "title": "Mine"}
    response = client.post(f"/proposals/{proposal.id}/concept/edit", data=data)
    assert response.status_code == 409
    assert "Someone else saved" in response.get_data(as_text=True)


def test_submitting_freezes_the_concept_note_gives_a_reference_and_tells_the_members(client):
    load_income_groups()
    member, proposal = concept_note()
    login(client, member)
    response = client.post(f"/proposals/{proposal.id}/concept/submit")
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.CONCEPT_SUBMITTED
    assert proposal.reference and proposal.reference.startswith("INS-")
    note = proposal.concept_note
    assert note["title"] == "Safe schools" and note["countries"] == ["UG"]
    assert note["answers"] == {"q_c0ffee02": "Harsh discipline is common in the district."}
    assert note["form"]["sections"][0]["questions"][0]["label"] == "Why is this needed?"
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "submit_concept")
    ).all()
    assert (event.from_state, event.to_state) == ("concept_draft", "concept_submitted")
    [receipt] = outbox(event="concept_submitted")
    assert receipt.recipient == member.email and proposal.reference in receipt.subject
    # the frozen note does not follow later edits of the call's form
    proposal.call.concept_form = {}
    db.session.commit()
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "From the concept note" in page and "Why is this needed?" in page


def test_an_incomplete_concept_note_is_refused_with_every_problem(client):
    load_income_groups()
    member, proposal = concept_note()
    proposal.summary, proposal.concept_answers = "", {}
    db.session.commit()
    login(client, member)
    response = client.post(f"/proposals/{proposal.id}/concept/submit")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write a summary" in page and "Why is this needed?" in page
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.CONCEPT_DRAFT and proposal.concept_note is None


def test_a_concept_note_after_the_concept_deadline_is_refused(client):
    load_income_groups()
    member, proposal = concept_note(call=two_stage_call(concept_open=False))
    login(client, member)
    response = client.post(f"/proposals/{proposal.id}/concept/submit")
    assert response.status_code == 400
    assert "Concept notes are taken" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.CONCEPT_DRAFT


def test_submitting_twice_is_refused_with_409(client):
    load_income_groups()
    member, proposal = concept_note()
    login(client, member)
    assert client.post(f"/proposals/{proposal.id}/concept/submit").status_code == 302
    response = client.post(f"/proposals/{proposal.id}/concept/submit")
    assert response.status_code == 409
    assert "concept note submitted" in response.get_data(as_text=True)


def test_the_dashboard_says_where_the_concept_note_stands(client):
    member, proposal = concept_note(state=ProposalState.CONCEPT_SUBMITTED)
    login(client, member)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "concept note received" in page
    assert "invite those shortlisted" in page


def test_the_concept_form_is_for_the_members_only(client):
    member, proposal = concept_note()
    for user in (make_user(Role.APPLICANT), make_user(Role.ADMIN), make_user(Role.CHAIR)):
        login(client, user)
        assert client.get(f"/proposals/{proposal.id}/concept/edit").status_code == 404
    client.get("/auth/logout")


def test_fill_concept_is_complete(ctx):
    """The helper's note passes the completeness rule (so the tests above test one thing)."""
    from fund.rules import concept_content

    _member, proposal = concept_note()
    assert concept_content.incomplete_reason(fill_concept(proposal)) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "concept/edit"), ("post", "concept/edit"), ("post", "concept/submit")],
)
def test_anonymous_visitors_are_sent_to_log_in_and_nothing_changes(client, method, path):
    _member, proposal = concept_note()
    response = getattr(client, method)(f"/proposals/{proposal.id}/{path}", data={"title": "X"})
    assert response.status_code in (302, 303)
    assert "/account/login" in response.headers["Location"]
    db.session.refresh(proposal)
    assert (proposal.title, proposal.state) == ("Safe schools", ProposalState.CONCEPT_DRAFT)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN, Role.CHAIR])
def test_nobody_outside_the_organisation_submits_its_concept_note(client, role):
    load_income_groups()
    _member, proposal = concept_note()
    login(client, make_user(role))
    assert client.post(f"/proposals/{proposal.id}/concept/submit").status_code == 404
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.CONCEPT_DRAFT


@pytest.mark.parametrize(
    "state", [ProposalState.CONCEPT_DRAFT, ProposalState.CONCEPT_SUBMITTED, ProposalState.INVITED]
)
def test_a_concept_note_or_invited_proposal_can_be_withdrawn(client, state):
    member, proposal = concept_note(state=state)
    login(client, member)
    assert client.get(f"/proposals/{proposal.id}/withdraw").status_code == 200
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": "No capacity."})
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.WITHDRAWN
