"""The reviews still owed, counted at write time (DESIGN.md section 7: derived figures are
stored when written, not recomputed per view).

`waiting_review_counts` holds, per reviewer, due date and started-or-not, how many of the
reviewer's assignments are waiting: not submitted, not removed, no conflict declared, the
proposal in review (the overview's late reviews and the reminders count the same ones). A
session hook (fund/reviews/waiting_hook.py) notes the reviewers each transaction touches and
calls `recount` for them just before it commits; `flask fund recount-reviews` rebuilds the
whole table (`recount_all`) after rows were written around the app.

A reviewer's rows are always recomputed from the reviews, never adjusted by a difference: a
missed or repeated recount can leave them late, never wrong for good.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from fund.models import Proposal, ProposalState, Review, WaitingReviewCount

# The advisory lock transactions that recount take turns on (PostgreSQL); any number not used
# by another lock of the app (fund/decisions/scores.py SCORES_LOCK is 7301).
COUNTS_LOCK = 7302
TABLE = WaitingReviewCount.__table__
COLUMNS = ("reviewer_id", "due_on", "started", "reviews")


def waiting_conditions() -> tuple:
    """What makes an assignment waiting (fund/models/review.py WAITING, and its proposal in
    review)."""
    return (
        Review.submitted_at.is_(None),
        Review.removed_at.is_(None),
        Review.conflict_declared_at.is_(None),
        Review.proposal_id.in_(
            select(Proposal.id).where(Proposal.state == ProposalState.IN_REVIEW)
        ),
    )


def counted(reviewer_ids: Iterable[int] | None = None):
    """The rows of the table worked out from the reviews: for `reviewer_ids`, or everyone."""
    started = Review.no_conflict_at.is_not(None)
    statement = (
        select(Review.reviewer_id, Review.due_on, started, func.count())
        .where(*waiting_conditions())
        .group_by(Review.reviewer_id, Review.due_on, started)
    )
    if reviewer_ids is not None:
        statement = statement.where(Review.reviewer_id.in_(sorted(reviewer_ids)))
    return statement


def take_turns(connection: Connection) -> None:
    """On PostgreSQL, wait until no other transaction is recounting (a transaction-scoped
    advisory lock). Without it two transactions recounting the same reviewer would each delete
    the rows they see and insert theirs: the second insert fails on the key. Taken just before
    the commit, after every other lock the transaction takes, so it can close no circle of
    waits; the second transaction then reads the first one's committed reviews. SQLite has one
    writer at a time anyway."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(COUNTS_LOCK)))


def recount(connection: Connection, reviewer_ids: Iterable[int]) -> None:
    """Recompute the rows of `reviewer_ids` from their reviews, in the caller's transaction
    (two statements, whatever the number of reviewers)."""
    ids = sorted({rid for rid in reviewer_ids if rid is not None})
    if not ids:
        return
    take_turns(connection)
    connection.execute(delete(TABLE).where(TABLE.c.reviewer_id.in_(ids)))
    connection.execute(insert(TABLE).from_select(COLUMNS, counted(ids)))


def recount_all(connection: Connection) -> int:
    """Rebuild the whole table from the reviews; returns the number of rows written."""
    take_turns(connection)
    connection.execute(delete(TABLE))
    connection.execute(insert(TABLE).from_select(COLUMNS, counted()))
    return int(connection.scalar(select(func.count()).select_from(TABLE)) or 0)
