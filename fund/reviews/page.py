"""What the review page shows beside the form: the proposal as submitted, and where the
reviewer's scoring stands (criteria scored, the running weighted total)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from sqlalchemy import select

from fund.extensions import db
from fund.models import Proposal, ProposalVersion, Review
from fund.rules import proposal_content as content

SCALE_WIDTH = 4  # a score runs from 1 to 5: four steps


def submitted_content(proposal: Proposal) -> dict[str, Any]:
    """The content the reviewer assesses: the latest version submitted (one query), or the
    proposal as it stands when no version was frozen (proposals made before versions)."""
    latest = db.session.scalar(
        select(ProposalVersion.content)
        .where(ProposalVersion.proposal_id == proposal.id)
        .order_by(ProposalVersion.number.desc())
        .limit(1)
    )
    return latest if latest is not None else content.snapshot(proposal)


@dataclass(frozen=True)
class SinceReviewed:
    """What changed in the proposal since the reviewer last submitted a review of it: the
    version they read then, and the differences with the one they read now."""

    number: int
    changes: list[content.Change]


def changes_since_reviewed(
    history: list[Review], proposal: Proposal, now_reading: dict[str, Any]
) -> SinceReviewed | None:
    """For a reviewer back in a later round (`history`: their earlier reviews, latest first),
    the version they had submitted their last review on (the latest frozen by then) compared
    with `now_reading`; None in a first round, or when no version was frozen by then."""
    earlier = next((r for r in history if r.submitted_at is not None), None)
    if earlier is None:
        return None
    read_then = db.session.execute(
        select(ProposalVersion.number, ProposalVersion.content)
        .where(
            ProposalVersion.proposal_id == proposal.id,
            ProposalVersion.created_at <= earlier.submitted_at,
        )
        .order_by(ProposalVersion.number.desc())
        .limit(1)
    ).first()
    if read_then is None:
        return None
    return SinceReviewed(read_then.number, content.diff(read_then.content, now_reading))


@dataclass(frozen=True)
class Scoring:
    """Where a review's scoring stands: how many criteria are scored, of how many, and the
    weighted total so far on the ranking's 0-100 scale (every 1 gives 0, every 5 gives 100)."""

    scored: int
    criteria: int
    points: Decimal

    @property
    def points_text(self) -> str:
        """The total in the reader's way of writing numbers, e.g. 62.5 or 62,5."""
        return format_decimal(self.points, format="#,##0.##")

    @property
    def complete(self) -> bool:
        return self.scored == self.criteria


def scoring(criteria: list[Any], scores: dict[int, int | None]) -> Scoring:
    """The scoring of `scores` ({criterion id: 1-5 or None}) on the rubric `criteria`, whose
    weights add up to 100; a criterion not scored yet adds nothing."""
    given = [(c.weight, scores.get(c.id)) for c in criteria]
    given = [
        (weight, score) for weight, score in given if isinstance(score, int) and 1 <= score <= 5
    ]
    points = sum((Decimal(weight * (score - 1)) for weight, score in given), Decimal(0))
    return Scoring(scored=len(given), criteria=len(criteria), points=points / SCALE_WIDTH)
