"""The ranking's statistics kept at write time (issue 14).

Each submitted review carries its weighted 0-100 score (`reviews.weighted_score`), and each call
its proposals' statistics (`proposal_scores`: count, mean, median, spread, normalised score,
recommendation tally) and its reviewers' means and standard deviations (`reviewer_scores`). The
ranking page then reads one row per proposal instead of summing 100,000 criterion scores.

They are kept by a session hook rather than by calls from each service: whatever changes a
review that counts (submission, removal, a conflict, a new round's submission, scores changed,
a criterion's weight changed, a review deleted), the transaction that writes it refreshes its
call's statistics just before it commits, so no path can forget to. A review changes the
normalised score of every proposal its reviewer scored, so a refresh reworks the whole call
(two queries and the Python of the live ranking) and writes only the rows that changed.
`flask fund recompute-scores` rebuilds them from scratch.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import chain
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, event, func, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from fund.decisions.stats import (
    RankingRow,
    ScoredReview,
    aggregate,
    reviewer_statistics,
    standardise,
    weighted_score,
)
from fund.models import Call, Criterion, CriterionScore, Proposal, Review
from fund.models.score import ProposalScore, ReviewerScore

PENDING = "fund.decisions.scores.pending"
CALLS = "fund.decisions.scores.calls"
# The key of the advisory lock that makes transactions changing reviews' scores take turns;
# any number no other lock of the app uses.
SCORES_LOCK = 7301
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
STAT_COLUMNS = (
    "round",
    "reviews",
    "mean",
    "median",
    "std_dev",
    "spread",
    "normalised",
    "fund",
    "fund_with_changes",
    "do_not_fund",
)


def counted_reviews(
    connection: Connection,
    call_id: int,
    hidden_organisation_ids: set[int] | frozenset = frozenset(),
) -> tuple[list[ScoredReview], dict[int, int]]:
    """The reviews the ranking counts in the call (submitted, in the proposal's latest round,
    neither removed nor conflicted) with their stored weighted scores, and each proposal's
    latest round; leaving out the organisations in `hidden_organisation_ids`. One query."""
    submitted = (
        select(
            Review.id,
            Review.proposal_id,
            Review.reviewer_id,
            Review.recommendation,
            Review.weighted_score,
            Review.round,
            # a flag, not the two timestamps: thousands of rows skip their conversion
            case(
                (and_(Review.removed_at.is_(None), Review.conflict_declared_at.is_(None)), 1),
                else_=0,
            ).label("counted"),
            func.max(Review.round).over(partition_by=Review.proposal_id).label("latest_round"),
        )
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.call_id == call_id, Review.submitted_at.is_not(None))
    )
    if hidden_organisation_ids:
        submitted = submitted.where(Proposal.organisation_id.not_in(hidden_organisation_ids))
    latest = submitted.subquery("latest")
    c = latest.c
    query = (
        select(c.id, c.proposal_id, c.reviewer_id, c.recommendation, c.weighted_score, c.round)
        .add_columns(c.counted)
        .where(c.round == c.latest_round)
        .order_by(c.id)
    )
    reviews, rounds = [], {}
    for (
        review_id,
        proposal_id,
        reviewer_id,
        recommendation,
        score,
        round_,
        counted,
    ) in connection.execute(query):
        rounds[proposal_id] = round_
        if counted:
            reviews.append(
                ScoredReview(review_id, proposal_id, reviewer_id, recommendation, score or 0.0)
            )
    return reviews, rounds


def statistics_of(
    connection: Connection, call_id: int
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """What `proposal_scores` and `reviewer_scores` should hold for the call, worked out from
    its counted reviews with the live ranking's own functions."""
    reviews, rounds = counted_reviews(connection, call_id)
    standardise(reviews)
    by_proposal: dict[int, list[ScoredReview]] = defaultdict(list)
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal_id].append(review)
        by_reviewer[review.reviewer_id].append(review.score)
    proposals = {}
    for proposal_id, round_ in rounds.items():
        row = RankingRow(proposal_id, "", "", "", "", "", [], 0)
        aggregate(row, by_proposal.get(proposal_id, []), 0.0)
        proposals[proposal_id] = {
            "call_id": call_id,
            "round": round_,
            "reviews": row.reviews,
            "mean": row.mean,
            "median": row.median,
            "std_dev": row.std_dev,
            "spread": row.spread,
            "normalised": row.normalised,
            "fund": row.tally.get("fund", 0),
            "fund_with_changes": row.tally.get("fund_with_changes", 0),
            "do_not_fund": row.tally.get("do_not_fund", 0),
        }
    reviewers = {}
    for reviewer_id, scores in by_reviewer.items():
        mean, sd = reviewer_statistics(scores)
        reviewers[reviewer_id] = {"reviews": len(scores), "mean": mean, "std_dev": sd}
    return proposals, reviewers


