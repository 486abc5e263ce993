"""The ranking's statistics kept at write time (issue 14).

Each submitted review carries its weighted 0-100 score (`reviews.weighted_score`), and each call
its proposals' statistics (`proposal_scores`: count, mean, median, spread, normalised score,
recommendation tally) and its reviewers' means and standard deviations (`reviewer_scores`). The
ranking page then reads one row per proposal instead of summing 100,000 criterion scores.

They are kept by a session hook (fund/decisions/score_hook.py) rather than by calls from each
service, so no path can forget to. A review changes the normalised score of every proposal its
reviewer scored, so a refresh reworks the whole call (two queries and the Python of the live
ranking) and writes only the rows that changed; each refresh also gives the call a new version
token (`call_score_versions`), which the ranking keys what it works out for a conflicted viewer
by. `flask fund recompute-scores` rebuilds them from scratch.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from fund.decisions.stats import (
    RankingRow,
    ScoredReview,
    aggregate,
    reviewer_statistics,
    standardise,
    weighted_score,
)
from fund.models import Call, Criterion, CriterionScore, Proposal, Review
from fund.models.score import CallScoreVersion, ProposalScore, ReviewerScore

# The key of the advisory lock that makes transactions changing reviews' scores take turns;
# any number no other lock of the app uses.
SCORES_LOCK = 7301
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
        row = RankingRow(proposal_id, "", "", "", "", "", (), 0)
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


def take_turns(connection: Connection) -> None:
    """On PostgreSQL, wait until no other transaction that changes reviews' scores is running
    (a transaction-scoped advisory lock, taken again harmlessly). It is taken at the first flush
    that changes a review, before that flush locks any row, so two reviewers submitting at the
    same moment queue up instead of each holding a row the other needs (a deadlock). SQLite
    has one writer at a time anyway."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(SCORES_LOCK)))


def refresh(connection: Connection, call_id: int, *, new_version: bool = True) -> int:
    """Bring the call's stored statistics up to date with its reviews, in the caller's
    transaction, and give it a new version token; returns the number of rows written
    (unchanged rows are left alone). `new_version=False` is for the migration that made these
    tables, which runs before `call_score_versions` exists.

    Transactions that refresh statistics take turns (take_turns): the second then reads the
    first one's committed reviews, so the statistics count both, and the two never write the
    same rows at once."""
    take_turns(connection)
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
    if new_version:
        _new_version(connection, call_id)
    return written


def _new_version(connection: Connection, call_id: int) -> None:
    """Give the call a new random version token: whatever was worked out from its reviews
    before this refresh is now out of date (fund/decisions/ranking.py keys its memo by it)."""
    table = CallScoreVersion.__table__
    token = uuid.uuid4().hex
    changed = connection.execute(
        update(table).where(table.c.call_id == call_id).values(token=token)
    ).rowcount
    if not changed:  # the first refresh (refreshes take turns: no one else inserts it)
        connection.execute(insert(table).values(call_id=call_id, token=token))


# built once (each conflicted chair's ranking asks): the call's id is bound when it runs
_VERSION = select(CallScoreVersion.__table__.c.token).where(
    CallScoreVersion.__table__.c.call_id == bindparam("call_id", type_=Integer)
)


def version(connection: Connection, call_id: int) -> str | None:
    """The call's current version token (None before its first refresh)."""
    return connection.scalar(_VERSION, {"call_id": call_id})


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


def recompute(
    connection: Connection, call_id: int | None = None, *, new_version: bool = True
) -> list[tuple[int, int]]:
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
        done.append((cid, refresh(connection, cid, new_version=new_version)))
    return done
