"""World Bank income groups: the lists loaded, their rows, and single-country overrides."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class IncomeGroup(StrEnum):
    LOW = "LIC"
    LOWER_MIDDLE = "LMC"
    UPPER_MIDDLE = "UMC"
    HIGH = "HIC"
    UNCLASSIFIED = "unclassified"


LMIC_GROUPS = frozenset({IncomeGroup.LOW, IncomeGroup.LOWER_MIDDLE, IncomeGroup.UPPER_MIDDLE})


class IncomeGroupList(db.Model):
    """One loaded classification for one fiscal year; the newest for a year is current."""

    __tablename__ = "income_group_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[str] = mapped_column(String(6), index=True)  # e.g. FY2027
    source: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = timestamp(default=utcnow)
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    entries: Mapped[list[IncomeGroupEntry]] = relationship(
        back_populates="income_list", cascade="all, delete-orphan"
    )
    loaded_by = relationship("User")


class IncomeGroupEntry(db.Model):
    """The income group of one economy in one list."""

    __tablename__ = "income_group_entries"
    __table_args__ = (
        UniqueConstraint("list_id", "country_code"),
        enum_check("income_group", IncomeGroup),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("income_group_lists.id", ondelete="CASCADE"), index=True
    )
    country_code: Mapped[str] = mapped_column(String(2))  # ISO alpha-2 (XK for Kosovo)
    income_group: Mapped[str] = enum_column(IncomeGroup)

    income_list: Mapped[IncomeGroupList] = relationship(back_populates="entries")


class IncomeGroupOverride(db.Model):
    """An administrator's correction for one country in one fiscal year, with its reason."""

    __tablename__ = "income_group_overrides"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "country_code"),
        enum_check("income_group", IncomeGroup),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[str] = mapped_column(String(6))
    country_code: Mapped[str] = mapped_column(String(2))
    income_group: Mapped[str] = enum_column(IncomeGroup)
    reason: Mapped[str] = mapped_column(String(500))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = timestamp(default=utcnow)

    set_by = relationship("User")
