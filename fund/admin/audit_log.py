"""The audit log for the secretariat: every audit row, filtered by subject, actor, action and
date range, a page at a time, and the same rows for a download.

Dates are the reader's calendar days: a range is turned into UTC instants in their time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from fund.extensions import db
from fund.models import AuditEvent, User

PAGE_SIZE = 50
EXPORT_MAX = 100_000  # rows in one download; filters narrow a bigger log


@dataclass(frozen=True)
class Filters:
    """What the reader asked for; empty values do not filter."""

    subject_type: str = ""
    subject_id: int | None = None
    actor: str = ""  # part of the actor's name or e-mail address
    action: str = ""
    since: date | None = None
    until: date | None = None

    def as_dict(self) -> dict:
        return {
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "actor": self.actor,
            "action": self.action,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }


def _start_of(day: date) -> datetime:
    """The first instant of `day` in the reader's time zone, in UTC."""
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(str(get_timezone())))
    return local.astimezone(ZoneInfo("UTC"))


def _query(filters: Filters) -> Select:
    query = select(AuditEvent)
    if filters.subject_type:
        query = query.where(AuditEvent.subject_type == filters.subject_type)
    if filters.subject_id is not None:
        query = query.where(AuditEvent.subject_id == filters.subject_id)
    if filters.actor:
        text = filters.actor.lower()
        actors = select(User.id).where(
            or_(
                func.lower(User.name).contains(text, autoescape=True),
                func.lower(User.email).contains(text, autoescape=True),
            )
        )
        query = query.where(AuditEvent.actor_id.in_(actors))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.since:
        query = query.where(AuditEvent.created_at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEvent.created_at < _start_of(filters.until + timedelta(days=1)))
    return query.options(joinedload(AuditEvent.actor)).order_by(
        AuditEvent.created_at.desc(), AuditEvent.id.desc()
    )


def page(filters: Filters, number: int):
    """One page of matching rows, newest first, each with its actor (no query per row)."""
    return db.paginate(_query(filters), page=number, per_page=PAGE_SIZE, error_out=False)


def all_rows(filters: Filters) -> list[AuditEvent]:
    """The matching rows for a download, newest first (at most EXPORT_MAX)."""
    return list(db.session.scalars(_query(filters).limit(EXPORT_MAX)))


def subject_types() -> list[str]:
    """The kinds of subject the log holds, for the filter."""
    return list(
        db.session.scalars(select(AuditEvent.subject_type).distinct().order_by("subject_type"))
    )


def actions() -> list[str]:
    """The actions the log holds, for the filter."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by("action")))
