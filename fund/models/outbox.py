"""Outgoing e-mail, written in the request's transaction and sent after the commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutgoingMessage(db.Model):
    """One e-mail to one recipient, with its delivery attempts."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (enum_check("status", MessageStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    event: Mapped[str] = mapped_column(String(60))
    # Set for messages that must go at most once (reminders): a second queueing is ignored.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = enum_column(MessageStatus, default=MessageStatus.QUEUED.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = timestamp(default=utcnow)
    claimed_at: Mapped[datetime | None] = timestamp()
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    sent_at: Mapped[datetime | None] = timestamp()
