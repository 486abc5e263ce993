"""The ranking of a call's proposals: every statistic the chairs compare them by.

The statistics are kept at write time (fund/decisions/scores.py): the ranking reads one row per
proposal (the proposal, its organisation and its stored statistics in one query), the pending
approvals and the envelope. A viewer with declared conflicts sees the normalised score without
the hidden organisations' reviews, worked out from the stored weighted scores of the call's
reviews (one more query). `current_round_reviews` and `live_statistics` are the computation
from the criterion scores themselves, which the stored statistics must always equal
(tests/decisions/test_stored_scores.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select

from fund import permissions
from fund.decisions.queries import pending_counts
from fund.decisions.scores import counted_reviews
from fund.decisions.stats import (
    ZERO,
    RankingRow,
    ScoredReview,
    aggregate,
    normalised,
    standardise,
    weighted_score,
)
from fund.extensions import db
from fund.models import (
    CONCEPT_STAGE_STATES,
    Call,
    Criterion,
    CriterionScore,
    Organisation,
    Proposal,
    ProposalScore,
    ProposalState,
    Recommendation,
    Review,
    Strategy,
)
from fund.rules.envelope import envelope_left

__all__ = ["RankingRow", "ScoredReview", "ZERO", "Filters", "ranking", "ranking_row"]

SORT_KEYS = (
    "mean",
    "median",
    "std_dev",
    "spread",
    "normalised",
    "reviews",
    "amount_requested",
    "reference",
    "title",
    "organisation",
    "country",
    "fund",
    "do_not_fund",
)


def _rows(query: Any) -> Any:
    """The rows of a column select on the session's connection, in its transaction: for the
    ranking's thousands of rows, skipping the ORM's result handling (no entities are loaded)
    halves the time they take."""
    return db.session.connection().execute(query)


def current_round_reviews(call_id: int, hidden_organisation_ids: set[int]) -> list[ScoredReview]:
    """Every submitted review of the proposals' latest rounds in the call, with its weighted
    score (one query), leaving out the organisations the viewer is conflicted with.

    A proposal's latest round is the highest round with a submitted review (removed and
    conflicted ones included, as they were submitted in it): a window over the call's
    submitted reviews, not a subquery per review row.
    """
    submitted = (
        select(
            Review.id,
            Review.proposal_id,
            Review.reviewer_id,
            Review.recommendation,
            Review.round,
            Review.removed_at,
            Review.conflict_declared_at,
            func.max(Review.round).over(partition_by=Review.proposal_id).label("latest_round"),
        )
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.call_id == call_id, Review.submitted_at.is_not(None))
    )
    if hidden_organisation_ids:
        submitted = submitted.where(Proposal.organisation_id.not_in(hidden_organisation_ids))
    latest = submitted.subquery("latest")
    query = (
        select(
            latest.c.id,
            latest.c.proposal_id,
            latest.c.reviewer_id,
            latest.c.recommendation,
            func.coalesce(func.sum(Criterion.weight * (CriterionScore.score - 1)), 0),
        )
        .outerjoin(CriterionScore, CriterionScore.review_id == latest.c.id)
        .outerjoin(
            Criterion,
            and_(Criterion.id == CriterionScore.criterion_id, Criterion.call_id == call_id),
        )
        .where(
            latest.c.round == latest.c.latest_round,
            latest.c.removed_at.is_(None),
            latest.c.conflict_declared_at.is_(None),
        )
        .group_by(latest.c.id, latest.c.proposal_id, latest.c.reviewer_id, latest.c.recommendation)
        .order_by(latest.c.id)
    )
    return [
        ScoredReview(review_id, proposal_id, reviewer_id, recommendation, weighted_score(raw))
        for review_id, proposal_id, reviewer_id, recommendation, raw in _rows(query)
    ]


@dataclass
class Filters:
    """What the ranking shows and in which order; built from the query string."""

    state: str = ProposalState.REVIEWED.value  # "all" for every submitted state
    country: str = ""
    strategy: str = ""
    disagreement_only: bool = False
    sort: str = "mean"
    descending: bool = True

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        state = args.get("state", ProposalState.REVIEWED.value)
        if state != "all" and state not in {s.value for s in ProposalState}:
            state = ProposalState.REVIEWED.value
        sort = args.get("sort", "mean")
        country = args.get("country", "").strip().upper()
        strategy = args.get("strategy", "")
        return cls(
            state=state,
            country=country
            if len(country) == 2 and country.isascii() and country.isalpha()
            else "",
            strategy=strategy if strategy in {s.value for s in Strategy} else "",
            disagreement_only=args.get("disagreement") == "1",
            sort=sort if sort in SORT_KEYS else "mean",
            descending=args.get("order", "desc") != "asc",
        )

    def as_args(self) -> dict[str, str]:
        """The query string that gives these filters back (empty filters left out), for links."""
        args = {
            "state": self.state,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
        }
        if self.country:
            args["country"] = self.country
        if self.strategy:
            args["strategy"] = self.strategy
        if self.disagreement_only:
            args["disagreement"] = "1"
        return args


def _sort_value(row: RankingRow, key: str) -> Any:
    if key in (Recommendation.FUND, Recommendation.DO_NOT_FUND):
        return row.tally.get(key, 0)
    value = getattr(row, key)
    return value.lower() if isinstance(value, str) else value


def live_statistics(call_id: int, hidden_organisation_ids: set[int]) -> dict[int, RankingRow]:
    """Each proposal's statistics worked out from the criterion scores of its reviews, as the
    ranking computed them before they were stored: the reference for the stored ones."""
    reviews = current_round_reviews(call_id, hidden_organisation_ids)
    standardise(reviews)
    by_proposal: dict[int, list[ScoredReview]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal_id].append(review)
    rows = {}
    for proposal_id, own in by_proposal.items():
        row = RankingRow(proposal_id, "", "", "", "", "", [], ZERO)
        aggregate(row, own, 0.0)
        rows[proposal_id] = row
    return rows


TALLY = (Recommendation.FUND, Recommendation.FUND_WITH_CHANGES, Recommendation.DO_NOT_FUND)


def _renormalise(rows: list[RankingRow], call_id: int, hidden: set[int]) -> None:
    """The normalised scores without the hidden organisations' reviews: their reviews leave
    every reviewer's mean and spread, so each z-score is worked out again from the stored
    weighted scores of the visible reviews."""
    reviews, _ = counted_reviews(db.session.connection(), call_id, hidden)
    standardise(reviews)
    by_proposal: dict[int, list[ScoredReview]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal_id].append(review)
    for row in rows:
        own = by_proposal.get(row.proposal_id)
        row.normalised = normalised(own) if own else None


def ranking(
    call: Call, viewer: Any, filters: Filters | None = None
) -> tuple[list[RankingRow], Decimal]:
    """The call's proposals as ranking rows, filtered and sorted, with the running total of the
    amounts requested; and the envelope left. A viewer's conflicted organisations are left out
    of the rows and of every statistic (their reviews do not count in anyone's z-scores)."""
    filters = filters or Filters()
    hidden = permissions.conflicted_organisation_ids(viewer)
    score = ProposalScore
    query = (
        select(
            Proposal.id,
            Proposal.reference,
            Proposal.title,
            Proposal.state,
            Proposal.strategies,
            Proposal.amount_requested,
            Organisation.name,
            Organisation.country_code,
            score.reviews,
            score.mean,
            score.median,
            score.std_dev,
            score.spread,
            score.normalised,
            score.fund,
            score.fund_with_changes,
            score.do_not_fund,
        )
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .outerjoin(score, score.proposal_id == Proposal.id)
        .where(
            Proposal.call_id == call.id,
            Proposal.state != ProposalState.DRAFT,
            Proposal.state.not_in(CONCEPT_STAGE_STATES),  # concept notes are not ranked
        )
    )
    if hidden:
        query = query.where(Proposal.organisation_id.not_in(hidden))
    if filters.state != "all":
        query = query.where(Proposal.state == filters.state)
    if filters.country:
        query = query.where(Organisation.country_code == filters.country)
    threshold = float(call.disagreement_threshold)
    approvals = pending_counts(call.id)
    rows = []
    for pid, ref, title, state, strategies, amount, org, country, *stats in _rows(query):
        if filters.strategy and filters.strategy not in (strategies or []):
            continue
        row = RankingRow(
            pid, ref or "", title, state, org, country, list(strategies or []), Decimal(amount or 0)
        )
        count, mean, median, std_dev, spread, norm, *tally = stats
        if count:
            row.reviews, row.mean, row.median, row.std_dev = count, mean, median, std_dev
            row.spread, row.normalised = spread, norm
            row.disagreement = std_dev > threshold
            row.tally = {key: n for key, n in zip(TALLY, tally, strict=True) if n}
        row.approvals = approvals.get(pid, 0)
        rows.append(row)
    if hidden:
        _renormalise(rows, call.id, hidden)
    if filters.disagreement_only:
        rows = [r for r in rows if r.disagreement]
    present = [r for r in rows if _sort_value(r, filters.sort) is not None]
    missing = [r for r in rows if _sort_value(r, filters.sort) is None]
    present.sort(
        key=lambda r: (
            _sort_value(r, filters.sort),
            -r.proposal_id if filters.descending else r.proposal_id,
        ),
        reverse=filters.descending,
    )
    rows = present + missing  # rows without a value (no reviews yet) always come last
    left = envelope_left(call)
    total = ZERO
    for row in rows:
        total += row.amount_requested
        row.running_total = total
        row.over_envelope = total > left
    return rows, left


def ranking_row(proposal: Proposal, viewer: Any) -> RankingRow | None:
    """The proposal's own row of the ranking (its statistics need the whole call)."""
    rows, _ = ranking(proposal.call, viewer, Filters(state="all"))
    return next((r for r in rows if r.proposal_id == proposal.id), None)
