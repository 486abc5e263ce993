"""Screen in, Screen out and removing a reviewer ask for confirmation first: the first POST
changes nothing and says what will happen; only the confirmed POST acts, once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import AuditEvent, ReviewStatus, Role
from fund.models.base import utcnow
from tests.conftest import login, make_organisation, make_user, outbox
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


@pytest.fixture
def admin(client, ctx):
    user = make_user(Role.ADMIN)
    login(client, user)
    return user


@pytest.fixture
def submitted(ctx):
    """A submitted proposal of Safe Childhoods (two members) in a call asking for 3 reviewers."""
    organisation = make_organisation(
        make_user(Role.APPLICANT), make_user(Role.APPLICANT), name="Safe Childhoods"
    )
    return make_in_review(
        make_rubric_call(reviewers=3), organisation, state="submitted", title="Safe schools"
    )


def test_screen_in_is_confirmed_first_then_done_once(client, admin, submitted):
    url = f"/screening/proposals/{submitted.id}/screen-in"
    first = client.post(url)
    assert first.status_code == 200
    assert "Screen in Safe schools from Safe Childhoods?" in first.text
    assert "Next, assign its reviewers (the call asks for 3)." in first.text
    assert '<input type="hidden" name="confirmed" value="1">' in first.text
    assert f'href="/screening/calls/{submitted.call_id}"' in first.text  # Cancel
    assert submitted.state == "submitted" and audit_count() == 0
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    assert client.post(url, data={"confirmed": "1"}).status_code == 409
    assert submitted.state == "in_review" and audit_count() == 1


def test_screen_out_is_confirmed_first_then_done_once(client, admin, submitted):
    url = f"/screening/proposals/{submitted.id}/screen-out"
    reason = "Registered in a high-income country."
    first = client.post(url, data={"reason": reason})
    assert first.status_code == 200
    assert "Screen out Safe schools from Safe Childhoods?" in first.text
    assert "Your reason is e-mailed to 2 people of Safe Childhoods." in first.text
    assert f'name="reason" value="{reason}"' in first.text
    assert submitted.state == "submitted" and outbox() == []
    assert client.post(url, data={"reason": reason, "confirmed": "1"}).status_code == 302
    assert client.post(url, data={"reason": reason, "confirmed": "1"}).status_code == 409
    assert submitted.state == "ineligible"
    assert len(outbox(event="proposal_screened_out")) == 2


def test_screen_out_without_a_reason_is_still_a_400_at_either_step(client, admin, submitted):
    url = f"/screening/proposals/{submitted.id}/screen-out"
    for data in ({"reason": " "}, {"reason": " ", "confirmed": "1"}):
        response = client.post(url, data=data)
        assert response.status_code == 400 and "confirmed" not in response.text
    assert submitted.state == "submitted"


def test_removing_a_reviewer_is_confirmed_first_then_done_once(client, admin):
    proposal = make_in_review(make_rubric_call(reviewers=2), title="Safe schools")
    ruth = assign(proposal, make_user(Role.REVIEWER, name="Ruth Reviewer"))
    url = f"/screening/assignments/{ruth.id}/remove"
    first = client.post(url, data={"back": "assignments"})
    assert first.status_code == 200
    assert "Remove Ruth Reviewer from the review of Safe schools?" in first.text
    assert "Ruth Reviewer is told by e-mail" in first.text
    assert "0 of the 2 reviewers the call asks for will be left." in first.text
    assert 'name="back" value="assignments"' in first.text
    assert ruth.status is ReviewStatus.IN_PROGRESS and outbox() == []
    done = client.post(url, data={"back": "assignments", "confirmed": "1"})
    assert done.headers["Location"] == f"/screening/proposals/{proposal.id}/assignments"
    assert ruth.status is ReviewStatus.REMOVED
    assert client.post(url, data={"confirmed": "1"}).status_code == 409
    assert len(outbox(event="review_removed")) == 1


def test_the_step_says_when_removing_a_reviewer_ends_the_review(client, admin):
    proposal = make_in_review(make_rubric_call(reviewers=2))
    done = assign(proposal, make_user(Role.REVIEWER))
    done.recommendation, done.submitted_at = "fund", utcnow()
    late = assign(proposal, make_user(Role.REVIEWER))
    db.session.commit()
    response = client.post(f"/screening/assignments/{late.id}/remove")
    assert "1 of the 2 reviewers the call asks for will be left." in response.text
    assert "The other reviews are all in: the review ends and the chairs are told." in (
        response.text
    )
    assert proposal.state == "in_review"


def test_a_submitted_review_cannot_be_removed_and_the_step_says_why(client, admin):
    proposal = make_in_review(make_rubric_call(reviewers=2))
    review = assign(proposal, make_user(Role.REVIEWER))
    review.recommendation, review.submitted_at = "fund", utcnow()
    db.session.commit()
    response = client.post(f"/screening/assignments/{review.id}/remove")
    assert response.status_code == 409
    assert "A submitted review cannot be removed." in response.text
    assert 'name="confirmed"' not in response.text
