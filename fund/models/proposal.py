"""Proposals submitted to a call by an organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class ProposalState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    REVISION_REQUESTED = "revision_requested"
    AWARDED = "awarded"
    DECLINED = "declined"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"


class Proposal(db.Model):
    """An organisation's application to a call. Its state changes only in fund/workflow.py."""

    __tablename__ = "proposals"
    __table_args__ = (enum_check("state", ProposalState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = enum_column(ProposalState, default=ProposalState.DRAFT.value, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    call = relationship("Call")
    organisation = relationship("Organisation")
