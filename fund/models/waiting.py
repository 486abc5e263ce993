"""The reviews still owed, counted at write time (fund/reviews/waiting.py keeps them): one row
per reviewer, due date and whether the reviewer has started (answered "no conflict"), with how
many of their assignments are waiting so. The secretariat's overview and the reviewer's panel
read these few rows instead of counting thousands of assignments on every view."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db


class WaitingReviewCount(db.Model):
    """How many of a reviewer's assignments due on `due_on` are waiting: not submitted, not
    removed, no conflict declared, their proposal in review. `started` tells the ones whose
    reviewer answered the conflict question (in progress) from the ones still to start.
    `reviews.due_on` is never NULL, so the date can be part of the key."""

    __tablename__ = "waiting_review_counts"

    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    started: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    reviews: Mapped[int] = mapped_column(Integer)
