"""Reviews (one per proposal, reviewer and round), their scores, and declared conflicts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class Recommendation(StrEnum):
    FUND = "fund"
    FUND_WITH_CHANGES = "fund_with_changes"
    DO_NOT_FUND = "do_not_fund"


class ReviewStatus(StrEnum):
    """Where a review stands, derived from its timestamps (never stored)."""

    TO_START = "to_start"  # assigned; the reviewer has not answered the conflict question
    IN_PROGRESS = "in_progress"  # no conflict declared; not submitted
    SUBMITTED = "submitted"
    CONFLICTED = "conflicted"
    REMOVED = "removed"


# An assignment still owed by its reviewer (its proposal's state aside).
WAITING = "submitted_at IS NULL AND removed_at IS NULL AND conflict_declared_at IS NULL"


class Review(db.Model):
    """One reviewer's assessment of one proposal in one round; the assignment is this row."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("proposal_id", "reviewer_id", "round"),
        enum_check("recommendation", Recommendation),
        CheckConstraint("round >= 1", name="round_positive"),
        CheckConstraint(
            "submitted_at IS NULL OR (recommendation IS NOT NULL AND no_conflict_at IS NOT NULL)",
            name="submitted_complete",
        ),
        Index("ix_reviews_reviewer_open", "reviewer_id", "submitted_at", "removed_at"),
        Index("ix_reviews_proposal_round", "proposal_id", "round"),  # a proposal's latest round
        # the assignments still owed, by due date: the overview's late reviews and reminders
        Index(
            "ix_reviews_waiting_due",
            "due_on",
            "reviewer_id",
            "proposal_id",
            sqlite_where=text(WAITING),
            postgresql_where=text(WAITING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    round: Mapped[int] = mapped_column(Integer, default=1)
    due_on: Mapped[date] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = timestamp(default=utcnow)
    no_conflict_at: Mapped[datetime | None] = timestamp()
    conflict_declared_at: Mapped[datetime | None] = timestamp()
    removed_at: Mapped[datetime | None] = timestamp()
    recommendation: Mapped[str | None] = enum_column(Recommendation, nullable=True)
    comments_for_applicant: Mapped[str] = mapped_column(Text, default="")
    confidential_comments: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = timestamp()
    submitted_at: Mapped[datetime | None] = timestamp()
    # The last "Remind now" from the secretariat's overview: one a day at most
    # (fund/reviews/reminders.py); the cron's own reminders are deduplicated in the outbox.
    reminded_at: Mapped[datetime | None] = timestamp()
    # The weighted 0-100 score of a submitted review (None until it is submitted), kept by
    # fund/decisions/scores.py at each flush so the ranking need not sum the criterion scores.
    weighted_score: Mapped[float | None] = mapped_column(Float)

    proposal = relationship("Proposal")
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    scores: Mapped[list[CriterionScore]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    @property
    def status(self) -> ReviewStatus:
        if self.removed_at is not None:
            return ReviewStatus.REMOVED
        if self.conflict_declared_at is not None:
            return ReviewStatus.CONFLICTED
        if self.submitted_at is not None:
            return ReviewStatus.SUBMITTED
        if self.no_conflict_at is not None:
            return ReviewStatus.IN_PROGRESS
        return ReviewStatus.TO_START


class CriterionScore(db.Model):
    """A score from 1 to 5 on one criterion of the call's rubric."""

    __tablename__ = "criterion_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        # covers the ranking's weighted sum: a review's scores without reading the table
        Index("ix_criterion_scores_review_score", "review_id", "criterion_id", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion = relationship("Criterion")


class Conflict(db.Model):
    """A declared conflict of interest between a person and an organisation (or one proposal).

    Declared by the reviewer or chair, or recorded for them by the secretariat. From then on the
    person sees nothing of the organisation's proposals in review, nor any aggregate of them.
    """

    __tablename__ = "conflicts"
    __table_args__ = (Index("ix_conflicts_user_organisation", "user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(1000))
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    declared_at: Mapped[datetime] = timestamp(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
