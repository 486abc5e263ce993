"""Screening a two-stage call's concept notes: who may see the list and act, invite and decline
through the workflow with their letters, bad input refused with a 4xx, and a constant number of
queries however many notes there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Conflict, ProposalState, Role
from fund.models.base import utcnow
from tests.concepts.helpers import concept_note, two_stage_call
from tests.conftest import count_queries, login, make_user, outbox

SUBMITTED = ProposalState.CONCEPT_SUBMITTED


def submitted_note(call=None):
    """A member and its organisation's concept note as submitted (frozen)."""
    from fund.rules import concept_content

    member, proposal = concept_note(state=SUBMITTED, call=call)
    proposal.reference = f"INS-2027-{proposal.id:04d}"
    proposal.concept_submitted_at = utcnow()
    proposal.concept_note = concept_content.snapshot(proposal, proposal.concept_submitted_at)
    db.session.commit()
    return member, proposal


def routes(proposal):
    return {
        "list": ("get", f"/concept-notes/calls/{proposal.call_id}", {}),
        "note": ("get", f"/concept-notes/{proposal.id}", {}),
        "invite": ("post", f"/concept-notes/{proposal.id}/invite", {}),
        "decline": ("post", f"/concept-notes/{proposal.id}/decline", {"reason": "Out of scope."}),
    }


ROUTES = ("list", "note", "invite", "decline")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.CHAIR])
def test_the_secretariat_and_the_chairs_may_use_each_route(client, route, role):
    _member, proposal = submitted_note()
    login(client, make_user(role))
    method, url, data = routes(proposal)[route]
    response = getattr(client, method)(url, data=data)
    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER])
def test_applicants_and_reviewers_are_refused(client, route, role):
    member, proposal = submitted_note()
    user = member if role == Role.APPLICANT else make_user(role)  # even its own organisation
    login(client, user)
    method, url, data = routes(proposal)[route]
    assert getattr(client, method)(url, data=data).status_code == 403
    db.session.refresh(proposal)
    assert proposal.state == SUBMITTED


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(client, route):
    _member, proposal = submitted_note()
    method, url, data = routes(proposal)[route]
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def _conflicted_chair(proposal):
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(user_id=chair.id, organisation_id=proposal.organisation_id, reason="Board member")
    )
    db.session.commit()
    return chair


@pytest.mark.parametrize("route", ["note", "invite", "decline"])
def test_a_conflicted_chair_cannot_read_or_act_on_the_note(client, route):
    _member, proposal = submitted_note()
    login(client, _conflicted_chair(proposal))
    method, url, data = routes(proposal)[route]
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 403
    assert "conflict of interest" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.state == SUBMITTED


def test_a_conflicted_chair_does_not_see_the_note_in_the_list(client):
    _member, proposal = submitted_note()
    login(client, _conflicted_chair(proposal))
    page = client.get(f"/concept-notes/calls/{proposal.call_id}").get_data(as_text=True)
    assert proposal.reference not in page


def test_inviting_moves_the_note_on_audits_it_and_queues_the_letter_after_the_commit(client):
    member, proposal = submitted_note()
    chair = make_user(Role.CHAIR)
    login(client, chair)
    response = client.post(
        f"/concept-notes/{proposal.id}/invite", data={"message": "Add a budget for travel."}
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.INVITED
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "shortlist"))
    assert (event.from_state, event.to_state, event.actor_id) == (
        "concept_submitted",
        "invited",
        chair.id,
    )
    [letter] = outbox(event="concept_invited")
    assert letter.recipient == member.email
    assert proposal.reference in letter.subject
    assert "Add a budget for travel." in letter.body_text
    assert "full proposal" in letter.body_text


def test_declining_needs_a_reason_and_sends_it_in_the_letter(client):
    member, proposal = submitted_note()
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/concept-notes/{proposal.id}/decline", data={"reason": "  "})
    assert response.status_code == 400
    assert "Give a reason" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.state == SUBMITTED and outbox() == []
    client.post(f"/concept-notes/{proposal.id}/decline", data={"reason": "Not about children."})
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.CONCEPT_DECLINED
    [letter] = outbox(event="concept_declined")
    assert letter.recipient == member.email and "Not about children." in letter.body_text


