"""A bulk action as it was run: who ran which action on which rows, and what each row came to;
and the draft reminders sent before a call closes (fund/proposals/draft_reminders.py).

The result page reads it back (post/redirect/get), so it costs the same few queries however many
rows the action covered; the changes themselves are in the audit log, one row per change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import timestamp, utcnow


class BulkRun(db.Model):
    """One confirmed bulk action. `outcomes` holds, per row in the order shown,
    {"id": proposal id (grant id on the grants list), "done": bool, "reason": why it was refused
    ("" when done)}."""

    __tablename__ = "bulk_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a run on the grants list, which spans every call
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    list_name: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    call = relationship("Call")
    actor = relationship("User")


class DraftReminder(db.Model):
    """A reminder sent to one member about an unsubmitted draft: "week" (7 days before the call
    closes) or "day" (1 day before), for the deadline it was sent against. The unique key makes
    each reminder go once; a moved deadline is a new key, and earns new reminders."""

    __tablename__ = "draft_reminders"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id", "kind", "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    closes_at: Mapped[datetime] = timestamp()
    sent_at: Mapped[datetime] = timestamp(default=utcnow)
