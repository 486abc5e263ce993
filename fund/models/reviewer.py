"""A reviewer's profile (what it reads and knows, how much it takes, when it is away) and the
reviewer pools of calls (who was invited, and whether they accepted)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class ReviewerProfile(db.Model):
    """Kept by the reviewer; read by the secretariat and by automatic assignment."""

    __tablename__ = "reviewer_profiles"
    __table_args__ = (
        CheckConstraint("max_per_call IS NULL OR max_per_call >= 0", name="max_per_call_valid"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    strategies: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    # None: no limit of its own
    max_per_call: Mapped[int | None] = mapped_column(Integer)
    # [[first day, last day], ...] as ISO dates, both days included, in date order
    unavailable: Mapped[list[list[str]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    updated_at: Mapped[datetime] = timestamp(default=utcnow)

    user = relationship("User")


class PoolState(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class PoolMember(db.Model):
    """A reviewer invited to a call's pool; automatic assignment draws on those who accepted."""

    __tablename__ = "pool_members"
    __table_args__ = (UniqueConstraint("call_id", "user_id"), enum_check("state", PoolState))

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = enum_column(PoolState, default=PoolState.INVITED.value)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = timestamp(default=utcnow)

    call = relationship("Call")
    user = relationship("User", foreign_keys=[user_id])
