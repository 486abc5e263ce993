"""The ranking's statistics, kept at write time: one row per ranked proposal and one per reviewer
in a call (fund/decisions/scores.py keeps them; the ranking page reads them)."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db


class ProposalScore(db.Model):
    """A proposal's statistics over the submitted reviews of its latest round (none if it has
    no submitted review): what the ranking sorts and shows, for a viewer with no conflicts."""

    __tablename__ = "proposal_scores"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)  # the latest round with a submitted review
    reviews: Mapped[int] = mapped_column(Integer)  # counted: not removed, not conflicted
    mean: Mapped[float | None] = mapped_column(Float)
    median: Mapped[float | None] = mapped_column(Float)
    std_dev: Mapped[float | None] = mapped_column(Float)
    spread: Mapped[float | None] = mapped_column(Float)
    normalised: Mapped[float | None] = mapped_column(Float)
    fund: Mapped[int] = mapped_column(Integer, default=0)
    fund_with_changes: Mapped[int] = mapped_column(Integer, default=0)
    do_not_fund: Mapped[int] = mapped_column(Integer, default=0)


class ReviewerScore(db.Model):
    """A reviewer's mean and population standard deviation over their counted reviews in a
    call: what each of their reviews is standardised against for the normalised score."""

    __tablename__ = "reviewer_scores"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reviews: Mapped[int] = mapped_column(Integer)
    mean: Mapped[float] = mapped_column(Float)
    std_dev: Mapped[float] = mapped_column(Float)


class CallScoreVersion(db.Model):
    """A new random token each time a call's statistics are refreshed: what the ranking keys
    the normalised scores it works out for a conflicted viewer by, so a worker never serves
    them after a review changed, and tokens from two databases never collide."""

    __tablename__ = "call_score_versions"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))
