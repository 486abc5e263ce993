"""Assigning reviewers by hand and automatically: numbers, balance, exclusions, small pools,
and the audit trail and e-mail of every change."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import AuditEvent, Conflict, Review, ReviewStatus, Role
from fund.models.base import utcnow
from fund.reviews import assignment
from fund.reviews.services import ReviewError
from tests.conftest import login, make_organisation, make_user, outbox
from tests.reviews.conftest import assign, make_in_review, make_rubric_call

DUE = (utcnow() + timedelta(days=14)).date()


def _open_loads() -> Counter:
    return Counter(
        db.session.scalars(
            select(Review.reviewer_id).where(
                Review.removed_at.is_(None),
                Review.conflict_declared_at.is_(None),
                Review.submitted_at.is_(None),
            )
        )
    )


@pytest.mark.parametrize(
    ("reviewers", "per_proposal", "proposals"), [(5, 3, 7), (4, 2, 5), (3, 3, 2), (6, 1, 13)]
)
def test_each_proposal_gets_the_calls_number_and_loads_stay_within_one(
    ctx, reviewers, per_proposal, proposals
):
    """Every proposal gets `reviewers_per_proposal` distinct reviewers; max-min load <= 1."""
    admin = make_user(Role.ADMIN)
    pool = [make_user(Role.REVIEWER) for _ in range(reviewers)]
    call = make_rubric_call(reviewers=per_proposal)
    items = [make_in_review(call) for _ in range(proposals)]
    added = assignment.auto_assign(items, DUE, admin)
    db.session.commit()
    assert added == per_proposal * proposals
    for proposal in items:
        chosen = db.session.scalars(
            select(Review.reviewer_id).where(Review.proposal_id == proposal.id)
        ).all()
        assert len(chosen) == len(set(chosen)) == per_proposal
    loads = _open_loads()
    counts = [loads.get(user.id, 0) for user in pool]
    assert max(counts) - min(counts) <= 1


def test_existing_open_assignments_count_towards_the_load(ctx):
    """A reviewer already carrying work gets fewer new assignments."""
    admin = make_user(Role.ADMIN)
    busy, free_a, free_b = (make_user(Role.REVIEWER) for _ in range(3))
    other_call = make_rubric_call(title="Old call")
    for _ in range(2):
        assign(make_in_review(other_call), busy)
    call = make_rubric_call(reviewers=1)
    items = [make_in_review(call) for _ in range(4)]
    assignment.auto_assign(items, DUE, admin)
    db.session.commit()
    loads = _open_loads()
    assert [loads[busy.id], loads[free_a.id], loads[free_b.id]] == [2, 2, 2]


def test_members_and_conflicted_reviewers_are_never_picked(ctx):
    """Members of the applicant organisation and people with a conflict are excluded."""
    admin = make_user(Role.ADMIN)
    member = make_user(Role.REVIEWER, Role.APPLICANT)
    conflicted = make_user(Role.REVIEWER)
    others = [make_user(Role.REVIEWER) for _ in range(2)]
    organisation = make_organisation(member)
    db.session.add(
        Conflict(user_id=conflicted.id, organisation_id=organisation.id, reason="Former staff")
    )
    db.session.commit()
    call = make_rubric_call(reviewers=2)
    proposal = make_in_review(call, organisation)
    assignment.auto_assign([proposal], DUE, admin)
    db.session.commit()
    chosen = set(db.session.scalars(select(Review.reviewer_id)))
    assert chosen == {u.id for u in others}


def test_a_pool_too_small_is_refused_with_a_clear_message_and_assigns_nobody(ctx):
    """Two eligible reviewers for a call wanting three: ReviewError naming the proposal."""
    admin = make_user(Role.ADMIN)
    for _ in range(2):
        make_user(Role.REVIEWER)
    call = make_rubric_call(reviewers=3)
    proposal = make_in_review(call)
    with pytest.raises(ReviewError) as refused:
        assignment.auto_assign([proposal], DUE, admin)
    assert "too small" in refused.value.message
    assert proposal.reference in refused.value.message
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_the_call_page_reports_a_small_pool_and_assigns_nothing(client, ctx):
    """Through the page: a flash explains it, the list is shown again, nobody is assigned."""
    admin = make_user(Role.ADMIN)
    make_user(Role.REVIEWER)
    call = make_rubric_call(reviewers=2)
    make_in_review(call)
    login(client, admin)
    response = client.post(
        f"/screening/calls/{call.id}/auto-assign",
        data={"due_on": DUE.isoformat()},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert b"The reviewer pool is too small" in response.data
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_auto_assign_for_a_call_fills_only_proposals_in_review_and_tells_reviewers(client, ctx):
    """Whole call: submitted ones are left alone; every reviewer chosen gets an e-mail."""
    admin = make_user(Role.ADMIN)
    pool = [make_user(Role.REVIEWER) for _ in range(3)]
    call = make_rubric_call(reviewers=2)
    in_review = [make_in_review(call) for _ in range(3)]
    waiting = make_in_review(call, state="submitted")
    login(client, admin)
    response = client.post(
        f"/screening/calls/{call.id}/auto-assign", data={"due_on": DUE.isoformat()}
    )
    assert response.status_code == 302
    rows = db.session.scalars(select(Review)).all()
    assert len(rows) == 6 and {r.proposal_id for r in rows} == {p.id for p in in_review}
    assert waiting.id not in {r.proposal_id for r in rows}
    assert len(outbox(event="review_assigned")) == 6
    assert {m.recipient for m in outbox(event="review_assigned")} <= {u.email for u in pool}
    assert all(r.due_on == DUE for r in rows)


def test_auto_assign_tops_up_a_proposal_that_already_has_reviewers(client, ctx):
    """A proposal with one reviewer of two gets one more, not two."""
    admin = make_user(Role.ADMIN)
    first, _second, _third = (make_user(Role.REVIEWER) for _ in range(3))
    proposal = make_in_review(make_rubric_call(reviewers=2))
    assign(proposal, first)
    login(client, admin)
    client.post(f"/screening/proposals/{proposal.id}/auto-assign", data={"due_on": DUE.isoformat()})
    assert db.session.scalar(select(func.count()).select_from(Review)) == 2


def _audit_actions(review_id: int) -> list[str]:
    return db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.subject_type == "review", AuditEvent.subject_id == review_id)
        .order_by(AuditEvent.id)
    ).all()


def test_add_remove_and_reassign_are_audited_and_mailed(client, ctx):
    """Each change leaves an audit row and tells the reviewer concerned."""
    admin = make_user(Role.ADMIN)
    first, second = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    proposal = make_in_review(make_rubric_call(reviewers=1))
    login(client, admin)
    response = client.post(
        f"/screening/proposals/{proposal.id}/assignments",
        data={"reviewer_id": first.id, "due_on": DUE.isoformat(), "back": "assignments"},
    )
    assert response.headers["Location"] == f"/screening/proposals/{proposal.id}/assignments"
    review = db.session.scalar(select(Review))
    assert _audit_actions(review.id) == ["assign"]
    assert [m.recipient for m in outbox(event="review_assigned")] == [first.email]

    response = client.post(
        f"/screening/assignments/{review.id}/reassign",
        data={"reviewer_id": second.id, "due_on": DUE.isoformat()},
    )
    assert response.status_code == 302
    assert review.status is ReviewStatus.REMOVED
    assert _audit_actions(review.id) == ["assign", "remove"]
    new = db.session.scalar(select(Review).where(Review.reviewer_id == second.id))
    assert _audit_actions(new.id) == ["assign"]
    assert [m.recipient for m in outbox(event="review_removed")] == [first.email]

    client.post(f"/screening/assignments/{new.id}/remove", data={"confirmed": "1"})
    assert new.status is ReviewStatus.REMOVED
    assert [m.recipient for m in outbox(event="review_removed")] == [first.email, second.email]
    # the removed reviewer can come back in the same round
    client.post(
        f"/screening/proposals/{proposal.id}/assignments",
        data={"reviewer_id": first.id, "due_on": DUE.isoformat()},
    )
    assert review.status is ReviewStatus.TO_START
    assert _audit_actions(review.id) == ["assign", "remove", "assign"]


@pytest.mark.parametrize("state", ["submitted", "reviewed", "awarded"])
def test_reviewers_cannot_be_changed_once_the_review_is_closed(client, ctx, state):
    """Outside `in_review` adding is refused with 409 and a reason."""
    admin = make_user(Role.ADMIN)
    reviewer = make_user(Role.REVIEWER)
    proposal = make_in_review(make_rubric_call(), state=state)
    login(client, admin)
    response = client.post(
        f"/screening/proposals/{proposal.id}/assignments",
        data={"reviewer_id": reviewer.id, "due_on": DUE.isoformat()},
    )
    assert response.status_code == 409
    assert b"only while the proposal is in review" in response.data
    assert db.session.scalar(select(Review)) is None


def test_a_submitted_review_cannot_be_removed(client, ctx):
    admin = make_user(Role.ADMIN)
    proposal = make_in_review(make_rubric_call(reviewers=2))
    review = assign(proposal, make_user(Role.REVIEWER))
    review.recommendation = "fund"
    review.submitted_at = utcnow()
    db.session.commit()
    login(client, admin)
    assert client.post(f"/screening/assignments/{review.id}/remove").status_code == 409
    assert review.status is ReviewStatus.SUBMITTED


@pytest.mark.parametrize("due_on", ["", "yesterday", "2001-01-01", "2027-02-30"])
def test_bad_due_dates_are_refused(client, ctx, due_on):
    """Missing, malformed, impossible or past due dates get a 4xx and no assignment."""
    admin = make_user(Role.ADMIN)
    reviewer = make_user(Role.REVIEWER)
    proposal = make_in_review(make_rubric_call())
    login(client, admin)
    response = client.post(
        f"/screening/proposals/{proposal.id}/assignments",
        data={"reviewer_id": reviewer.id, "due_on": due_on},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(Review)) is None


@pytest.mark.parametrize("reviewer_id", ["", "abc", "999999"])
def test_bad_reviewer_ids_are_refused(client, ctx, reviewer_id):
    admin = make_user(Role.ADMIN)
    proposal = make_in_review(make_rubric_call())
    login(client, admin)
    response = client.post(
        f"/screening/proposals/{proposal.id}/assignments",
        data={"reviewer_id": reviewer_id, "due_on": DUE.isoformat()},
    )
    assert response.status_code == 400


def test_someone_without_the_reviewer_role_cannot_be_assigned(client, ctx):
    admin = make_user(Role.ADMIN)
    applicant = make_user(Role.APPLICANT)
    proposal = make_in_review(make_rubric_call())
    login(client, admin)
    response = client.post(
        f"/screening/proposals/{proposal.id}/assignments",
        data={"reviewer_id": applicant.id, "due_on": DUE.isoformat()},
    )
    assert response.status_code == 400
    assert b"is not an active reviewer" in response.data
