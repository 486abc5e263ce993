"""Award, Decline and Request revision through the pages: quorum, envelope, conflicts, letters,
bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import (
    AuditEvent,
    Conflict,
    Decision,
    DecisionApproval,
    Grant,
    Proposal,
    ProposalState,
    Role,
)
from tests.conftest import login, make_organisation, make_user, outbox
from tests.decisions.conftest import decide, make_reviewed, make_rubric_call, review


def state_of(proposal_id: int) -> str:
    return db.session.scalar(select(Proposal.state).where(Proposal.id == proposal_id))


def decisions(proposal_id: int) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(Decision.proposal_id == proposal_id)))


def approvals(proposal_id: int) -> list[DecisionApproval]:
    return list(
        db.session.scalars(
            select(DecisionApproval)
            .where(DecisionApproval.proposal_id == proposal_id)
            .order_by(DecisionApproval.id)
        )
    )


@pytest.fixture
def member(ctx):
    return make_user(Role.APPLICANT, name="Ana Applicant")


@pytest.fixture
def proposal(member):
    call = make_rubric_call(envelope="50000")
    p = make_reviewed(call, make_organisation(member, name="Safe Childhoods"), amount="20000")
    review(
        p,
        make_user(Role.REVIEWER, name="Rita Secretname"),
        (4, 4),
        comments="Strong community links.",
        confidential="Budget looks padded.",
    )
    return p


def award(client, proposal_id, amount="20000", reasons="Strong fit."):
    return client.post(
        f"/decisions/proposals/{proposal_id}/award",
        data={"award-amount": amount, "award-reasons": reasons, "confirmed": "1"},
    )


def test_one_chair_awards_when_one_approval_is_needed(client, proposal, member):
    """The award is made, with its decision, grant and letter, in one go."""
    chair = make_user(Role.CHAIR)
    login(client, chair)
    response = award(client, proposal.id, "18000.50")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/decisions/proposals/{proposal.id}")
    assert state_of(proposal.id) == ProposalState.AWARDED
    [decision] = decisions(proposal.id)
    assert (decision.outcome, decision.amount, decision.decided_by_id) == (
        "award",
        Decimal("18000.50"),
        chair.id,
    )
    grant = db.session.scalar(select(Grant).where(Grant.proposal_id == proposal.id))
    assert grant.amount == Decimal("18000.50") and grant.decision_id == decision.id
    assert [m.recipient for m in outbox(event="decision_award")] == [member.email]
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.subject_id == proposal.id))
        == "award"
    )


def test_two_approvals_complete_an_award(client, proposal):
    """With two approvals needed the first chair's Award waits; the second's makes it."""
    proposal.call.chair_approvals_needed = 2
    db.session.commit()
    first, second = make_user(Role.CHAIR), make_user(Role.CHAIR)
    login(client, first)
    assert award(client, proposal.id).status_code == 302
    assert state_of(proposal.id) == ProposalState.REVIEWED
    assert decisions(proposal.id) == []
    assert outbox(event="decision_award") == []
    login(client, second)
    assert award(client, proposal.id).status_code == 302
    assert state_of(proposal.id) == ProposalState.AWARDED
    [decision] = decisions(proposal.id)
    assert sorted(a.chair_id for a in decision.approvals) == sorted([first.id, second.id])


def test_the_same_chair_twice_does_not_complete_an_award(client, proposal):
    proposal.call.chair_approvals_needed = 2
    db.session.commit()
    chair = make_user(Role.CHAIR)
    login(client, chair)
    assert award(client, proposal.id).status_code == 302
    assert award(client, proposal.id).status_code == 409
    assert state_of(proposal.id) == ProposalState.REVIEWED
    assert len(approvals(proposal.id)) == 1
    assert decisions(proposal.id) == []


def test_a_second_chair_naming_another_amount_restarts_the_approvals(client, proposal):
    """Chairs must agree on one amount: a different amount replaces the pending approval."""
    proposal.call.chair_approvals_needed = 2
    db.session.commit()
    first, second = make_user(Role.CHAIR), make_user(Role.CHAIR)
    login(client, first)
    award(client, proposal.id, "20000")
    login(client, second)
    award(client, proposal.id, "15000")
    assert state_of(proposal.id) == ProposalState.REVIEWED
    rows = approvals(proposal.id)
    assert [(a.chair_id, a.amount, a.cancelled_at is None) for a in rows] == [
        (first.id, Decimal("20000"), False),
        (second.id, Decimal("15000"), True),
    ]
    login(client, first)
    award(client, proposal.id, "15000")
    assert state_of(proposal.id) == ProposalState.AWARDED
    assert decisions(proposal.id)[0].amount == Decimal("15000")


@pytest.mark.parametrize(
    ("path", "target"),
    [("decline", ProposalState.DECLINED), ("request-revision", ProposalState.REVISION_REQUESTED)],
)
def test_a_decline_or_revision_request_cancels_pending_approvals(client, proposal, path, target):
    proposal.call.chair_approvals_needed = 2
    db.session.commit()
    first, second = make_user(Role.CHAIR), make_user(Role.CHAIR)
    login(client, first)
    award(client, proposal.id)
    login(client, second)
    response = decide(client, proposal.id, path, reasons="Not aligned with the call.")
    assert response.status_code == 302
    assert state_of(proposal.id) == target
    assert all(a.cancelled_at is not None for a in approvals(proposal.id))
    [decision] = decisions(proposal.id)
    assert decision.reasons == "Not aligned with the call."
    assert db.session.scalar(select(Grant.id)) is None


def test_an_award_above_the_envelope_left_is_refused(client, member):
    """Envelope 50,000 with 40,000 awarded: 15,000 more is refused, 10,000 is not."""
    call = make_rubric_call(envelope="50000")
    done = make_reviewed(call, amount="40000")
    waiting = make_reviewed(call, amount="20000")
    login(client, make_user(Role.CHAIR))
    assert award(client, done.id, "40000").status_code == 302
    response = award(client, waiting.id, "15000")
    assert response.status_code == 400
    assert "10,000.00" in response.get_data(as_text=True)
    assert state_of(waiting.id) == ProposalState.REVIEWED
    assert approvals(waiting.id) == []
    assert award(client, waiting.id, "10000").status_code == 302
    assert state_of(waiting.id) == ProposalState.AWARDED


def test_an_award_above_the_amount_requested_is_refused(client, proposal):
    login(client, make_user(Role.CHAIR))
    assert award(client, proposal.id, "20000.01").status_code == 400
    assert state_of(proposal.id) == ProposalState.REVIEWED


@pytest.mark.parametrize(
    "data",
    [
        {"award-amount": ""},
        {"award-amount": "abc"},
        {"award-amount": "-5"},
        {"award-amount": "0"},
        {"award-amount": "1e400"},
        {"award-amount": "100", "award-reasons": "x" * 5001},
        {"award-amount": "100", "award-reasons": "bad\x00byte"},
    ],
)
def test_bad_award_input_is_a_400_and_changes_nothing(client, proposal, data):
    login(client, make_user(Role.CHAIR))
    response = client.post(f"/decisions/proposals/{proposal.id}/award", data=data)
    assert response.status_code == 400
    assert state_of(proposal.id) == ProposalState.REVIEWED
    assert approvals(proposal.id) == []


@pytest.mark.parametrize("path", ["decline", "request-revision"])
@pytest.mark.parametrize("reasons", ["", "   ", "x" * 5001])
def test_decline_and_revision_need_reasons(client, proposal, path, reasons):
    login(client, make_user(Role.CHAIR))
    response = decide(client, proposal.id, path, reasons=reasons)
    assert response.status_code == 400
    assert state_of(proposal.id) == ProposalState.REVIEWED
    assert decisions(proposal.id) == []


@pytest.mark.parametrize("path", ["award", "decline", "request-revision"])
def test_a_chair_with_a_declared_conflict_cannot_decide(client, proposal, path):
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(
            user_id=chair.id, organisation_id=proposal.organisation_id, reason="Former employee"
        )
    )
    db.session.commit()
    login(client, chair)
    assert client.get(f"/decisions/proposals/{proposal.id}").status_code == 403
    response = decide(client, proposal.id, path, amount="1000", reasons="Because.")
    assert response.status_code == 403
    assert state_of(proposal.id) == ProposalState.REVIEWED
    assert approvals(proposal.id) == [] and decisions(proposal.id) == []


@pytest.mark.parametrize(
    "state",
    [
        ProposalState.IN_REVIEW,
        ProposalState.AWARDED,
        ProposalState.DECLINED,
        ProposalState.WITHDRAWN,
    ],
)
def test_a_proposal_not_waiting_for_a_decision_cannot_be_decided(client, state):
    proposal = make_reviewed(make_rubric_call(), state=state)
    login(client, make_user(Role.CHAIR))
    assert client.get(f"/decisions/proposals/{proposal.id}").status_code == 200
    assert award(client, proposal.id, "100").status_code == 409
    assert state_of(proposal.id) == state


def test_a_decided_proposal_gets_no_second_decision(client, proposal):
    login(client, make_user(Role.CHAIR))
    decide(client, proposal.id, "decline", reasons="No.")
    login(client, make_user(Role.CHAIR))
    assert award(client, proposal.id).status_code == 409
    assert len(decisions(proposal.id)) == 1


def test_missing_proposal_and_draft_give_404(client, ctx):
    login(client, make_user(Role.CHAIR))
    assert client.get("/decisions/proposals/999999").status_code == 404
    draft = make_reviewed(make_rubric_call(), state=ProposalState.DRAFT)
    assert client.get(f"/decisions/proposals/{draft.id}").status_code == 404
    assert client.get("/decisions/calls/999999").status_code == 404


def test_the_decision_page_shows_reviews_and_names_unless_the_call_hides_them(client, proposal):
    chair = make_user(Role.CHAIR)
    login(client, chair)
    html = client.get(f"/decisions/proposals/{proposal.id}").get_data(as_text=True)
    for text in (
        "Rita Secretname",
        "Budget looks padded.",
        "Strong community links.",
        "Award",
        "Decline",
        "Request revision",
        "20,000.00",
    ):
        assert text in html
    proposal.call.hide_reviewer_names = True
    db.session.commit()
    html = client.get(f"/decisions/proposals/{proposal.id}").get_data(as_text=True)
    assert "Rita Secretname" not in html
    assert "Reviewer 1" in html


def test_the_csrf_token_is_required(client, proposal, csrf):
    login(client, make_user(Role.CHAIR))
    assert award(client, proposal.id).status_code == 400
    assert state_of(proposal.id) == ProposalState.REVIEWED


def test_the_three_forms_have_distinct_field_ids(client, proposal):
    """Each label leads to its own field (the three forms once shared id="reasons")."""
    login(client, make_user(Role.CHAIR))
    html = client.get(f"/decisions/proposals/{proposal.id}").get_data(as_text=True)
    for field_id in ("award-amount", "award-reasons", "decline-reasons", "revision-reasons"):
        assert html.count(f'id="{field_id}"') == 1
    assert 'id="reasons"' not in html
