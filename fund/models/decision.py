"""The chairs' decisions on proposals and the approvals an award collects before it is made."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow
from fund.models.call import MONEY


class DecisionOutcome(StrEnum):
    AWARD = "award"
    DECLINE = "decline"
    REQUEST_REVISION = "request_revision"


class Decision(db.Model):
    """One decision on a proposal, with its reasons and the letter sent; never changed later.

    A proposal has several only when revisions were requested before; `number` counts them, and
    its uniqueness keeps two racing decisions from both being recorded.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("proposal_id", "number"),
        enum_check("outcome", DecisionOutcome),
        CheckConstraint(
            "(outcome = 'award' AND amount > 0) OR (outcome <> 'award' AND amount IS NULL)",
            name="award_has_amount",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer, default=1)
    outcome: Mapped[str] = enum_column(DecisionOutcome)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    reasons: Mapped[str] = mapped_column(Text, default="")
    letter_subject: Mapped[str] = mapped_column(String(300), default="")
    letter_text: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = timestamp(default=utcnow)

    proposal = relationship("Proposal")
    decided_by = relationship("User")
    approvals: Mapped[list[DecisionApproval]] = relationship(
        back_populates="decision", order_by="DecisionApproval.approved_at"
    )


class DecisionApproval(db.Model):
    """A chair's "Award" on a proposal, counted towards the call's quorum of approvals.

    Pending while `decision_id` and `cancelled_at` are both empty; the partial unique index lets
    each chair hold at most one pending approval per proposal, so nobody counts twice.
    """

    __tablename__ = "decision_approvals"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index(
            "uq_decision_approvals_pending",
            "proposal_id",
            "chair_id",
            unique=True,
            sqlite_where=db.text("decision_id IS NULL AND cancelled_at IS NULL"),
            postgresql_where=db.text("decision_id IS NULL AND cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    comment: Mapped[str] = mapped_column(Text, default="")
    # Set when this chair asks that the grant stay out of open data: why (never published).
    unpublished_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    approved_at: Mapped[datetime] = timestamp(default=utcnow)
    cancelled_at: Mapped[datetime | None] = timestamp()
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), index=True
    )

    chair = relationship("User")
    decision: Mapped[Decision | None] = relationship(back_populates="approvals")
