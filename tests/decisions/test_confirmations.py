"""Award, Decline and Request revision ask for confirmation first: the first POST changes
nothing and says what will happen with the real figures; only the confirmed POST acts, once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Decision, DecisionApproval, Grant, Proposal, ProposalState, Role
from tests.conftest import login, make_organisation, make_user, outbox
from tests.decisions.conftest import decide, make_reviewed, make_rubric_call, review


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def state_of(proposal_id: int) -> str:
    return db.session.scalar(select(Proposal.state).where(Proposal.id == proposal_id))


def nothing_happened(proposal_id: int) -> bool:
    return (
        state_of(proposal_id) == ProposalState.REVIEWED
        and count(Decision) == count(DecisionApproval) == count(Grant) == 0
        and outbox() == []
    )


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


@pytest.fixture
def proposal(ctx):
    """20,000 USD asked of a 50,000 USD envelope by Safe Childhoods (two members)."""
    members = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    organisation = make_organisation(*members, name="Safe Childhoods")
    call = make_rubric_call(envelope="50000")
    p = make_reviewed(call, organisation, amount="20000", title="Safe schools")
    review(p, make_user(Role.REVIEWER), (4, 4))
    return p


@pytest.fixture
def chair(client, ctx):
    user = make_user(Role.CHAIR)
    login(client, user)
    return user


def test_the_first_award_post_changes_nothing_and_says_what_will_happen(client, proposal, chair):
    response = decide(client, proposal.id, "award", confirmed=False, amount="18000", reasons="Fit.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Award $18,000.00 to Safe Childhoods?" in html
    assert "Safe schools is awarded $18,000.00 and its grant is created" in html
    assert "The decision letter is e-mailed to 2 people of Safe Childhoods." in html
    assert "$32,000.00 of the envelope will be left once the award is made." in html
    fields = hidden_fields(html)
    assert fields["award-amount"] == "18000" and fields["award-reasons"] == "Fit."
    assert fields["confirmed"] == "1"
    assert f'href="/decisions/proposals/{proposal.id}#decide"' in html  # Cancel
    assert nothing_happened(proposal.id)


def test_the_confirmed_award_acts_once(client, proposal, chair):
    assert decide(client, proposal.id, "award", amount="18000").status_code == 302
    assert decide(client, proposal.id, "award", amount="18000").status_code == 409
    assert state_of(proposal.id) == ProposalState.AWARDED
    assert (count(Decision), count(Grant)) == (1, 1)
    assert len(outbox(event="decision_award")) == 2  # one letter to each member


@pytest.mark.parametrize(
    ("path", "question", "outcome", "state"),
    [
        (
            "decline",
            "Decline Safe schools from Safe Childhoods?",
            "The proposal is declined; this cannot be undone.",
            ProposalState.DECLINED,
        ),
        (
            "request-revision",
            "Ask Safe Childhoods to revise Safe schools?",
            "The proposal goes back to the applicant",
            ProposalState.REVISION_REQUESTED,
        ),
    ],
)
def test_decline_and_revision_are_confirmed_first_then_made_once(
    client, proposal, chair, path, question, outcome, state
):
    first = decide(client, proposal.id, path, confirmed=False, reasons="Not this time.")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert question in html and outcome in html
    assert "The decision letter is e-mailed to 2 people of Safe Childhoods." in html
    assert hidden_fields(html)["confirmed"] == "1"
    assert nothing_happened(proposal.id)
    assert decide(client, proposal.id, path, reasons="Not this time.").status_code == 302
    assert decide(client, proposal.id, path, reasons="Not this time.").status_code == 409
    assert state_of(proposal.id) == state and count(Decision) == 1


@pytest.mark.parametrize("path", ["award", "decline", "request-revision"])
def test_a_proposal_flagged_for_disagreement_is_warned_about(client, ctx, path):
    call = make_rubric_call(envelope="50000", threshold="15")
    disputed = make_reviewed(call, amount="20000")
    review(disputed, make_user(Role.REVIEWER), (5, 5))
    review(disputed, make_user(Role.REVIEWER), (1, 1))
    login(client, make_user(Role.CHAIR))
    response = decide(
        client, disputed.id, path, confirmed=False, amount="20000", reasons="Reasons."
    )
    assert response.status_code == 200
    assert "Warning:" in response.text and "The reviewers disagree" in response.text
    assert nothing_happened(disputed.id)


def test_an_agreed_proposal_has_no_warning(client, proposal, chair):
    response = decide(client, proposal.id, "award", confirmed=False, amount="20000")
    assert "Warning:" not in response.text


def test_an_award_over_the_envelope_is_warned_about_and_cannot_be_confirmed(client, ctx):
    """Envelope 50,000 with 40,000 awarded: 15,000 more is 5,000 over; nothing to confirm."""
    call = make_rubric_call(envelope="50000")
    done = make_reviewed(call, amount="40000")
    waiting = make_reviewed(call, amount="20000")
    login(client, make_user(Role.CHAIR))
    assert decide(client, done.id, "award", amount="40000").status_code == 302
    response = decide(client, waiting.id, "award", confirmed=False, amount="15000")
    assert response.status_code == 400
    assert "The award is over the envelope: only $10,000.00 is left, $5,000.00 less" in (
        response.text
    )
    assert 'name="confirmed"' not in response.text
    assert state_of(waiting.id) == ProposalState.REVIEWED


def test_with_two_chairs_needed_the_step_says_the_approval_waits(client, proposal, chair):
    proposal.call.chair_approvals_needed = 2
    db.session.commit()
    response = decide(client, proposal.id, "award", confirmed=False, amount="20000")
    assert "Your approval is recorded (1 of the 2 needed)." in response.text
    assert "decision letter" not in response.text
    assert count(DecisionApproval) == 0


def test_a_chair_who_approved_already_is_told_so_at_the_first_step(client, proposal, chair):
    proposal.call.chair_approvals_needed = 2
    db.session.commit()
    assert decide(client, proposal.id, "award", amount="20000").status_code == 302
    response = decide(client, proposal.id, "award", confirmed=False, amount="20000")
    assert response.status_code == 409
    assert "You have already approved this award" in response.text
    assert count(DecisionApproval) == 1