def test_the_call_can_override_the_letters(client):
    _member, proposal = submitted_note()
    proposal.call.letter_templates = {
        "concept_invited": {"subject": "Good news on {reference}", "body": "Write by {deadline}."}
    }
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    client.post(f"/concept-notes/{proposal.id}/invite")
    [letter] = outbox(event="concept_invited")
    assert letter.subject == f"Good news on {proposal.reference}"
    assert "Write by " in letter.body_text and "{deadline}" not in letter.body_text


def test_inviting_twice_is_refused_with_409_and_no_second_letter(client):
    _member, proposal = submitted_note()
    login(client, make_user(Role.ADMIN))
    assert client.post(f"/concept-notes/{proposal.id}/invite").status_code == 302
    response = client.post(f"/concept-notes/{proposal.id}/invite")
    assert response.status_code == 409
    assert len(outbox(event="concept_invited")) == 1


def test_inviting_after_the_call_has_closed_is_refused(client):
    _member, proposal = submitted_note()
    call = proposal.call
    # the concept deadline, then the call's close, both passed
    call.opens_at, call.concept_closes_at, call.closes_at = (
        utcnow() - timedelta(days=30),
        utcnow() - timedelta(days=20),
        utcnow() - timedelta(seconds=1),
    )
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/concept-notes/{proposal.id}/invite")
    assert response.status_code == 400
    assert "The call has closed" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.state == SUBMITTED and outbox() == []


def test_a_message_that_is_too_long_is_refused_with_400(client):
    _member, proposal = submitted_note()
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/concept-notes/{proposal.id}/invite", data={"message": "x" * 1001})
    assert response.status_code == 400
    db.session.refresh(proposal)
    assert proposal.state == SUBMITTED


def test_a_note_still_in_draft_is_not_there(client):
    _member, proposal = concept_note()
    login(client, make_user(Role.ADMIN))
    assert client.get(f"/concept-notes/{proposal.id}").status_code == 404
    assert client.post(f"/concept-notes/{proposal.id}/invite").status_code == 404


@pytest.mark.parametrize("query", ["show=everything", "page=x"])
def test_a_bad_filter_or_page_is_refused_with_400(client, query):
    _member, proposal = submitted_note()
    login(client, make_user(Role.ADMIN))
    response = client.get(f"/concept-notes/calls/{proposal.call_id}?{query}")
    assert response.status_code == 400


def test_the_list_shows_each_note_and_filters_by_state(client):
    call = two_stage_call()
    _m1, waiting = submitted_note(call)
    _m2, invited = submitted_note(call)
    invited.state = ProposalState.INVITED
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/concept-notes/calls/{call.id}").get_data(as_text=True)
    assert waiting.reference in page and invited.reference not in page
    assert waiting.organisation.name in page and "Uganda" in page
    page = client.get(f"/concept-notes/calls/{call.id}?show=all").get_data(as_text=True)
    assert waiting.reference in page and invited.reference in page


def test_the_list_makes_the_same_number_of_queries_for_1_or_12_notes(client):
    call = two_stage_call()
    login(client, make_user(Role.CHAIR))
    url = f"/concept-notes/calls/{call.id}?show=all"
    submitted_note(call)
    client.get(url)  # warm up the caches (memberships, conflicts)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(11):
        submitted_note(call)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("/concept-notes/") >= 12
    assert len(many) == len(few)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CHAIR])
def test_the_dashboard_leads_the_screeners_to_the_notes_waiting(client, role):
    call = two_stage_call()
    submitted_note(call)
    submitted_note(call)
    login(client, make_user(role))
    page = client.get("/dashboard").get_data(as_text=True)
    assert f"/concept-notes/calls/{call.id}" in page
    assert "2 concept notes wait for a decision" in page


def test_the_dashboard_shows_no_concept_panel_to_reviewers(client):
    call = two_stage_call()
    submitted_note(call)
    login(client, make_user(Role.REVIEWER))
    assert "/concept-notes/" not in client.get("/dashboard").get_data(as_text=True)
