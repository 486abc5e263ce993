"""Calls for proposals (funding rounds)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db
from fund.models.base import timestamp, utcnow


class Call(db.Model):
    """A funding round with an opening and a closing time (stored in UTC)."""

    __tablename__ = "calls"
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = timestamp()
    closes_at: Mapped[datetime] = timestamp()
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    def is_open(self, now: datetime) -> bool:
        """Whether proposals may be submitted at `now` (the server's clock)."""
        return self.opens_at <= now < self.closes_at
