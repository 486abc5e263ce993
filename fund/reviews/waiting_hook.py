"""The session hook that keeps the counts of waiting reviews (fund/reviews/waiting.py) at write
time, the way fund/decisions/score_hook.py keeps the ranking's statistics.

Each flush notes the reviewers whose waiting assignments may have changed: a review added,
deleted, or changed in a column the counts depend on (its old and new reviewer both), and the
reviewers of a proposal that entered or left a state, or was deleted. Bulk UPDATE and DELETE
statements on reviews or proposals, which no flush sees, are looked at before they run
(`_before_bulk`): the rows they are about to change are read with the same conditions. Just
before the commit those reviewers' rows are recomputed from the reviews (`waiting.recount`).
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from fund.models import Proposal, Review
from fund.reviews import waiting
from fund.write_hooks import Noted, bulk_change

REVIEWERS = Noted("fund.reviews.waiting", waiting.recount, waiting.recount_all)
# A review's change of these columns can move it in or out of "waiting", or change its key.
REVIEW_COLUMNS = (
    "submitted_at",
    "removed_at",
    "conflict_declared_at",
    "no_conflict_at",
    "due_on",
    "proposal_id",
    "reviewer_id",
    # set through the relationship, the id changes only during the flush
    "proposal",
    "reviewer",
)

TABLES = {Review.__table__: Review, Proposal.__table__: Proposal}


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Note the reviews and proposals this flush changes, and the reviewers they had before."""
    pending = REVIEWERS.pending(session, lambda: {"reviews": [], "proposals": set()})
    reviewers = REVIEWERS.keys(session)
    deleted_proposals: set[int] = set()
    dirty = session.dirty  # a new set at each access: taken once
    for obj in chain(session.new, dirty, session.deleted):
        if isinstance(obj, Review):
            state = inspect(obj)
            if obj in dirty and not any(
                state.attrs[name].history.has_changes() for name in REVIEW_COLUMNS
            ):
                continue
            if not state.pending:
                # the reviewer it had: the id's old value when the id was set; the id as loaded
                # when the relationship was (the flush writes the new id only later)
                reviewers.update(state.attrs.reviewer_id.history.deleted)
                with session.no_autoflush:
                    reviewers.add(obj.reviewer_id)
            if obj not in session.deleted:
                pending["reviews"].append(obj)  # its new reviewer's id is set by the flush
        elif isinstance(obj, Proposal):
            if obj in session.deleted:
                deleted_proposals.add(obj.id)
            elif obj in dirty and inspect(obj).attrs.state.history.has_changes():
                pending["proposals"].add(obj.id)
    if deleted_proposals:  # its reviews go with it in this flush: their reviewers now
        with session.no_autoflush:
            reviewers.update(
                session.scalars(
                    select(Review.reviewer_id).where(Review.proposal_id.in_(deleted_proposals))
                )
            )


def _after_flush(session: Session, flush_context: Any) -> None:
    """The reviewers of the reviews and proposals the flush wrote (their ids are set now)."""
    pending = REVIEWERS.take_pending(session)
    if not pending:
        return
    reviewers = REVIEWERS.keys(session)
    reviewers.update(review.reviewer_id for review in pending["reviews"])
    if pending["proposals"]:
        reviewers.update(
            session.connection().scalars(
                select(Review.reviewer_id).where(Review.proposal_id.in_(pending["proposals"]))
            )
        )


def _before_bulk(orm_execute_state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE of reviews or proposals (fund/workflow's transitions update a
    proposal's state so): note the reviewers of the rows it is about to change, read with its
    own conditions before it runs. A statement whose rows cannot be found so (no WHERE, rows
    given by primary key, a new reviewer given as an expression, or a bulk INSERT) has the
    whole table rebuilt at the commit."""
    change = bulk_change(orm_execute_state, TABLES)
    if change is None:
        return
    entity = TABLES[change.table]
    values, where = change.values, change.where
    if change.is_update and not _touches(entity, values):
        return
    session = orm_execute_state.session
    if where is None:
        REVIEWERS.every_key(session)
        return
    if entity is Review:
        found = select(Review.reviewer_id).where(where)
        new_reviewer = values.get("reviewer_id")
        if new_reviewer is not None:
            if isinstance(new_reviewer, int):
                REVIEWERS.keys(session).add(new_reviewer)
            else:
                REVIEWERS.every_key(session)
    else:
        found = select(Review.reviewer_id).where(
            Review.proposal_id.in_(select(Proposal.id).where(where))
        )
    with session.no_autoflush:
        REVIEWERS.keys(session).update(session.connection().scalars(found))


def _touches(entity: Any, values: dict[str, Any]) -> bool:
    if entity is Review:
        return any(name in values for name in REVIEW_COLUMNS)
    return "state" in values or "id" in values


def install(session: Any) -> None:
    """Keep the counts on every flush and bulk statement of `session` (the app's scoped
    session), recounted just before each commit; idempotent. Installed after the score hook,
    so that its lock is taken last."""
    REVIEWERS.install(
        session,
        before_flush=_before_flush,
        after_flush_postexec=_after_flush,
        do_orm_execute=_before_bulk,
    )
