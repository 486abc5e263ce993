"""Two to four proposals of a call side by side, for the chairs: scores per criterion, the
ranking's statistics, the budget, the summary and each reviewer's recommendation.

It shows the chair what the ranking and the decision page would: a proposal the chair is
conflicted with is not there to compare (as in the ranking), and reviewers are named only where
the decision page names them. A fixed handful of queries, whatever the number compared.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, literal_column, select
from sqlalchemy.orm import joinedload

from fund import permissions
from fund.decisions.ranking import RankingRow, rows_of
from fund.extensions import db
from fund.models import (
    CONCEPT_STAGE_STATES,
    BudgetCategory,
    BudgetLine,
    Call,
    Criterion,
    CriterionScore,
    Proposal,
    ProposalState,
    Review,
    User,
)
from fund.numbers import ID_MAX
from fund.reads import read
from fund.reviews.queries import reviewer_numbers_of

FEWEST, MOST = 2, 4
CATEGORY_ORDER = {category.value: n for n, category in enumerate(BudgetCategory)}


class BadChoice(ValueError):
    """The ticks do not make a comparison (too few, too many, not numbers): a 400."""


class NotComparable(LookupError):
    """A ticked proposal is not in the call's ranking as this viewer sees it: a 404."""


@dataclass
class Recommendation:
    """One reviewer's recommendation, under the name or number the viewer may see."""

    reviewer: str
    recommendation: str


@dataclass
class Compared:
    """One proposal's column of the comparison."""

    proposal: Proposal
    row: RankingRow  # its statistics, worked out over the whole call
    criterion_means: dict[int, float] = field(default_factory=dict)  # criterion id -> 1-5
    budget: list[tuple[str, Decimal]] = field(default_factory=list)  # (category, total)
    recommendations: list[Recommendation] = field(default_factory=list)


def chosen_ids(values: list[str]) -> list[int]:
    """The proposal ids ticked (`proposal` repeated, or comma-separated), in the order given,
    without repeats. Raises BadChoice for something that is not a proposal number or for a
    count outside 2-4; an id beyond any column is kept and found missing (404) later."""
    ids: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or len(part) > 30:
                raise BadChoice(_("“%(value)s” is not a proposal number.", value=part[:40]))
            number = int(part)
            if number not in ids:
                ids.append(number)
    if not FEWEST <= len(ids) <= MOST:
        raise BadChoice(
            _(
                "Tick from %(fewest)d to %(most)d proposals to compare them; %(n)d ticked.",
                fewest=FEWEST,
                most=MOST,
                n=len(ids),
            )
        )
    return ids


@cache
def _proposals_statement(hiding: bool):
    """See `_proposals`; built once per process for each of `hiding` some organisations or
    none, the ids, the call and the hidden organisations bound when it runs."""
    query = (
        select(Proposal)
        .options(joinedload(Proposal.organisation))
        .where(
            Proposal.id.in_(bindparam("ids", expanding=True)),
            Proposal.call_id == bindparam("call_id"),
            Proposal.state != ProposalState.DRAFT,
            Proposal.state.not_in(CONCEPT_STAGE_STATES),
        )
    )
    if hiding:
        query = query.where(Proposal.organisation_id.not_in(bindparam("hidden", expanding=True)))
    return query


def _proposals(call: Call, viewer: Any, ids: list[int]) -> list[Proposal]:
    """The ticked proposals in the order ticked; NotComparable if one is not in the ranking."""
    hidden = sorted(permissions.conflicted_organisation_ids(viewer))
    values: dict[str, Any] = {"ids": [i for i in ids if i <= ID_MAX], "call_id": call.id}
    if hidden:
        values["hidden"] = hidden
    found = {p.id: p for p in db.session.scalars(_proposals_statement(bool(hidden)), values)}
    for proposal_id in ids:
        if proposal_id not in found:
            raise NotComparable(
                _(
                    "Proposal #%(id)d is not in the ranking of this call as you see it, so it "
                    "cannot be compared. Go back to the ranking and tick others.",
                    id=proposal_id,
                )
            )
    return [found[i] for i in ids]


@dataclass
class _Counted:
    """What the comparison shows of a counted review: whose, its recommendation, its scores."""

    proposal_id: int
    reviewer_id: int
    reviewer: str  # the reviewer's name, read only when the viewer may see names
    recommendation: str | None
    scores: list[tuple[int, int]] = field(default_factory=list)  # (criterion id, 1-5)


