"""Resubmitting after a revision request: a new version, and the same reviewers asked again."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import AuditEvent, ProposalVersion, Review, Role
from fund.models.base import utcnow
from fund.rules.proposal_content import snapshot
from tests.conftest import login, make_user, outbox
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups
from tests.reviews.conftest import assign


@pytest.fixture
def revised(ctx):
    """A proposal whose chairs asked for a revision after one round of two reviews."""
    load_income_groups()
    proposal = complete_proposal()
    proposal.state = "revision_requested"  # set up directly; the workflow is tested elsewhere
    proposal.reference = "INS-2027-0007"
    proposal.versions.append(ProposalVersion(number=1, content=snapshot(proposal)))
    db.session.commit()
    for _ in range(2):  # a finished first round, written directly
        review = assign(proposal, make_user(Role.REVIEWER))
        review.recommendation = "fund_with_changes"
        review.submitted_at = utcnow()
    db.session.commit()
    return proposal


def test_resubmit_makes_version_two_and_a_new_round(client, revised):
    """The revised proposal goes back to review as version 2, with its reviewers asked again."""
    member = a_member(revised)
    login(client, member)
    response = client.post(f"/proposals/{revised.id}/resubmit", data={"declaration": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{revised.id}")
    db.session.refresh(revised)
    assert revised.state == "in_review"
    assert [v.number for v in revised.versions] == [1, 2]
    rounds = db.session.scalars(db.select(Review.round).where(Review.proposal_id == revised.id))
    assert sorted(rounds) == [1, 1, 2, 2]
    assert len(outbox("review_new_round")) == 2
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "resubmit", AuditEvent.subject_id == revised.id)
        )
        == 1
    )


def test_resubmit_refuses_an_incomplete_revision_and_keeps_the_draft(client, revised):
    """An emptied summary is named as the problem; nothing changes."""
    revised.summary = ""
    db.session.commit()
    login(client, a_member(revised))
    response = client.post(f"/proposals/{revised.id}/resubmit", data={"declaration": "y"})
    assert response.status_code == 400
    assert "Summary" in response.text
    db.session.refresh(revised)
    assert revised.state == "revision_requested"
    assert len(revised.versions) == 1


def test_resubmit_works_after_the_call_has_closed(client, revised):
    """A revision is asked for after the deadline, so the deadline does not apply to it."""
    from datetime import timedelta

    revised.call.closes_at = utcnow() - timedelta(days=1)
    revised.call.opens_at = utcnow() - timedelta(days=30)
    db.session.commit()
    login(client, a_member(revised))
    assert (
        client.post(f"/proposals/{revised.id}/resubmit", data={"declaration": "y"}).status_code
        == 302
    )


@pytest.mark.parametrize("who", ["other_member", "reviewer", "chair", "admin"])
def test_only_the_organisation_can_resubmit(client, revised, who):
    """Others get 404 (they cannot see it) or 403 (they can see it but may not act)."""
    users = {
        "other_member": lambda: make_user(Role.APPLICANT),
        "reviewer": lambda: make_user(Role.REVIEWER),
        "chair": lambda: make_user(Role.CHAIR),
        "admin": lambda: make_user(Role.ADMIN),
    }
    login(client, users[who]())
    response = client.post(f"/proposals/{revised.id}/resubmit", data={"declaration": "y"})
    assert response.status_code in (403, 404)
    db.session.refresh(revised)
    assert revised.state == "revision_requested"


def test_anonymous_resubmit_goes_to_login(client, revised):
    response = client.post(f"/proposals/{revised.id}/resubmit", data={"declaration": "y"})
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_resubmit_twice_is_refused_with_409(client, revised):
    """A double click on a slow network does not make a third version."""
    login(client, a_member(revised))
    client.post(f"/proposals/{revised.id}/resubmit", data={"declaration": "y"})
    response = client.post(f"/proposals/{revised.id}/resubmit", data={"declaration": "y"})
    assert response.status_code == 409
    db.session.refresh(revised)
    assert len(revised.versions) == 2
