"""Closing the review: the last required review moves the proposal to `reviewed`, once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import AuditEvent, Conflict, Proposal, Review, ReviewStatus, Role, User
from fund.models.base import utcnow
from fund.reviews import assignment, services
from tests.conftest import login, make_user, outbox
from tests.reviews.conftest import (
    assign,
    make_in_review,
    make_rubric_call,
    review_form,
    submit_directly,
)


def _completions(proposal_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.subject_type == "proposal",
            AuditEvent.subject_id == proposal_id,
            AuditEvent.action == "complete_review",
        )
    )


def test_the_last_submitted_review_moves_the_proposal_and_tells_the_chairs(client, ctx):
    """First submission: still in review. Second: `reviewed`, by the system, chairs e-mailed."""
    chairs = [make_user(Role.CHAIR) for _ in range(2)]
    call = make_rubric_call(reviewers=2)
    proposal = make_in_review(call)
    first, second = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    reviews = [assign(proposal, first), assign(proposal, second)]
    login(client, first)
    client.post(f"/reviews/{reviews[0].id}", data=review_form(call, action="submit"))
    assert proposal.state == "in_review" and outbox(event="reviews_complete") == []
    login(client, second)
    client.post(f"/reviews/{reviews[1].id}", data=review_form(call, action="submit"))
    assert proposal.state == "reviewed"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "complete_review"))
    assert event.actor_id is None and event.from_state == "in_review"
    assert sorted(m.recipient for m in outbox(event="reviews_complete")) == sorted(
        c.email for c in chairs
    )


def test_a_conflicted_chair_is_not_told(ctx):
    chair, conflicted = make_user(Role.CHAIR), make_user(Role.CHAIR)
    proposal = make_in_review(make_rubric_call(reviewers=1))
    db.session.add(
        Conflict(user_id=conflicted.id, organisation_id=proposal.organisation_id, reason="Board")
    )
    db.session.commit()
    submit_directly(assign(proposal, make_user(Role.REVIEWER)))
    assert [m.recipient for m in outbox(event="reviews_complete")] == [chair.email]


def test_removed_and_conflicted_assignments_do_not_hold_the_review_open(ctx):
    """Only non-removed, non-conflicted reviews of the current round are required."""
    admin = make_user(Role.ADMIN)
    proposal = make_in_review(make_rubric_call(reviewers=3))
    done = assign(proposal, make_user(Role.REVIEWER))
    conflicted = assign(proposal, make_user(Role.REVIEWER))
    pending = assign(proposal, make_user(Role.REVIEWER))
    conflicted.conflict_declared_at = utcnow()
    db.session.commit()
    submit_directly(done)
    assert proposal.state == "in_review"
    assignment.remove_reviewer(pending, admin)
    db.session.commit()
    assert proposal.state == "reviewed" and _completions(proposal.id) == 1


def test_a_proposal_without_reviewers_is_not_closed_by_removing_the_last_one(ctx):
    admin = make_user(Role.ADMIN)
    proposal = make_in_review(make_rubric_call(reviewers=1))
    assignment.remove_reviewer(assign(proposal, make_user(Role.REVIEWER)), admin)
    db.session.commit()
    assert proposal.state == "in_review"


def test_a_submission_after_the_move_does_not_move_it_again(ctx):
    """The completion check is idempotent: asking again changes nothing."""
    proposal = make_in_review(make_rubric_call(reviewers=1))
    submit_directly(assign(proposal, make_user(Role.REVIEWER)))
    assert services.complete_if_all_submitted(proposal) is False
    db.session.commit()
    assert _completions(proposal.id) == 1


def _submit(app, review_id: int, barrier: threading.Barrier, results: dict) -> None:
    """One reviewer submitting, in its own app context (its own session and connection)."""
    with app.app_context():
        try:
            review = db.session.get(Review, review_id)
            reviewer = db.session.get(User, review.reviewer_id)
            criteria = review.proposal.call.criteria
            barrier.wait(timeout=10)
            services.save_review(
                review,
                {"scores": {c.id: 4 for c in criteria}, "recommendation": "fund"},
                reviewer,
                submit=True,
            )
            db.session.commit()
            results[review_id] = "ok"
        except Exception as error:  # reported by the test
            db.session.rollback()
            results[review_id] = error
        finally:
            db.session.remove()


@pytest.mark.parametrize("attempt", range(3))
def test_two_reviewers_submitting_at_the_same_moment_move_it_exactly_once(
    app, postgresql_only, attempt
):
    """Both submissions succeed; the proposal is `reviewed` with one audit row, chairs told once."""
    with app.app_context():
        chair = make_user(Role.CHAIR)
        proposal = make_in_review(make_rubric_call(reviewers=2))
        ids = [assign(proposal, make_user(Role.REVIEWER)).id for _ in range(2)]
        proposal_id, chair_email = proposal.id, chair.email
        db.session.remove()
    barrier = threading.Barrier(2)
    results: dict = {}
    threads = [threading.Thread(target=_submit, args=(app, i, barrier, results)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert results == {ids[0]: "ok", ids[1]: "ok"}, results
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).state == "reviewed"
        assert _completions(proposal_id) == 1
        assert [m.recipient for m in outbox(event="reviews_complete")] == [chair_email]
        statuses = {db.session.get(Review, i).status for i in ids}
        assert statuses == {ReviewStatus.SUBMITTED}
        db.session.remove()
