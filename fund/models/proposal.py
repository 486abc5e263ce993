"""Proposals submitted to a call by an organisation, their budget lines, versions and files."""

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
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow
from fund.models.call import MONEY


class ProposalState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    REVISION_REQUESTED = "revision_requested"
    # The secretariat asked the applicant a question while screening (fund/messages/).
    INFORMATION_REQUESTED = "information_requested"
    AWARDED = "awarded"
    DECLINED = "declined"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"
    # The concept-note stage of a two-stage call (fund/workflow/): an invited organisation
    # then writes its full proposal in `invited`, which is a draft under the second deadline.
    CONCEPT_DRAFT = "concept_draft"
    CONCEPT_SUBMITTED = "concept_submitted"
    CONCEPT_DECLINED = "concept_declined"
    INVITED = "invited"


# The states of a two-stage call's concept note, before any full proposal is submitted: the
# screening, review and ranking of full proposals leave them out.
CONCEPT_STAGE_STATES = frozenset(
    {
        ProposalState.CONCEPT_DRAFT,
        ProposalState.CONCEPT_SUBMITTED,
        ProposalState.CONCEPT_DECLINED,
        ProposalState.INVITED,
    }
)


class BudgetCategory(StrEnum):
    PERSONNEL = "personnel"
    ACTIVITIES = "activities"
    MATERIALS = "materials"
    TRAVEL = "travel"
    EQUIPMENT = "equipment"
    MONITORING = "monitoring"
    ADMINISTRATION = "administration"
    OTHER = "other"


class Proposal(db.Model):
    """An organisation's application to a call. Its state changes only in fund/workflow/."""

    __tablename__ = "proposals"
    __table_args__ = (
        enum_check("state", ProposalState),
        CheckConstraint(
            "duration_months IS NULL OR duration_months BETWEEN 1 AND 60", name="duration_range"
        ),
        CheckConstraint("amount_requested >= 0", name="amount_not_negative"),
        # the screening list's order within a call
        Index("ix_proposals_call_submitted", "call_id", "submitted_at", "id"),
        # covers the counts per call and state (the overview, the chairs' dashboard) and the
        # ranking's order: its running totals read every listed amount, which on SQLite sits
        # after the long texts in the row
        Index(
            "ix_proposals_call_ranking", "call_id", "state", "organisation_id", "amount_requested"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)  # INS-2027-0042
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = enum_column(ProposalState, default=ProposalState.DRAFT.value, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    strategies: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date | None] = mapped_column(Date)
    duration_months: Mapped[int | None] = mapped_column(Integer)
    # The total of the budget lines, kept by the service that saves them (lists need no join).
    amount_requested: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    safeguarding_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    # Answers to the form's questions other than the core ones (which are the columns above),
    # keyed by question id (fund/forms_def/validate.py).
    answers: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    # The language the applicant writes the proposal in, one of its call's languages.
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # A two-stage call's concept note: the answers to the call's concept-note questions while
    # drafting (keyed by question id), and the note as submitted, frozen with the form it was
    # answered against (fund/proposals/concept.py), so the full proposal can show it read-only.
    concept_answers: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    concept_note: Mapped[dict | None] = mapped_column(JSON)
    concept_submitted_at: Mapped[datetime | None] = timestamp()
    # Optimistic locking: a save names the version it started from; a newer one refuses it.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = timestamp(default=utcnow)
    submitted_at: Mapped[datetime | None] = timestamp()
    # The answer to an "Ask for more information" is due by then (overdue after it).
    information_due_at: Mapped[datetime | None] = timestamp()
    # When the retention schedule removed its texts, answers and files (fund/admin/retention.py).
    redacted_at: Mapped[datetime | None] = timestamp()
    # The income classification eligibility was judged on, recorded at submission.
    income_group: Mapped[str | None] = mapped_column(String(12))
    income_list_id: Mapped[int | None] = mapped_column(
        ForeignKey("income_group_lists.id", ondelete="SET NULL")
    )

    call = relationship("Call")
    organisation = relationship("Organisation")
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="BudgetLine.position"
    )
    versions: Mapped[list[ProposalVersion]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalVersion.number"
    )
    attachments: Mapped[list[ProposalAttachment]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalAttachment.id"
    )
    safeguarding_file = relationship("StoredFile", foreign_keys=[safeguarding_file_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    @property
    def planned_activities(self) -> str:
        """The answer to the standard form's "Activities" question (a grant's reports start
        from it); "" when the call's form does not ask it."""
        value = (self.answers or {}).get(STANDARD_TEXT_IDS["activities"])
        return value if isinstance(value, str) else ""


class BudgetLine(db.Model):
    """One line of a proposal's budget."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        enum_check("category", BudgetCategory),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = enum_column(BudgetCategory)
    description: Mapped[str] = mapped_column(String(300), default="")
    amount: Mapped[Decimal] = mapped_column(MONEY)

    proposal: Mapped[Proposal] = relationship(back_populates="budget_lines")


class ProposalVersion(db.Model):
    """A frozen copy of a proposal as submitted (or resubmitted); never changed afterwards."""

    __tablename__ = "proposal_versions"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="versions")
    created_by = relationship("User")


class ProposalAttachment(db.Model):
    """A supporting file attached to a proposal."""

    __tablename__ = "proposal_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(200), default="")

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")
    file = relationship("StoredFile")


class ReferenceCounter(db.Model):
    """The last proposal number given out in a year (INS-<year>-<number>)."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class FormStash(db.Model):
    """What a user typed into a form when the session or its CSRF token had expired.

    Kept for a day under a random key held in the user's session cookie, and put back into the
    form once the user has logged in again, so nothing typed is lost.
    """

    __tablename__ = "form_stashes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = timestamp(default=utcnow)
