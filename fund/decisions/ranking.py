"""The ranking of a call's proposals: every statistic the chairs compare them by.

The ranking takes a fixed handful of queries whatever the size of the call: the proposals, the
weighted score of every current-round review (summed in SQL), the awards made and the pending
approvals; the statistics are worked out in Python from those rows.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select

from fund import permissions
from fund.decisions.queries import pending_counts
from fund.extensions import db
from fund.models import (
    CONCEPT_STAGE_STATES,
    Call,
    Criterion,
    CriterionScore,
    Organisation,
    Proposal,
    ProposalState,
    Recommendation,
    Review,
    Strategy,
)
from fund.rules.envelope import envelope_left

ZERO = Decimal("0")


@dataclass
class ScoredReview:
    """One submitted review reduced to what the ranking needs."""

    review_id: int
    proposal_id: int
    reviewer_id: int
    recommendation: str
    score: float  # weighted, 0-100
    z: float | None = None  # standardised against the reviewer's other reviews in the call


@dataclass
class RankingRow:
    """One proposal in the ranking."""

    proposal_id: int
    reference: str
    title: str
    state: str
    organisation: str
    country: str
    strategies: list[str]
    amount_requested: Decimal
    reviews: int = 0
    mean: float | None = None
    median: float | None = None
    std_dev: float | None = None
    spread: float | None = None  # the range: highest minus lowest
    normalised: float | None = None
    disagreement: bool = False
    tally: dict[str, int] = field(default_factory=dict)
    approvals: int = 0
    running_total: Decimal = ZERO
    over_envelope: bool = False


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


def weighted_score(raw_sum: Any) -> float:
    """sum(weight * (score - 1)) over the criteria, scaled so 1 everywhere is 0 and 5 is 100.

    Weights add up to 100, so dividing by 4 (the width of the 1-5 scale) gives 0-100.
    """
    return float(raw_sum) / 4


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


def standardise(reviews: list[ScoredReview]) -> None:
    """Set each review's z-score against all of its reviewer's reviews in `reviews`.

    A reviewer with a single review, or who gave every proposal the same weighted score, tells
    us nothing about severity: their reviews get no z-score and are left out of the normalised
    score (a proposal with none left has no normalised score).
    """
    by_reviewer: dict[int, list[ScoredReview]] = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer_id].append(review)
    for own in by_reviewer.values():
        scores = [r.score for r in own]
        if len(scores) < 2:
            continue
        mean, sd = statistics.fmean(scores), statistics.pstdev(scores)
        if sd == 0:
            continue
        for review in own:
            review.z = (review.score - mean) / sd


def population_std_dev(values: list[float], mean: float) -> float:
    """The population standard deviation of `values` around their `mean`, in floats.

    statistics.pstdev works in exact fractions, which made it most of the ranking's time; the
    scores are quarter points, so a spread that is a whole number of points comes out exact
    here too and the disagreement flag does not move.
    """
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def aggregate(row: RankingRow, reviews: list[ScoredReview], threshold: float) -> None:
    """Fill `row`'s statistics from its reviews (population standard deviation: one review
    has a spread of 0)."""
    scores = [r.score for r in reviews]
    row.reviews = len(scores)
    row.tally = dict(Counter(r.recommendation for r in reviews))
    if not scores:
        return
    row.mean = statistics.fmean(scores)
    row.median = statistics.median(scores)
    row.std_dev = population_std_dev(scores, row.mean)
    row.spread = max(scores) - min(scores)
    row.disagreement = row.std_dev > threshold
    zs = [r.z for r in reviews if r.z is not None]
    row.normalised = statistics.fmean(zs) if zs else None


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


def ranking(
    call: Call, viewer: Any, filters: Filters | None = None
) -> tuple[list[RankingRow], Decimal]:
    """The call's proposals as ranking rows, filtered and sorted, with the running total of the
    amounts requested; and the envelope left. A viewer's conflicted organisations are left out
    of the rows and of every statistic (their reviews do not count in anyone's z-scores)."""
    filters = filters or Filters()
    hidden = permissions.conflicted_organisation_ids(viewer)
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
        )
        .join(Organisation, Organisation.id == Proposal.organisation_id)
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
    rows = [
        RankingRow(
            pid, ref or "", title, state, org, country, list(strategies or []), Decimal(amount or 0)
        )
        for pid, ref, title, state, strategies, amount, org, country in _rows(query)
    ]
    if filters.strategy:
        rows = [r for r in rows if filters.strategy in r.strategies]
    reviews = current_round_reviews(call.id, hidden)
    standardise(reviews)
    by_proposal: dict[int, list[ScoredReview]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal_id].append(review)
    approvals = pending_counts(call.id)
    threshold = float(call.disagreement_threshold)
    for row in rows:
        aggregate(row, by_proposal.get(row.proposal_id, []), threshold)
        row.approvals = approvals.get(row.proposal_id, 0)
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
