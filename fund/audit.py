"""Writing audit rows that are not state changes (fund/workflow/ writes those): downloads of
lists and refused logins, through one function, so every area records them the same way.

Rows are append-only (fund/models/audit.py); these helpers only add them to the session.
"""

from __future__ import annotations

from typing import Any

from fund.extensions import db
from fund.models import AuditEvent, User

COMMENT_MAX = 2000


def record(
    subject_type: str,
    subject_id: int,
    action: str,
    *,
    actor: User | None = None,
    comment: str = "",
) -> AuditEvent:
    """Add one audit row about a subject; the caller commits."""
    event = AuditEvent(
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        actor_id=actor.id if actor is not None else None,
        comment=comment[:COMMENT_MAX],
    )
    db.session.add(event)
    return event


def record_export(actor: User, what: str, fmt: str, rows: int, filters: dict[str, Any]) -> None:
    """A download of a list: who took which list, in which format, how many rows, with which
    filters (the subject is the person who downloaded it, since a list has no row of its own)."""
    chosen = ", ".join(f"{name}={value}" for name, value in sorted(filters.items()) if value)
    record(
        "user",
        actor.id,
        "export",
        actor=actor,
        comment=f"{what} ({fmt.upper()}, {rows} rows){': ' + chosen if chosen else ''}",
    )
