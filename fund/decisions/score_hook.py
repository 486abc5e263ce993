"""The session hook that keeps the ranking's statistics (fund/decisions/scores.py) at write time.

Whatever changes a review that counts (submission, removal, a conflict, a new round's
submission, scores changed, a criterion's weight changed, a review deleted), the transaction
that writes it stores the reviews' weighted scores in the same flush and refreshes its call's
statistics just before it commits. Transactions that change scores take turns from their first
such flush (`take_turns`), so two reviewers submitting at once never deadlock.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from fund.decisions.scores import refresh, store_weighted_scores, take_turns
from fund.models import Criterion, CriterionScore, Proposal, Review

PENDING = "fund.decisions.scores.pending"
CALLS = "fund.decisions.scores.calls"
# A review's change of these columns can change the statistics of its call.
REVIEW_COLUMNS = (
    "submitted_at",
    "removed_at",
    "conflict_declared_at",
    "round",
    "recommendation",
    "proposal_id",
    "reviewer_id",
)


def _changed(obj: Any, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _counts(review: Review | None) -> bool:
    """Whether `review` is or was submitted: only submitted reviews are in the statistics, so
    assigning, removing or saving a draft leaves them alone (a refresh of a big call costs)."""
    if review is None:
        return True  # unknown: refresh to be safe
    if review.submitted_at is not None:
        return True
    state = inspect(review)
    if state.pending or state.transient:
        return False
    # reopened or deleted in this flush: it was submitted before
    return any(value is not None for value in state.attrs.submitted_at.history.deleted)


def _review_of(session: Session, score: CriterionScore) -> Review | None:
    review = inspect(score).dict.get("review")  # never a lazy load inside the flush
    if review is None and score.review_id is not None:
        with session.no_autoflush:
            review = session.get(Review, score.review_id)
    return review


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Note the reviews, scores and criteria this flush changes in a way the ranking sees."""
    pending = session.info.setdefault(PENDING, {"reviews": [], "scores": [], "criteria": []})
    dirty = session.dirty  # a new set at each access: taken once
    for obj in chain(session.new, dirty, session.deleted):
        if isinstance(obj, Review):
            if obj in dirty and not _changed(obj, REVIEW_COLUMNS):
                continue
            if _counts(obj):
                pending["reviews"].append(obj)
        elif isinstance(obj, CriterionScore):
            if _counts(_review_of(session, obj)):
                pending["scores"].append(obj)
        elif isinstance(obj, Criterion):
            if obj in dirty and not _changed(obj, ("weight", "call_id")):
                continue
            pending["criteria"].append(obj)
    if any(pending.values()):
        take_turns(session.connection())


def _after_flush(session: Session, flush_context: Any) -> None:
    """Store the changed reviews' weighted scores on the flush's own connection (Core
    statements: nothing more for the ORM to flush) and note their calls for _before_commit."""
    pending = session.info.pop(PENDING, None)
    if not pending or not any(pending.values()):
        return
    connection = session.connection()
    review_ids = {r.id for r in pending["reviews"]} | {s.review_id for s in pending["scores"]}
    review_ids.discard(None)
    proposal_ids = {r.proposal_id for r in pending["reviews"]}
    if pending["scores"]:
        proposal_ids |= set(
            connection.scalars(select(Review.proposal_id).where(Review.id.in_(review_ids)))
        )
    proposal_ids.discard(None)
    call_ids = set(
        connection.scalars(select(Proposal.call_id).where(Proposal.id.in_(proposal_ids)))
    )
    criteria_calls = {c.call_id for c in pending["criteria"]} - {None}
    if review_ids:
        store_weighted_scores(connection, review_ids=review_ids)
    for call_id in criteria_calls:
        store_weighted_scores(connection, call_id=call_id)
    # The calls' statistics are refreshed once, just before the commit (_before_commit): by
    # then the transaction holds every other lock it will take, so the refresh's lock is the
    # last one taken and two transactions can never wait for each other in a circle.
    session.info.setdefault(CALLS, set()).update(call_ids | criteria_calls)
    for review in pending["reviews"]:
        if inspect(review).persistent:  # the column was written around the ORM
            session.expire(review, ["weighted_score"])


def _before_commit(session: Session) -> None:
    """Refresh the statistics of the calls this transaction's flushes touched."""
    session.flush()  # the last changes first: their calls are noted by _after_flush
    call_ids = session.info.pop(CALLS, None)
    if not call_ids:
        return
    connection = session.connection()
    for call_id in sorted(call_ids):
        refresh(connection, call_id)


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(CALLS, None)


def install(session: Any) -> None:
    """Keep the statistics on every flush of `session` (the app's scoped session); idempotent."""
    for name, listener in (
        ("before_flush", _before_flush),
        ("after_flush_postexec", _after_flush),
        ("before_commit", _before_commit),
        ("after_soft_rollback", _forget),
    ):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)
