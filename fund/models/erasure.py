"""A person's request to have their account erased, when the secretariat must look first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class ErasureState(StrEnum):
    PENDING = "pending"
    ERASED = "erased"
    KEPT = "kept"  # the secretariat explained what must be kept, and why


class ErasureRequest(db.Model):
    """Waits in the secretariat's queue while the person has organisation history."""

    __tablename__ = "erasure_requests"
    __table_args__ = (enum_check("state", ErasureState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    requested_at: Mapped[datetime] = timestamp(default=utcnow)
    state: Mapped[str] = enum_column(ErasureState, default=ErasureState.PENDING.value, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = timestamp()
    explanation: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User", foreign_keys=[user_id])
