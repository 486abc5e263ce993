"""Broadcasts: one message from the secretariat to an audience (applicants with drafts in a
call, organisations that submitted to a call, a call's reviewers, every active grantee).

The text is given per language (the fund's default language at least); each recipient gets it
in their own language where it is given, else in the default one. Messages go through the
outbox; one audit row keeps the audience, the count and the subject. Flushes; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fund import audit
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import (
    AuditEvent,
    Call,
    Grant,
    GrantState,
    Membership,
    Proposal,
    ProposalState,
    Review,
    User,
)
from fund.notifications import queue_email

AUDIENCES = {
    "drafts": _l("Applicants with a draft in the call"),
    "submitted": _l("Organisations that submitted to the call"),
    "reviewers": _l("Reviewers of the call"),
    "grantees": _l("Every active grantee"),
}
CALL_AUDIENCES = ("drafts", "submitted", "reviewers")


@dataclass
class Text:
    """A broadcast's subject and body in one language."""

    subject: str
    body: str


def _members_of(organisations) -> Any:
    return select(Membership.user_id).where(Membership.organisation_id.in_(organisations))


def recipient_query(audience: str, call: Call | None):
    """The active people in `audience` (of `call` for the call audiences), each once."""
    if audience == "drafts":
        organisations = select(Proposal.organisation_id).where(
            Proposal.call_id == call.id, Proposal.state == ProposalState.DRAFT
        )
        ids = _members_of(organisations)
    elif audience == "submitted":
        organisations = select(Proposal.organisation_id).where(
            Proposal.call_id == call.id, Proposal.submitted_at.is_not(None)
        )
        ids = _members_of(organisations)
    elif audience == "reviewers":
        ids = (
            select(Review.reviewer_id)
            .join(Proposal, Proposal.id == Review.proposal_id)
            .where(Proposal.call_id == call.id, Review.removed_at.is_(None))
        )
    else:
        ids = _members_of(select(Grant.organisation_id).where(Grant.state == GrantState.ACTIVE))
    return select(User).where(User.id.in_(ids), User.active.is_(True)).order_by(User.id)


def recipients(audience: str, call: Call | None) -> list[User]:
    """The people a broadcast to `audience` reaches now, in one query."""
    return list(db.session.scalars(recipient_query(audience, call)))


def text_for(user: User, texts: dict[str, Text], default: str) -> tuple[str, Text]:
    """The language and text `user` receives: their own language if given, else the default."""
    language = user.locale if user.locale in texts else default
    return language, texts[language]


def audience_label(audience: str, call: Call | None) -> str:
    """The audience as the secretariat reads it (with the call's title for a call audience)."""
    label = str(AUDIENCES[audience])
    return f"{label}: {call.title}" if call is not None else label


def send(
    audience: str, call: Call | None, texts: dict[str, Text], default: str, actor: User
) -> int:
    """Queue the broadcast to every recipient in their language; returns how many."""
    people = recipients(audience, call)
    for person in people:
        language, text = text_for(person, texts, default)
        queue_email(person, "broadcast", locale=language, headline=text.subject, body=text.body)
    languages = ", ".join(sorted(texts))
    audit.record(
        "call" if call is not None else "user",
        call.id if call is not None else actor.id,
        "broadcast",
        actor=actor,
        comment=f"{audience_label(audience, call)} ({len(people)} recipients; {languages}): "
        f"{texts[default].subject}",
    )
    db.session.flush()
    return len(people)


def past_broadcasts(limit: int = 100) -> list[AuditEvent]:
    """The latest broadcasts, newest first, with who sent them (one query)."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .options(joinedload(AuditEvent.actor))
            .where(AuditEvent.action == "broadcast")
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
