"""Progress reports due from a grantee, and what a report says: reach, spending, files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow
from fund.models.call import MONEY


class ReportState(StrEnum):
    UPCOMING = "upcoming"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"


class ReportKind(StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER_OR_NOT_RECORDED = "other_or_not_recorded"


class AgeBand(StrEnum):
    UNDER_5 = "0_4"
    FROM_5_TO_9 = "5_9"
    FROM_10_TO_14 = "10_14"
    FROM_15_TO_17 = "15_17"
    ADULT = "18_plus"


class ProgressReport(db.Model):
    """One scheduled report; "due soon" and "overdue" are derived from `due_on`, never stored.

    The text fields are empty until the grantee saves its draft; `feedback` holds the comments
    of the last "Request changes" (the audit trail keeps every one).
    """

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
    narrative: Mapped[str] = mapped_column(Text, default="", server_default="")
    activities_done: Mapped[str] = mapped_column(Text, default="", server_default="")
    challenges: Mapped[str] = mapped_column(Text, default="", server_default="")
    next_steps: Mapped[str] = mapped_column(Text, default="", server_default="")
    feedback: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Answers to the call's report questions, keyed by question id (fund/forms_def/validate.py).
    answers: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    # The call's report form as it stood at the last submission: what the answers mean, kept
    # so that later edits to the call's form never change a submitted report ({} before).
    form: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    updated_at: Mapped[datetime | None] = timestamp()
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = timestamp()
    accepted_at: Mapped[datetime | None] = timestamp()
    # The day the secretariat last reminded the grantee from the grants list (at most once a day).
    reminded_on: Mapped[date | None] = mapped_column(Date)

    grant = relationship("Grant", back_populates="reports")
    reach: Mapped[list[ReportReach]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportReach.id"
    )
    spending: Mapped[list[ReportSpending]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportSpending.position"
    )
    attachments: Mapped[list[ReportAttachment]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportAttachment.id"
    )

    @property
    def organisation_id(self) -> int:
        return self.grant.organisation_id


class ReportReach(db.Model):
    """People reached in a report's period: one aggregate count per sex and age band.

    Never names, photos or case details: only these counts are kept.
    """

    __tablename__ = "report_reach"
    __table_args__ = (
        UniqueConstraint("report_id", "sex", "age_band"),
        # The portfolio sums the counts per sex and age band: read in this index's order and
        # from it alone, they are summed without sorting every row (fund/portfolio/queries.py).
        Index("ix_report_reach_sex_age_band", "sex", "age_band", "report_id", "count"),
        enum_check("sex", Sex),
        enum_check("age_band", AgeBand),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    sex: Mapped[str] = enum_column(Sex)
    age_band: Mapped[str] = enum_column(AgeBand)
    count: Mapped[int] = mapped_column(Integer)

    report: Mapped[ProgressReport] = relationship(back_populates="reach")


class ReportSpending(db.Model):
    """Spending on one budget line to the end of a report's period, against what was planned
    (copied from the proposal's budget when the report is first opened)."""

    __tablename__ = "report_spending"
    __table_args__ = (
        UniqueConstraint("report_id", "position"),
        CheckConstraint("planned >= 0", name="planned_not_negative"),
        CheckConstraint("spent IS NULL OR spent >= 0", name="spent_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    budget_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_lines.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300), default="")
    planned: Mapped[Decimal] = mapped_column(MONEY)
    spent: Mapped[Decimal | None] = mapped_column(MONEY)
    explanation: Mapped[str] = mapped_column(Text, default="")

    report: Mapped[ProgressReport] = relationship(back_populates="spending")


class ReportAttachment(db.Model):
    """A file attached to a progress report."""

    __tablename__ = "report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(200), default="")

    report: Mapped[ProgressReport] = relationship(back_populates="attachments")
    file = relationship("StoredFile")
