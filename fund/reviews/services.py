"""Writes for reviews: saving and submitting reviews, closing the review, new rounds.

Services flush but never commit; every change of an assignment leaves an audit row (subject
"review") and tells the person concerned by e-mail.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from fund import clock, notifications, permissions, workflow
from fund.extensions import db
from fund.models import (
    AuditEvent,
    Conflict,
    CriterionScore,
    Membership,
    Proposal,
    ProposalState,
    Recommendation,
    Review,
    Role,
    User,
)

NEW_ROUND_DAYS = 21  # time given for a new round after a resubmission


class ReviewError(Exception):
    """A review action that cannot be done; the message says why. `status` is the HTTP one."""

    def __init__(self, message: str, status: int = 400, fields: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.fields = fields or {}


# --- helpers ----------------------------------------------------------------------------------


def reference(proposal: Proposal) -> str:
    return proposal.reference or f"#{proposal.id}"


def current_round(proposal: Proposal) -> int:
    """The review round under way: the highest round with an assignment, or 1."""
    return (
        db.session.scalar(select(func.max(Review.round)).where(Review.proposal_id == proposal.id))
        or 1
    )


def required_reviews(proposal: Proposal, round_: int | None = None) -> list[Review]:
    """The current round's assignments that count: neither removed nor ended by a conflict."""
    round_ = round_ or current_round(proposal)
    return list(
        db.session.scalars(
            select(Review)
            .where(
                Review.proposal_id == proposal.id,
                Review.round == round_,
                Review.removed_at.is_(None),
                Review.conflict_declared_at.is_(None),
            )
            .order_by(Review.id)
        )
    )


def audit_review(review: Review, action: str, actor: Any, comment: str = "", now=None) -> None:
    """Write the audit row of a change to an assignment."""
    db.session.add(
        AuditEvent(
            subject_type="review",
            subject_id=review.id,
            action=action,
            actor_id=actor.id if actor is not None else None,
            comment=comment,
            created_at=now or clock.now(),
        )
    )


def review_url(review: Review) -> str:
    return notifications.public_url("reviews.detail", review_id=review.id)


def mail_reviewer(review: Review, event: str, **extra: Any) -> None:
    """Queue `event`'s e-mail to the reviewer of `review`, in its language."""
    proposal = review.proposal
    notifications.queue_email(
        review.reviewer,
        event,
        proposal=proposal,
        review=review,
        reference=reference(proposal),
        due=review.due_on.isoformat(),
        url=review_url(review),
        **extra,
    )


def ineligible_reviewer_ids(proposal: Proposal) -> set[int]:
    """Members of the applicant organisation and people with a conflict with it."""
    members = db.session.scalars(
        select(Membership.user_id).where(Membership.organisation_id == proposal.organisation_id)
    )
    conflicted = db.session.scalars(
        select(Conflict.user_id).where(Conflict.organisation_id == proposal.organisation_id)
    )
    return set(members) | set(conflicted)


# --- the review itself ------------------------------------------------------------------------


def save_review(review: Review, data: dict[str, Any], actor: User, *, submit: bool) -> None:
    """Keep the scores and comments; with `submit`, check they are complete and lock the review.

    `data` holds `scores` ({criterion_id: 1-5 or None}), `recommendation` and both comments.
    """
    if review.submitted_at is not None:
        raise ReviewError(_("This review was submitted and can no longer be changed."), 409)
    if review.no_conflict_at is None:
        raise ReviewError(_("Answer the conflict-of-interest question first."), 409)
    if review.proposal.state != ProposalState.IN_REVIEW:
        raise ReviewError(_("The review of this proposal is closed."), 409)
    criteria = review.proposal.call.criteria
    scores: dict[int, int | None] = data.get("scores", {})
    for criterion_id, value in scores.items():
        if value is not None and not 1 <= value <= 5:
            raise ReviewError(_("Scores go from 1 to 5."), fields={f"score_{criterion_id}": True})
    recommendation = data.get("recommendation") or None
    if recommendation is not None and recommendation not in set(Recommendation):
        raise ReviewError(_("Choose one of the recommendations."))
    if submit:
        missing = {
            f"score_{c.id}": _("Give a score from 1 to 5.")
            for c in criteria
            if scores.get(c.id) is None
        }
        if recommendation is None:
            missing["recommendation"] = _("Choose a recommendation.")
        if missing:
            raise ReviewError(
                _(
                    "To submit, give every score and a recommendation. Your "
                    "answers are not saved yet."
                ),
                fields=missing,
            )
    existing = {s.criterion_id: s for s in review.scores}
    for criterion in criteria:
        value = scores.get(criterion.id)
        if value is None:
            if criterion.id in existing:
                review.scores.remove(existing[criterion.id])
        elif criterion.id in existing:
            existing[criterion.id].score = value
        else:
            review.scores.append(CriterionScore(criterion_id=criterion.id, score=value))
    now = clock.now()
    review.recommendation = recommendation
    review.comments_for_applicant = data.get("comments_for_applicant") or ""
    review.confidential_comments = data.get("confidential_comments") or ""
    review.updated_at = now
    if submit:
        review.submitted_at = now
    db.session.flush()
    if submit:
        audit_review(review, "submit", actor, now=now)
        complete_if_all_submitted(review.proposal)


def complete_if_all_submitted(proposal: Proposal) -> bool:
    """Move the proposal to `reviewed` when every required review of the round is submitted.

    The proposal row is locked first and everything re-read after the lock, so of two reviewers
    submitting at the same moment exactly one sees the other's review and moves it, once.
    """
    locked = db.session.scalars(
        select(Proposal)
        .where(Proposal.id == proposal.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if locked.state != ProposalState.IN_REVIEW:
        return False
    required = required_reviews(locked)
    if not required or any(r.submitted_at is None for r in required):
        return False
    workflow.transition(locked, "complete_review", None)
    for chair in notifications.users_with_role(Role.CHAIR):
        if not permissions.is_conflicted(chair, locked):
            notifications.queue_email(
                chair, "reviews_complete", proposal=locked, reference=reference(locked)
            )
    return True


def start_new_round(proposal: Proposal, actor: Any, due_on: date | None = None) -> list[Review]:
    """After a resubmission: ask the same (unconflicted) reviewers for a new round.

    The previous round's reviews stay as they are, visible to their reviewers as history.
    """
    previous = current_round(proposal)
    due_on = due_on or (clock.now() + timedelta(days=NEW_ROUND_DAYS)).date()
    excluded = ineligible_reviewer_ids(proposal)
    reviews = []
    for old in required_reviews(proposal, previous):
        if old.reviewer_id in excluded or not old.reviewer.active:
            continue
        review = Review(
            proposal=proposal,
            reviewer=old.reviewer,
            round=previous + 1,
            due_on=due_on,
            assigned_by_id=actor.id if actor is not None else None,
            assigned_at=clock.now(),
            no_conflict_at=old.no_conflict_at,
        )
        db.session.add(review)
        reviews.append(review)
    db.session.flush()
    for review in reviews:
        audit_review(review, "new_round", actor, _("Round %(n)d", n=review.round))
        mail_reviewer(review, "review_new_round")
    return reviews
