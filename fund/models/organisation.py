"""Applicant organisations and their members."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class OrganisationType(StrEnum):
    NGO = "ngo"
    COMMUNITY_BASED = "community_based"
    FAITH_BASED = "faith_based"
    ACADEMIC = "academic"
    GOVERNMENT = "government"
    OTHER = "other"


class BudgetBand(StrEnum):
    """Annual budget in US dollars, in bands so small organisations need not disclose more."""

    UNDER_50K = "under_50k"
    FROM_50K_TO_250K = "50k_250k"
    FROM_250K_TO_1M = "250k_1m"
    OVER_1M = "over_1m"


class Organisation(db.Model):
    """A civil-society organisation that applies for grants."""

    __tablename__ = "organisations"
    __table_args__ = (
        enum_check("org_type", OrganisationType),
        enum_check("budget_band", BudgetBand),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country_code: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    org_type: Mapped[str] = enum_column(OrganisationType)
    registration_scheme: Mapped[str | None] = mapped_column(String(40))  # org-id style, e.g. KE-NGO
    registration_number: Mapped[str | None] = mapped_column(String(80))
    website: Mapped[str | None] = mapped_column(String(300))
    budget_band: Mapped[str] = enum_column(BudgetBand)
    # use_alter: organisations and stored files refer to each other.
    safeguarding_policy_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL", use_alter=True)
    )
    safeguarding_review_date: Mapped[date | None] = mapped_column(Date)
    safeguarding_focal_point: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    safeguarding_policy_file = relationship(
        "StoredFile", foreign_keys=[safeguarding_policy_file_id]
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


class Membership(db.Model):
    """A user belonging to an organisation."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = timestamp(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user = relationship("User")
