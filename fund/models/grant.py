"""Grants made on an award."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow
from fund.models.call import MONEY


class GrantState(StrEnum):
    PENDING_AGREEMENT = "pending_agreement"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Grant(db.Model):
    """Money awarded to an organisation for one proposal."""

    __tablename__ = "grants"
    __table_args__ = (enum_check("state", GrantState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[str] = enum_column(
        GrantState, default=GrantState.PENDING_AGREEMENT.value, index=True
    )
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)  # GR-2027-0042
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"), server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)  # the last day of the funded period
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"))
    # The agreement as accepted: the terms shown, the full name typed, who, when and from where.
    agreement_text: Mapped[str | None] = mapped_column(Text)
    accepted_name: Mapped[str | None] = mapped_column(String(200))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None] = timestamp()
    accepted_ip: Mapped[str | None] = mapped_column(String(45))
    accepted_user_agent: Mapped[str | None] = mapped_column(String(300))

    # Open data (360Giving, the public list) names the grant unless the secretariat turned this
    # off, with its reason, for an organisation that being named would put at risk.
    published: Mapped[bool] = mapped_column(default=True, server_default=true())
    unpublished_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    proposal = relationship("Proposal")
    decision = relationship("Decision")
    accepted_by = relationship("User", foreign_keys=[accepted_by_id])
    organisation = relationship("Organisation")
    reports: Mapped[list[ProgressReport]] = relationship(  # noqa: F821
        "ProgressReport", back_populates="grant", order_by="ProgressReport.due_on"
    )
    tranches: Mapped[list[Tranche]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="Tranche.position"
    )


class Tranche(db.Model):
    """One instalment of a grant, paid when its condition is met (signature, a report accepted).

    `due_on` stays empty until the condition is met; `report_id` names the report it waits for.
    `paid_on`, `paid_amount` and `payment_reference` are written only when a second person
    approves the payment (fund/payments/services.py): "paid" everywhere means approved.
    """

    __tablename__ = "tranches"
    __table_args__ = (
        UniqueConstraint("grant_id", "position"),
        CheckConstraint("percent BETWEEN 1 AND 100", name="percent_range"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("paid_amount IS NULL OR paid_amount >= 0", name="paid_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    percent: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    condition: Mapped[str] = mapped_column(String(40))  # signature, interim_report, final_report
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="SET NULL")
    )
    due_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    paid_amount: Mapped[Decimal | None] = mapped_column(MONEY)

    grant: Mapped[Grant] = relationship(back_populates="tranches")
    report = relationship("ProgressReport")
    # the payment recorded and not yet approved or rejected, if any (loaded with the tranches)
    waiting_payment = relationship(
        "Payment",
        primaryjoin="and_(Payment.tranche_id == Tranche.id, Payment.state == 'awaiting_approval')",
        viewonly=True,
        uselist=False,
        lazy="selectin",
    )
