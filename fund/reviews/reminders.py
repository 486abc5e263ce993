"""Review reminders, sent by `flask fund send-reminders` (cron): 3 days before due, and overdue;
and the secretariat's "Remind now" on one assignment (remind_now), at most once a day.

Each candidate is locked and re-read just before its reminder is queued, so an assignment
submitted, removed or conflicted meanwhile gets nothing; a dedupe key per assignment, due date
and kind means a reminder is never queued twice (a new due date earns new reminders).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from fund import notifications
from fund.extensions import db
from fund.models import Proposal, ProposalState, Review
from fund.outbox import commit
from fund.reviews.services import ReviewError, audit_review, reference, review_url

DUE_SOON_DAYS = 3


def reminder_kind(review: Review, today: date) -> str | None:
    """ "due_soon", "overdue" or None for an assignment on `today` (UTC)."""
    if (
        review.submitted_at is not None
        or review.removed_at is not None
        or review.conflict_declared_at is not None
        or review.proposal.state != ProposalState.IN_REVIEW
    ):
        return None
    if today > review.due_on:
        return "overdue"
    if today >= review.due_on - timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return None


def _open_candidates(today: date) -> list[int]:
    return list(
        db.session.scalars(
            select(Review.id)
            .join(Proposal, Proposal.id == Review.proposal_id)
            .where(
                Review.submitted_at.is_(None),
                Review.removed_at.is_(None),
                Review.conflict_declared_at.is_(None),
                Proposal.state == ProposalState.IN_REVIEW,
                Review.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            )
            .order_by(Review.id)
        )
    )


def send_reminders(now: datetime) -> int:
    """Queue (and try to send) the reminders due at `now`; returns how many were queued."""
    today = now.date()
    queued = 0
    for review_id in _open_candidates(today):
        review = db.session.scalars(
            select(Review)
            .where(Review.id == review_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        db.session.refresh(review.proposal)
        kind = reminder_kind(review, today)
        message = None
        if kind is not None:
            message = notifications.queue_email(
                review.reviewer,
                f"review_{kind}",
                dedupe_key=f"review-reminder:{review.id}:{review.due_on.isoformat()}:{kind}",
                proposal=review.proposal,
                review=review,
                reference=reference(review.proposal),
                due=review.due_on.isoformat(),
                url=review_url(review),
            )
        commit()  # one transaction per assignment: releases its lock, then sends
        queued += message is not None
    return queued


def is_waiting(review: Review) -> bool:
    """Whether the reviewer still owes the review: assigned, not conflicted, not submitted, not
    removed, its proposal in review. Only such a review can be reminded."""
    return (
        review.submitted_at is None
        and review.removed_at is None
        and review.conflict_declared_at is None
        and review.proposal.state == ProposalState.IN_REVIEW
    )


def remind_now(review: Review, actor, now: datetime) -> bool:
    """Queue a reminder to the reviewer of `review` now, unless one was sent by hand today (UTC):
    returns False then, and nothing is queued. Records the reminder on the assignment and in the
    audit trail; the caller commits, and the outbox sends after the commit.

    Raises ReviewError (409) when the review no longer waits for the reviewer."""
    if not is_waiting(review):
        raise ReviewError(
            _("This review no longer waits for its reviewer, so there is nobody to remind."), 409
        )
    today = now.date()
    if review.reminded_at is not None and review.reminded_at.date() == today:
        return False
    kind = "overdue" if today > review.due_on else "due_soon"
    message = notifications.queue_email(
        review.reviewer,
        f"review_{kind}",
        # one a day, even if two secretariat members press at the same moment
        dedupe_key=f"review-remind-now:{review.id}:{today.isoformat()}",
        proposal=review.proposal,
        review=review,
        reference=reference(review.proposal),
        due=review.due_on.isoformat(),
        url=review_url(review),
    )
    if message is None:
        return False
    review.reminded_at = now
    audit_review(review, "remind", actor, f"{kind}, due on {review.due_on.isoformat()}", now)
    db.session.flush()
    return True
