"""Amendments to a grant: a no-cost extension, a budget reallocation, a new tranche schedule.

An amendment keeps what was asked (`proposed`) and, once approved, the grant's values before
and after the change (`before`, `after`), so that every version of the grant can be read back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class AmendmentState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class AmendmentKind(StrEnum):
    EXTENSION = "extension"  # a later end date, the remaining reports moved with it
    REALLOCATION = "reallocation"  # amounts moved between budget lines, total unchanged
    TRANCHES = "tranches"  # percentages and dates of the unpaid tranches, total unchanged


class GrantAmendment(db.Model):
    """One request to change a grant, by its grantee or the secretariat."""

    __tablename__ = "grant_amendments"
    __table_args__ = (enum_check("state", AmendmentState), enum_check("kind", AmendmentKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = enum_column(AmendmentKind)
    state: Mapped[str] = enum_column(
        AmendmentState, default=AmendmentState.REQUESTED.value, index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = timestamp(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    proposed: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    before: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    after: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = timestamp()
    decision_comment: Mapped[str] = mapped_column(Text, default="", server_default="")

    grant = relationship("Grant")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def organisation_id(self) -> int:
        """The grantee organisation: its members act on the amendment as applicants."""
        return self.grant.organisation_id
