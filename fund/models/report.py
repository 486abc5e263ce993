"""Progress reports due from a grantee."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class ReportState(StrEnum):
    UPCOMING = "upcoming"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"


class ReportKind(StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class ProgressReport(db.Model):
    """One scheduled report; "due soon" and "overdue" are derived from `due_on`, never stored."""

    __tablename__ = "progress_reports"
    __table_args__ = (enum_check("state", ReportState), enum_check("kind", ReportKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id"), index=True)
    kind: Mapped[str] = enum_column(ReportKind)
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = enum_column(ReportState, default=ReportState.UPCOMING.value, index=True)
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)

    grant = relationship("Grant", back_populates="reports")

    @property
    def organisation_id(self) -> int:
        return self.grant.organisation_id
