"""Column helpers shared by the models."""

import enum
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


# Enums are stored as their string values; templates compare members, not strings.
StrEnum = enum.StrEnum


def enum_column(enum_cls: type[StrEnum], **kwargs):
    """A string column holding one member of `enum_cls` (its CHECK is added by `enum_check`)."""
    length = max(len(member.value) for member in enum_cls)
    return mapped_column(String(length), **kwargs)


def enum_check(column: str, enum_cls: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """A CHECK constraint keeping `column` inside the values of `enum_cls`."""
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_valid")


class UTCDateTime(TypeDecorator):
    """Stores UTC and always gives back an aware UTC datetime, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def timestamp(**kwargs):
    """A timezone-aware UTC timestamp column."""
    return mapped_column(UTCDateTime(), **kwargs)
