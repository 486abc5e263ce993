"""Form tokens already used: a form sent twice (a double click on a slow line) acts once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db
from fund.models.base import timestamp, utcnow


class UsedFormToken(db.Model):
    """The one-time token of a creating form, recorded in the transaction that acted on it."""

    __tablename__ = "used_form_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    used_at: Mapped[datetime] = timestamp(default=utcnow)
