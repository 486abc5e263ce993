"""Calls for proposals (funding rounds) and the criteria of their rubric."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.forms_def.standard import standard_proposal_form
from fund.models.base import StrEnum, timestamp, utcnow

MONEY = Numeric(14, 2)


class Strategy(StrEnum):
    """The seven INSPIRE strategies and the two cross-cutting activities."""

    LAWS = "laws"
    NORMS = "norms"
    SAFE_ENVIRONMENTS = "safe_environments"
    PARENT_SUPPORT = "parent_support"
    INCOME = "income"
    RESPONSE_SERVICES = "response_services"
    EDUCATION = "education"
    MULTISECTORAL = "multisectoral"
    MONITORING = "monitoring"


CROSS_CUTTING = frozenset({Strategy.MULTISECTORAL, Strategy.MONITORING})


class Call(db.Model):
    """A funding round. Times are stored in UTC and shown in each user's time zone."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("min_award > 0 AND max_award >= min_award", name="award_range"),
        CheckConstraint("budget_envelope >= max_award", name="envelope_covers_max"),
        CheckConstraint("max_duration_months BETWEEN 1 AND 60", name="duration_range"),
        CheckConstraint("reviewers_per_proposal BETWEEN 1 AND 10", name="reviewers_range"),
        CheckConstraint("chair_approvals_needed BETWEEN 1 AND 5", name="approvals_range"),
        CheckConstraint("disagreement_threshold BETWEEN 0 AND 100", name="threshold_range"),
        CheckConstraint(
            "reallocation_threshold_percent BETWEEN 0 AND 100", name="reallocation_range"
        ),
        # A two-stage call takes concept notes until its concept deadline, then full proposals
        # from the invited organisations until it closes.
        CheckConstraint(
            "NOT two_stage OR (concept_closes_at > opens_at AND concept_closes_at < closes_at)",
            name="concept_deadline_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = timestamp()
    closes_at: Mapped[datetime] = timestamp()
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")  # the zone times were set in
    published_at: Mapped[datetime | None] = timestamp()
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    budget_envelope: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("200000"))
    min_award: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("5000"))
    max_award: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("50000"))
    max_duration_months: Mapped[int] = mapped_column(Integer, default=18)
    eligible_income_groups: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: ["LIC", "LMC", "UMC"]
    )
    unclassified_eligible: Mapped[bool] = mapped_column(default=False)
    eligible_org_types: Mapped[list[str]] = mapped_column(
        JSON,
        default=lambda: ["ngo", "community_based", "faith_based", "academic", "other"],
    )
    strategies: Mapped[list[str]] = mapped_column(JSON, default=lambda: [s.value for s in Strategy])
    fiscal_year: Mapped[str] = mapped_column(String(6), default="FY2027")
    reviewers_per_proposal: Mapped[int] = mapped_column(Integer, default=3)
    chair_approvals_needed: Mapped[int] = mapped_column(Integer, default=1)
    # [{"percent": 80, "condition": "signature"}, {"percent": 20, "condition": "final_report"}]
    tranche_template: Mapped[list[dict]] = mapped_column(
        JSON,
        default=lambda: [
            {"percent": 80, "condition": "signature"},
            {"percent": 20, "condition": "final_report"},
        ],
    )
    # [{"kind": "interim", "months_after_start": 6}, {"kind": "final", "days_after_end": 60}]
    reporting_template: Mapped[list[dict]] = mapped_column(
        JSON,
        default=lambda: [
            {"kind": "interim", "months_after_start": 6},
            {"kind": "final", "days_after_end": 60},
        ],
    )
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    # The ranking flags a proposal when the standard deviation of its reviewers' weighted scores
    # (0-100 points) is above this.
    disagreement_threshold: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal("15"), server_default="15"
    )
    hide_reviewer_names: Mapped[bool] = mapped_column(default=False, server_default=false())
    # {"award": {"subject": "...", "body": "... {organisation} ..."}, ...}; an outcome left out
    # uses the built-in letter of fund/decisions/letters.py.
    letter_templates: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    # The grant agreement's terms with {placeholders} (fund/grants/agreement.py lists them);
    # empty means the built-in terms.
    agreement_template: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What an applicant ticks before submitting (information true, safeguarding policy in force,
    # consent to the call's terms); empty means the built-in text (fund/proposals/declaration.py).
    declaration: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A grantee's budget reallocation moving at most this share of the grant between lines is
    # approved on request; a larger one waits for the secretariat (fund/grants/amendments.py).
    reallocation_threshold_percent: Mapped[int] = mapped_column(
        Integer, default=10, server_default="10"
    )
    # The call's own questions after the fixed ones: a definition of fund/forms_def (sections of
    # questions, checked against its JSON Schema); {} is a form with none.
    proposal_form: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    # The languages the call's own texts are given in (codes of config LANGUAGES, in that order)
    # and the one they are written in on the call itself; the others are in `translations`,
    # {language: {key: text}} keyed as fund/forms_def/localise.py lists them, so the definitions
    # keep their shape and a missing text falls back to the main language's.
    languages: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: ["en"], server_default=text("'[\"en\"]'")
    )
    main_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    # The proposal form: a definition of fund/forms_def (sections of questions, checked against
    # its JSON Schema), the core questions among them; a new call starts from the standard one.
    proposal_form: Mapped[dict] = mapped_column(
        JSON, default=standard_proposal_form, server_default=text("'{}'")
    )
    # The questions of each progress and final report, and of a two-stage call's concept note:
    # definitions in the same format (fund/calls/form_kinds.py names the forms of a call).
    report_form: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    concept_form: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))

    # A two-stage call asks first for concept notes (until concept_closes_at), then invites the
    # organisations shortlisted to submit a full proposal (until closes_at).
    two_stage: Mapped[bool] = mapped_column(default=False, server_default=false())
    concept_closes_at: Mapped[datetime | None] = timestamp()

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Criterion.position"
    )

    def is_open(self, now: datetime) -> bool:
        """Whether proposals may be submitted at `now` (the server's clock)."""
        return self.published_at is not None and self.opens_at <= now < self.closes_at

    def concept_is_open(self, now: datetime) -> bool:
        """Whether concept notes may be submitted at `now` (a two-stage call only)."""
        return (
            self.two_stage
            and self.published_at is not None
            and self.concept_closes_at is not None
            and self.opens_at <= now < self.concept_closes_at
        )

    @property
    def year(self) -> int:
        """The year in proposal references (INS-<year>-0042): the year the call closes."""
        return self.closes_at.year


class Criterion(db.Model):
    """One criterion of a call's rubric; scores are integers 1-5, weights add up to 100."""

    __tablename__ = "criteria"
    __table_args__ = (CheckConstraint("weight BETWEEN 1 AND 100", name="weight_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    guidance: Mapped[str] = mapped_column(Text, default="")  # the criterion's description
    weight: Mapped[int] = mapped_column(Integer)
    # What a score of 1, 2, 3, 4 and 5 means on this criterion, in that order; empty when the
    # secretariat gave none. A list rather than five columns: the form and the snapshot of a call
    # handle it as one value, and a future scale of another length needs no migration.
    levels: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))

    call: Mapped[Call] = relationship(back_populates="criteria")
