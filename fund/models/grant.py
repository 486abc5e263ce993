"""Grants made on an award."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


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

    proposal = relationship("Proposal")
    organisation = relationship("Organisation")
    reports: Mapped[list[ProgressReport]] = relationship(  # noqa: F821
        "ProgressReport", back_populates="grant", order_by="ProgressReport.due_on"
    )