def refresh(connection: Connection, call_id: int) -> int:
    """Bring the call's stored statistics up to date with its reviews, in the caller's
    transaction; returns the number of rows written (unchanged rows are left alone).

    Transactions that refresh statistics take turns (_take_turns): the second then reads the
    first one's committed reviews, so the statistics count both, and the two never write the
    same rows at once."""
    _take_turns(connection)
    proposals, reviewers = statistics_of(connection, call_id)
    written = _sync(
        connection,
        ProposalScore.__table__,
        [ProposalScore.proposal_id],
        proposals,
        ProposalScore.call_id == call_id,
        STAT_COLUMNS,
        extra={"call_id": call_id},
    )
    written += _sync(
        connection,
        ReviewerScore.__table__,
        [ReviewerScore.reviewer_id],
        reviewers,
        ReviewerScore.call_id == call_id,
        ("reviews", "mean", "std_dev"),
        extra={"call_id": call_id},
    )
    return written


def _sync(connection, table, key_columns, wanted, scope, columns, extra) -> int:
    """Make the rows of `table` in `scope` match `wanted` ({key: values}): delete, update and
    insert only what differs, with one statement of each kind."""
    key = key_columns[0]
    stored = {
        row[0]: tuple(row[1:])
        for row in connection.execute(select(key, *(table.c[c] for c in columns)).where(scope))
    }
    gone = [k for k in stored if k not in wanted]
    if gone:
        connection.execute(delete(table).where(scope, key.in_(gone)))
    changed, new = [], []
    for k, values in wanted.items():
        row = tuple(values[c] for c in columns)
        if k not in stored:
            new.append({key.key: k, **extra, **{c: values[c] for c in columns}})
        elif stored[k] != row:
            changed.append({"k": k, **{c: values[c] for c in columns}})
    if new:
        connection.execute(insert(table), new)
    if changed:
        statement = (
            update(table)
            .where(scope, key == bindparam("k"))
            .values({c: bindparam(c) for c in columns})
        )
        connection.execute(statement, changed)
    return len(gone) + len(new) + len(changed)


def store_weighted_scores(
    connection: Connection, review_ids: set[int] | None = None, call_id: int | None = None
) -> None:
    """Set `weighted_score` on the given reviews (or every review of a call): the weighted sum
    of their criterion scores when submitted, None while not."""
    query = (
        select(
            Review.id,
            Review.submitted_at,
            func.coalesce(func.sum(Criterion.weight * (CriterionScore.score - 1)), 0),
        )
        .join(Proposal, Proposal.id == Review.proposal_id)
        .outerjoin(CriterionScore, CriterionScore.review_id == Review.id)
        .outerjoin(
            Criterion,
            and_(
                Criterion.id == CriterionScore.criterion_id, Criterion.call_id == Proposal.call_id
            ),
        )
        .group_by(Review.id, Review.submitted_at)
    )
    if review_ids is not None:
        query = query.where(Review.id.in_(review_ids))
    if call_id is not None:
        query = query.where(Proposal.call_id == call_id)
    values = [
        {"k": rid, "score": weighted_score(raw) if submitted is not None else None}
        for rid, submitted, raw in connection.execute(query)
    ]
    if values:
        connection.execute(
            update(Review.__table__)
            .where(Review.__table__.c.id == bindparam("k"))
            .values(weighted_score=bindparam("score")),
            values,
        )


def recompute(connection: Connection, call_id: int | None = None) -> list[tuple[int, int]]:
    """Rebuild the weighted scores and statistics of one call or of every call, as
    (call id, rows written) pairs: what `flask fund recompute-scores` does."""
    call_ids = (
        [call_id]
        if call_id is not None
        else list(connection.scalars(select(Call.id).order_by(Call.id)))
    )
    done = []
    for cid in call_ids:
        store_weighted_scores(connection, call_id=cid)
        done.append((cid, refresh(connection, cid)))
    return done


# --- the session hook ---------------------------------------------------------------------------


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


def _take_turns(connection: Connection) -> None:
    """On PostgreSQL, wait until no other transaction that changes reviews' scores is running
    (a transaction-scoped advisory lock, taken again harmlessly). It is taken at the first flush
    that changes a review, before that flush locks any row, so two reviewers submitting at the
    same moment queue up instead of each holding a row the other needs (a deadlock). SQLite
    has one writer at a time anyway."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(SCORES_LOCK)))


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
        _take_turns(session.connection())


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
