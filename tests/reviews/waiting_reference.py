"""The reference the stored counts of waiting reviews are checked against: the queries the
overview and the reviewer's panel ran on every view before the counts were stored (issue 14),
counting the assignments themselves."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select

from fund.extensions import db
from fund.models import Proposal, ProposalState, Review, User, WaitingReviewCount

WEEK_DAYS = 7


def _waiting():
    return select(Review).where(
        Review.submitted_at.is_(None),
        Review.removed_at.is_(None),
        Review.conflict_declared_at.is_(None),
        Review.proposal_id.in_(
            select(Proposal.id).where(Proposal.state == ProposalState.IN_REVIEW)
        ),
    )


def live_rows() -> dict[tuple, int]:
    """{(reviewer id, due date, started): waiting assignments}, counted from the reviews."""
    started = Review.no_conflict_at.is_not(None)
    statement = (
        _waiting()
        .with_only_columns(Review.reviewer_id, Review.due_on, started, func.count())
        .group_by(Review.reviewer_id, Review.due_on, started)
    )
    return {(r, d, bool(s)): n for r, d, s, n in db.session.execute(statement)}


def stored_rows() -> dict[tuple, int]:
    """The same, as stored in waiting_review_counts."""
    t = WaitingReviewCount
    rows = db.session.execute(select(t.reviewer_id, t.due_on, t.started, t.reviews))
    return {(r, d, bool(s)): n for r, d, s, n in rows}


def reviews_by_reviewer(today: date) -> list[tuple]:
    """The overview's per-reviewer table as it was counted: (id, name, overdue, this week),
    most overdue first, then by name and id."""
    week_end = today + timedelta(days=WEEK_DAYS)
    counted = (
        _waiting()
        .with_only_columns(
            Review.reviewer_id,
            func.sum(case((Review.due_on < today, 1), else_=0)).label("overdue"),
            func.sum(
                case((and_(Review.due_on >= today, Review.due_on <= week_end), 1), else_=0)
            ).label("week"),
        )
        .where(Review.due_on <= week_end)
        .group_by(Review.reviewer_id)
        .subquery()
    )
    statement = (
        select(User.id, User.name, counted.c.overdue, counted.c.week)
        .join(counted, counted.c.reviewer_id == User.id)
        .order_by(counted.c.overdue.desc(), User.name, User.id)
    )
    return [tuple(row) for row in db.session.execute(statement)]


def queue_counts(user: Any, today: date) -> dict[str, int]:
    """The reviewer's panel as it was counted: to start, in progress, overdue."""
    counts = {"to_start": 0, "in_progress": 0, "overdue": 0}
    for review in db.session.scalars(_waiting().where(Review.reviewer_id == user.id)):
        counts["in_progress" if review.no_conflict_at else "to_start"] += 1
        counts["overdue"] += review.due_on < today
    return counts
