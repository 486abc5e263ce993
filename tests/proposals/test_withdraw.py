"""Withdrawing a proposal: a confirmation page, then the workflow's `withdraw`, until a decision."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, ProposalState, Role
from tests.conftest import login, make_organisation, make_proposal, make_user, outbox

BEFORE_A_DECISION = [
    ProposalState.DRAFT,
    ProposalState.SUBMITTED,
    ProposalState.IN_REVIEW,
    ProposalState.REVIEWED,
    ProposalState.REVISION_REQUESTED,
]
AFTER_A_DECISION = [
    ProposalState.AWARDED,
    ProposalState.DECLINED,
    ProposalState.INELIGIBLE,
    ProposalState.WITHDRAWN,
]


def a_proposal(state=ProposalState.SUBMITTED, members=1):
    users = [make_user() for _ in range(members)]
    proposal = make_proposal(make_organisation(*users), state=state)
    return proposal, users


def test_the_confirmation_page_asks_before_anything_happens(client):
    """GET shows what will happen, an optional reason and a "Withdraw" button; nothing changes."""
    proposal, [member] = a_proposal()
    login(client, member)
    response = client.get(f"/proposals/{proposal.id}/withdraw")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<button type="submit" class="danger">Withdraw</button>' in page
    assert 'name="reason"' in page and "Reason (optional)" in page
    assert proposal.state == ProposalState.SUBMITTED
    assert outbox() == []


@pytest.mark.parametrize("state", BEFORE_A_DECISION)
def test_a_member_withdraws_until_a_decision(client, state):
    """POST withdraws, records the reason in the audit trail and tells every member."""
    proposal, members = a_proposal(state, members=2)
    login(client, members[0])
    response = client.post(
        f"/proposals/{proposal.id}/withdraw", data={"reason": "Our partner left."}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}"
    assert proposal.state == ProposalState.WITHDRAWN
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "withdraw")).all()
    assert (event.from_state, event.comment, event.actor_id) == (
        state,
        "Our partner left.",
        members[0].id,
    )
    messages = outbox(event="proposal_withdrawn")
    assert sorted(m.recipient for m in messages) == sorted(m.email for m in members)


def test_the_reason_is_optional(client):
    proposal, [member] = a_proposal()
    login(client, member)
    assert client.post(f"/proposals/{proposal.id}/withdraw").status_code == 302
    assert proposal.state == ProposalState.WITHDRAWN


def test_an_overlong_reason_is_refused_and_kept(client):
    """A reason over 2,000 characters gets a 400 with the text put back; nothing changes."""
    proposal, [member] = a_proposal()
    login(client, member)
    reason = "Because " + "x" * 2000
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": reason})
    assert response.status_code == 400
    assert "Keep the reason to 2000 characters." in response.get_data(as_text=True)
    assert reason in response.get_data(as_text=True)
    assert proposal.state == ProposalState.SUBMITTED


@pytest.mark.parametrize("state", AFTER_A_DECISION)
@pytest.mark.parametrize("method", ["get", "post"])
def test_withdrawing_is_refused_after_a_decision(client, state, method):
    """Awarded, declined, ineligible or already withdrawn: 409, and nothing is sent."""
    proposal, [member] = a_proposal(state)
    login(client, member)
    response = getattr(client, method)(f"/proposals/{proposal.id}/withdraw")
    assert response.status_code == 409
    assert proposal.state == state
    assert outbox() == []


def test_the_withdraw_button_is_offered_before_a_decision_only(client):
    proposal, [member] = a_proposal(ProposalState.IN_REVIEW)
    login(client, member)
    link = f'href="/proposals/{proposal.id}/withdraw"'
    assert link in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    client.post(f"/proposals/{proposal.id}/withdraw")
    assert link not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("reviewer", 404), ("admin", 403), ("chair", 403)],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_a_member_may_withdraw(client, who, status, method):
    proposal, _ = a_proposal()
    roles = {
        "outsider": Role.APPLICANT,
        "reviewer": Role.REVIEWER,
        "admin": Role.ADMIN,
        "chair": Role.CHAIR,
    }
    user = make_user(roles[who])
    if who == "outsider":
        make_organisation(user)
    login(client, user)
    assert getattr(client, method)(f"/proposals/{proposal.id}/withdraw").status_code == status
    assert proposal.state == ProposalState.SUBMITTED


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    proposal, _ = a_proposal()
    response = client.post(f"/proposals/{proposal.id}/withdraw")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert proposal.state == ProposalState.SUBMITTED


def test_withdrawing_needs_the_csrf_token(client, csrf):
    """With CSRF protection on, a POST without the token is refused and changes nothing."""
    proposal, [member] = a_proposal()
    login(client, member)
    assert client.post(f"/proposals/{proposal.id}/withdraw").status_code == 400
    assert proposal.state == ProposalState.SUBMITTED
