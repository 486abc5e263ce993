"""The statistics the ranking compares proposals by, worked out in Python from scored reviews.

Shared by the live ranking (fund/decisions/ranking.py) and the statistics kept at write time
(fund/decisions/scores.py), so both give the same floats.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
    strategies: tuple[str, ...]  # a tuple: the page writes each distinct set once
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


def weighted_score(raw_sum: Any) -> float:
    """sum(weight * (score - 1)) over the criteria, scaled so 1 everywhere is 0 and 5 is 100.

    Weights add up to 100, so dividing by 4 (the width of the 1-5 scale) gives 0-100.
    """
    return float(raw_sum) / 4


def reviewer_statistics(scores: list[float]) -> tuple[float, float]:
    """A reviewer's mean and population standard deviation (the severity the normalised score
    corrects for), in floats like a proposal's (`population_std_dev`): statistics.pstdev's
    exact fractions over a big call's 16,000 reviews took a quarter of a second, on every
    review submitted and on every ranking a conflicted chair opens."""
    mean = statistics.fmean(scores)
    return mean, population_std_dev(scores, mean)


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
        mean, sd = reviewer_statistics(scores)
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
    row.normalised = normalised(reviews)


def normalised(reviews: list[ScoredReview]) -> float | None:
    """The mean z-score of the reviews that have one (None when none has)."""
    zs = [r.z for r in reviews if r.z is not None]
    return statistics.fmean(zs) if zs else None
