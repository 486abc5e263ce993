"""The ranking's statistics worked out from the criterion scores themselves, as the ranking
computed them before they were kept at write time: the reference the stored statistics
(fund/decisions/scores.py) must always equal."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, select

from fund.decisions.stats import (
    ZERO,
    RankingRow,
    ScoredReview,
    aggregate,
    standardise,
    weighted_score,
)
from fund.extensions import db
from fund.models import Criterion, CriterionScore, Proposal, Review


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
    rows = db.session.connection().execute(query)
    return [
        ScoredReview(review_id, proposal_id, reviewer_id, recommendation, weighted_score(raw))
        for review_id, proposal_id, reviewer_id, recommendation, raw in rows
    ]


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
        row = RankingRow(proposal_id, "", "", "", "", "", (), ZERO)
        aggregate(row, own, 0.0)
        rows[proposal_id] = row
    return rows
