"""The texts people accept: the privacy notice, and the reviewers' confidentiality undertaking.

Each is versioned: the secretariat publishes a new version (its text in each language), and a
version is never changed afterwards, so an acceptance always names the exact words accepted.
Before any version is published the app's own text counts as version 0.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class PolicyKind(StrEnum):
    PRIVACY = "privacy"
    REVIEWER_UNDERTAKING = "reviewer_undertaking"


class PolicyVersion(db.Model):
    """One published version of a policy: its text per language code."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("kind", "number"), enum_check("kind", PolicyKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = enum_column(PolicyKind)
    number: Mapped[int] = mapped_column(Integer)
    texts: Mapped[dict] = mapped_column(JSON)  # {"en": "...", "fr": "..."}
    published_at: Mapped[datetime] = timestamp(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PolicyAcceptance(db.Model):
    """A person accepted version `number` of a policy (0: the app's own text)."""

    __tablename__ = "policy_acceptances"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "number"),
        enum_check("kind", PolicyKind),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = enum_column(PolicyKind)
    number: Mapped[int] = mapped_column(Integer)
    accepted_at: Mapped[datetime] = timestamp(default=utcnow)
