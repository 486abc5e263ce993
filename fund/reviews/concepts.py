"""A two-stage call's concept notes: the list the secretariat and the chairs screen, and the two
decisions on a note (invite a full proposal, or decline), each with its letter.

Services flush, never commit; the letters are queued in the caller's transaction and go after
its commit (fund/outbox.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from fund import permissions, workflow
from fund.decisions import letters
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import Call, OutgoingMessage, Proposal, ProposalState
from fund.notifications import organisation_members, public_url
from fund.reads import read

PAGE_SIZE = 50
P = ProposalState
# The list's filter: the notes waiting, those invited, those declined, or every one submitted.
FILTERS = {
    "waiting": ((P.CONCEPT_SUBMITTED,), _l("Waiting for a decision")),
    "invited": ((P.INVITED,), _l("Invited (full proposal in draft)")),
    "declined": ((P.CONCEPT_DECLINED,), _l("Declined")),
    "all": ((), _l("All concept notes submitted")),
}


def _calls_with_concepts_statement(hiding: bool):
    """See `calls_with_concepts`; with `hiding`, the organisations bound as `hidden` are left
    out of the counts."""
    waiting = (
        select(func.count(Proposal.id))
        .where(Proposal.call_id == Call.id, Proposal.state == P.CONCEPT_SUBMITTED)
        .correlate(Call)
    )
    if hiding:
        waiting = waiting.where(
            Proposal.organisation_id.not_in(bindparam("hidden", expanding=True))
        )
    return (
        select(Call.id, Call.title, waiting.scalar_subquery().label("waiting"))
        .where(Call.two_stage.is_(True), Call.published_at.is_not(None))
        .order_by(Call.closes_at.desc(), Call.id.desc())
    )


# Built once per process, the hidden organisations bound when run: SQLAlchemy keeps each one's
# cache key and compiled form (the dashboard reads this on every view).
_CALLS_WITH_CONCEPTS = {hiding: _calls_with_concepts_statement(hiding) for hiding in (False, True)}


def calls_with_concepts(user: Any) -> list[tuple[Any, int]]:
    """Each two-stage call (its id and title: the dashboard shows no more), newest first, with
    how many of its concept notes wait for a decision (those of organisations `user` is
    conflicted with left out): one query."""
    hidden = permissions.organisations_hidden_from(user)
    statement = _CALLS_WITH_CONCEPTS[bool(hidden)]
    rows = read(statement, {"hidden": list(hidden)} if hidden else {}).all()
    return [(row, row.waiting) for row in rows]


def concept_page(call: Call, user: Any, *, which: str = "waiting", page: int = 1):
    """One page of the call's submitted concept notes, oldest first, organisation loaded with
    each (two queries however many notes); notes of organisations `user` is conflicted with are
    left out, as on every list."""
    query = (
        select(Proposal)
        .options(joinedload(Proposal.organisation))
        .where(Proposal.call_id == call.id, Proposal.concept_submitted_at.is_not(None))
        .order_by(Proposal.concept_submitted_at, Proposal.id)
    )
    states = FILTERS[which][0]
    if states:
        query = query.where(Proposal.state.in_([s.value for s in states]))
    hidden = permissions.organisations_hidden_from(user)
    if hidden:
        query = query.where(Proposal.organisation_id.not_in(hidden))
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def invite(proposal: Proposal, actor: Any, message: str, now: datetime) -> None:
    """Shortlist the concept note: the organisation may now write its full proposal (which
    starts with the note's answers); the invitation letter is queued to its members."""
    workflow.transition(proposal, "shortlist", actor, comment=message, now=now)
    send_letter(proposal, letters.CONCEPT_INVITED, message)


def decline(proposal: Proposal, actor: Any, reason: str, now: datetime) -> None:
    """Decline the concept note with a reason (the workflow refuses an empty one); the letter
    carrying it is queued to the organisation's members."""
    workflow.transition(proposal, "decline_concept", actor, comment=reason, now=now)
    send_letter(proposal, letters.CONCEPT_DECLINED, reason)


def send_letter(proposal: Proposal, outcome: str, reasons: str) -> list[OutgoingMessage]:
    """Queue the concept-stage letter (the call's own text, else the built-in one in each
    member's language) to each active member of the organisation."""
    messages = []
    link = public_url("proposals.detail", proposal_id=proposal.id)
    for member in organisation_members(proposal.organisation_id):
        # On a call in several languages, the proposal's language (as the decision letters).
        locale = letters.letter_language(proposal, [member])
        subject, text = letters.compose(proposal, outcome, None, reasons, locale)
        with force_locale(locale):
            context = {"recipient": None, "subject": subject, "letter_text": text, "link": link}
            message = OutgoingMessage(
                recipient=member.email,
                subject=subject,
                body_text=render_template("email/concept_letter.txt", **context),
                body_html=render_template("email/concept_letter.html", **context),
                event=outcome,
                dedupe_key=f"{outcome}:{proposal.id}:{member.id}",
            )
        db.session.add(message)
        messages.append(message)
    db.session.flush()
    db.session.info.setdefault("outbox", []).extend(m.id for m in messages)
    return messages
