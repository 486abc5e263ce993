"""Writes of the safeguarding channel. Flushes, never commits; the state moves through
fund/workflow/. No audit row or e-mail carries what a concern says: the audit log is read by
admins, and e-mail leaves the app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fund import workflow
from fund.extensions import db
from fund.models import Grant, Role, SafeguardingAction, SafeguardingConcern
from fund.notifications import public_url, queue_email, users_with_role


def report(
    reporter: Any, about: str, description: str, grant: Grant | None, now: datetime
) -> SafeguardingConcern:
    """Record a concern; the reporter is thanked and the leads told that one came (by e-mail,
    with a link and nothing of its content)."""
    concern = SafeguardingConcern(
        reporter_id=reporter.id,
        grant_id=grant.id if grant is not None else None,
        about=about.strip(),
        description=description.strip(),
        created_at=now,
    )
    db.session.add(concern)
    db.session.flush()
    queue_email(reporter, "concern_received", number=concern.id)
    for lead in users_with_role(Role.SAFEGUARDING_LEAD):
        queue_email(
            lead,
            "concern_reported",
            number=concern.id,
            link=public_url("safeguarding.detail", concern_id=concern.id),
        )
    return concern


def add_action(concern: SafeguardingConcern, lead: Any, note: str, now: datetime) -> None:
    """A lead's note on what was done."""
    db.session.add(
        SafeguardingAction(
            concern_id=concern.id, author_id=lead.id, note=note.strip(), created_at=now
        )
    )
    db.session.flush()


def close(concern: SafeguardingConcern, lead: Any, outcome: str, now: datetime) -> None:
    """Close the concern with its outcome (kept on the concern, not in the audit log)."""
    workflow.transition(concern, "close", lead, now=now, outcome=outcome)
    concern.outcome = outcome.strip()
    concern.closed_at = now
    db.session.flush()


def reopen(concern: SafeguardingConcern, lead: Any, now: datetime) -> None:
    workflow.transition(concern, "reopen", lead, now=now)
    concern.closed_at = None
    db.session.flush()
