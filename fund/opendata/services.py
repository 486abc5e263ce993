"""Changing whether a grant is named in open data. Flushes, never commits."""

from __future__ import annotations

from fund import audit
from fund.extensions import db
from fund.models import Grant, User


def set_publishing(grant: Grant, published: bool, reason: str, actor: User) -> None:
    """Name the grant in open data, or stop naming it with a reason (kept for the secretariat
    and written in the audit log)."""
    reason = "" if published else reason.strip()
    if grant.published == published and grant.unpublished_reason == reason:
        return
    grant.published, grant.unpublished_reason = published, reason
    audit.record(
        "grant",
        grant.id,
        "publish" if published else "unpublish",
        actor=actor,
        comment=reason,
    )
    db.session.flush()
