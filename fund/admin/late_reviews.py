"""The overview's reviews overdue and due this week: per reviewer, and the assignments behind
each number (the late-reviews page).

The numbers are read from the counts of waiting reviews kept at write time
(fund/reviews/waiting.py: a few hundred rows, one per reviewer and due date), not counted from
the thousands of assignments on every view; the page lists the assignments themselves, under
the same conditions, so a number and its page cannot disagree."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, func, select

from fund.extensions import db
from fund.models import Proposal, ProposalState, Review, User, WaitingReviewCount
from fund.paging import PER_PAGE, RowsPage, clamp_page
from fund.reads import read

WEEK_DAYS = 7  # "due this week": due today or within the next seven days
REVIEW_WHEN = ("overdue", "week")
COUNTS = WaitingReviewCount


def _waiting_reviews():
    """Assignments the reviewer still owes (as the cron's reminders count them, and as
    fund/reviews/waiting.py counts them).

    The proposals in review are a subquery, and `proposal_id + 0` keeps SQLite from walking the
    assignments proposal by proposal (it would read every wide review row, 7x slower on the
    bench): it takes the due dates from the index of waiting assignments (ix_reviews_waiting_due)
    instead. PostgreSQL plans the same query as a hash semi-join either way."""
    return select(Review).where(
        Review.submitted_at.is_(None),
        Review.removed_at.is_(None),
        Review.conflict_declared_at.is_(None),
        (Review.proposal_id + 0).in_(
            select(Proposal.id).where(Proposal.state == ProposalState.IN_REVIEW)
        ),
    )


# The dates are bound when the statements run: `today` and `week_end` (today + WEEK_DAYS), on
# the assignments and on the stored counts alike.
def _conditions(due_on: Any) -> dict[str, Any]:
    return {
        "overdue": due_on < bindparam("today"),
        "week": and_(due_on >= bindparam("today"), due_on <= bindparam("week_end")),
    }


_REVIEW_CONDITIONS = _conditions(Review.due_on)
_COUNT_CONDITIONS = _conditions(COUNTS.due_on)


def _review_dates(today: date) -> dict[str, date]:
    return {"today": today, "week_end": today + timedelta(days=WEEK_DAYS)}


def _reviews_by_reviewer_statement():
    """Reviews overdue and due this week per reviewer: see `reviews_by_reviewer`. The
    dashboard's reviewers' table unpacks each row in the order of its columns."""
    counted = (
        select(
            COUNTS.reviewer_id,
            func.sum(case((_COUNT_CONDITIONS["overdue"], COUNTS.reviews), else_=0)).label(
                "overdue"
            ),
            func.sum(case((_COUNT_CONDITIONS["week"], COUNTS.reviews), else_=0)).label("week"),
        )
        .where(COUNTS.due_on <= bindparam("week_end"))  # overdue or this week
        .group_by(COUNTS.reviewer_id)
        .subquery()
    )
    return (
        select(User.id, User.name, counted.c.overdue, counted.c.week)
        .join(counted, counted.c.reviewer_id == User.id)
        .order_by(counted.c.overdue.desc(), User.name, User.id)
    )


_REVIEWS_BY_REVIEWER = _reviews_by_reviewer_statement()


def reviews_by_reviewer(today: date) -> list[Any]:
    """Per reviewer with any: reviews overdue and due this week, most overdue first, then by
    name (one query, on the stored counts: 4 ms -> 0.2 ms on the bench database)."""
    return list(read(_REVIEWS_BY_REVIEWER, _review_dates(today)))


def _review_rows_statements(when: str, one_reviewer: bool):
    """The count and the page of `review_rows`, for all reviewers or the one bound as
    `reviewer_id`; the page's `limit` and `offset` are bound too. The count is the stored
    counts' sum. templates/admin/late_reviews.html unpacks each row in the order of these
    columns (tests/admin/test_overview_lean.py holds each cell to its own)."""
    total = select(func.coalesce(func.sum(COUNTS.reviews), 0)).where(_COUNT_CONDITIONS[when])
    base = _waiting_reviews().where(_REVIEW_CONDITIONS[when])
    if one_reviewer:
        total = total.where(COUNTS.reviewer_id == bindparam("reviewer_id"))
        base = base.where(Review.reviewer_id == bindparam("reviewer_id"))
    rows = (
        base.with_only_columns(
            Review.id,
            Review.due_on,
            Review.reminded_at,
            Review.no_conflict_at,
            Proposal.id.label("proposal_id"),
            Proposal.reference,
            Proposal.title,
            User.id.label("reviewer_id"),
            User.name.label("reviewer"),
        )
        .join(Proposal, Proposal.id == Review.proposal_id)
        .join(User, User.id == Review.reviewer_id)
        # Ties on a due date by reviewer, then proposal: the order of the index of waiting
        # assignments (due_on, reviewer_id, proposal_id), so SQLite reads the first page off
        # it instead of sorting every late assignment of the day (3x faster on the bench,
        # where thousands share a date). The id settles the rest, for stable pages.
        .order_by(Review.due_on, Review.reviewer_id, Review.proposal_id, Review.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return total, rows


_REVIEW_ROWS = {
    (when, one): _review_rows_statements(when, one) for when in REVIEW_WHEN for one in (False, True)
}


def review_rows(when: str, today: date, reviewer_id: int | None, page: Any) -> RowsPage:
    """The assignments behind a count: overdue or due this week, for one reviewer or all, the
    longest overdue first, then by reviewer (two queries: the count and the page)."""
    count_statement, rows_statement = _REVIEW_ROWS[when, reviewer_id is not None]
    values: dict[str, Any] = _review_dates(today)
    if reviewer_id is not None:
        values["reviewer_id"] = reviewer_id
    total = int(db.session.scalar(count_statement, values) or 0)
    number = clamp_page(page, total, PER_PAGE)
    values.update(limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    rows = db.session.execute(rows_statement, values).all()
    return RowsPage(rows, number, PER_PAGE, total)