@cache
def _latest_reviews_statement(names: bool):
    """See `_latest_reviews`; built once per process with and without the reviewers' names,
    the ids bound when it runs."""
    ids = bindparam("ids", expanding=True)
    latest = (
        select(Review.proposal_id, func.max(Review.round).label("round"))
        .where(Review.proposal_id.in_(ids), Review.submitted_at.is_not(None))
        .group_by(Review.proposal_id)
        .subquery()
    )
    query = (
        select(
            Review.id,
            Review.proposal_id,
            Review.reviewer_id,
            User.name if names else literal_column("''"),
            Review.recommendation,
        )
        .join(
            latest,
            and_(latest.c.proposal_id == Review.proposal_id, latest.c.round == Review.round),
        )
        .where(
            Review.submitted_at.is_not(None),
            Review.removed_at.is_(None),
            Review.conflict_declared_at.is_(None),
        )
        .order_by(Review.proposal_id, Review.id)
    )
    if names:
        query = query.join(User, User.id == Review.reviewer_id)
    return query


_SCORES = (
    select(CriterionScore.review_id, CriterionScore.criterion_id, CriterionScore.score)
    .where(CriterionScore.review_id.in_(bindparam("review_ids", expanding=True)))
    .order_by(CriterionScore.review_id, CriterionScore.criterion_id)
)


def _latest_reviews(ids: list[int], names: bool) -> list[_Counted]:
    """The counted reviews of each proposal's latest round (as the ranking counts them), with
    their scores, and their reviewers' names when `names` (two queries of columns: loading the
    reviews, their scores and their reviewers as objects took a third of the page's time; the
    statements are built once, building them took as long as running them)."""
    rows = read(_latest_reviews_statement(names), {"ids": ids})
    reviews = {row[0]: _Counted(*row[1:]) for row in rows}
    if reviews:
        for review_id, criterion_id, score in read(_SCORES, {"review_ids": list(reviews)}):
            reviews[review_id].scores.append((criterion_id, score))
    return list(reviews.values())


_BUDGETS = (
    select(BudgetLine.proposal_id, BudgetLine.category, func.sum(BudgetLine.amount))
    .where(BudgetLine.proposal_id.in_(bindparam("ids", expanding=True)))
    .group_by(BudgetLine.proposal_id, BudgetLine.category)
)


def _budgets(ids: list[int]) -> dict[int, list[tuple[str, Decimal]]]:
    """Each proposal's budget lines totalled by category, in the categories' order."""
    budgets: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for proposal_id, category, total in read(_BUDGETS, {"ids": ids}):
        budgets[proposal_id].append((category, Decimal(total or 0)))
    for lines in budgets.values():
        lines.sort(key=lambda line: CATEGORY_ORDER.get(line[0], len(CATEGORY_ORDER)))
    return budgets


def compare(call: Call, viewer: Any, ids: list[int]) -> tuple[list[Criterion], list[Compared]]:
    """The call's criteria and the ticked proposals' columns, in the order ticked."""
    proposals = _proposals(call, viewer, ids)
    by_id = rows_of(call, viewer, ids)
    names = permissions.can_see_reviewer_names(viewer, call)
    numbers = {} if names else reviewer_numbers_of(ids)
    reviews: dict[int, list[_Counted]] = defaultdict(list)
    for review in _latest_reviews(ids, names):
        reviews[review.proposal_id].append(review)
    budgets = _budgets(ids)
    criteria = sorted(call.criteria, key=lambda c: c.position)
    compared = []
    for proposal in proposals:
        own = reviews[proposal.id]
        scores: dict[int, list[int]] = defaultdict(list)
        for review in own:
            for criterion_id, score in review.scores:
                scores[criterion_id].append(score)
        compared.append(
            Compared(
                proposal=proposal,
                row=by_id[proposal.id],  # found under the same rules as the ranking's
                criterion_means={cid: statistics.fmean(s) for cid, s in scores.items()},
                budget=budgets.get(proposal.id, []),
                recommendations=[
                    Recommendation(
                        review.reviewer
                        if names
                        else _("Reviewer %(n)d", n=numbers[proposal.id][review.reviewer_id]),
                        review.recommendation,
                    )
                    for review in own
                ],
            )
        )
    return criteria, compared
