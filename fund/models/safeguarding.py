"""Safeguarding concerns about funded activities, reported in confidence.

Only safeguarding leads read a concern; the person who reported it sees that it was received.
A concern is never exported, counted in a list of anything else, or shown to admins, chairs or
the organisation concerned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class ConcernState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class SafeguardingConcern(db.Model):
    """One concern: who reported it (kept even if the account goes), about what, what was done."""

    __tablename__ = "safeguarding_concerns"
    __table_args__ = (enum_check("state", ConcernState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grants.id", ondelete="SET NULL"))
    about: Mapped[str] = mapped_column(String(300))  # the organisation, activity or place
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = enum_column(ConcernState, default=ConcernState.OPEN.value, index=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    closed_at: Mapped[datetime | None] = timestamp()

    reporter = relationship("User")
    grant = relationship("Grant")
    actions: Mapped[list[SafeguardingAction]] = relationship(
        back_populates="concern", order_by="SafeguardingAction.created_at"
    )


class SafeguardingAction(db.Model):
    """A note a lead records on a concern: a call made, a referral, a decision."""

    __tablename__ = "safeguarding_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(
        ForeignKey("safeguarding_concerns.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    concern: Mapped[SafeguardingConcern] = relationship(back_populates="actions")
    author = relationship("User")
