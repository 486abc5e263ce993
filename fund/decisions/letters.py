"""Decision letters: the call's template for the outcome, filled in, stored and mailed.

A letter carries what the applicant may know: the organisation, the title, the reference, the
amount, the chairs' reasons and the reviewers' comments for the applicant (numbered, never
named). Scores, reviewer names and confidential comments are never among its placeholders.
"""

from __future__ import annotations

import re
from typing import Any

from flask import render_template
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from fund.extensions import db
from fund.forms_def.localise import LocalCall
from fund.i18n import lazy_gettext as _l
from fund.models import Decision, DecisionOutcome, OutgoingMessage, Proposal, Review
from fund.money import money
from fund.notifications import organisation_members, public_url

PLACEHOLDERS = (
    "organisation",
    "title",
    "reference",
    "amount",
    "currency",
    "reasons",
    "reviewer_comments",
    "deadline",
)

# The letters of a two-stage call's concept stage, stored and overridden like the decision
# letters (calls.letter_templates), under these names.
CONCEPT_INVITED = "concept_invited"
CONCEPT_DECLINED = "concept_declined"
CONCEPT_LETTERS = {
    CONCEPT_INVITED: (
        _l("Your concept note {reference}: please submit a full proposal"),
        _l(
            "Dear colleagues at {organisation},\n\n"
            'We are pleased to tell you that your concept note "{title}" ({reference}) has '
            "been shortlisted. We invite you to submit a full proposal before {deadline}.\n\n"
            "{reasons}\n\n"
            "Open the proposal from your dashboard: it starts with your concept note's answers."
        ),
    ),
    CONCEPT_DECLINED: (
        _l("Decision on your concept note {reference}"),
        _l(
            "Dear colleagues at {organisation},\n\n"
            'Thank you for sending the concept note "{title}" ({reference}). We are sorry to '
            "tell you that it has not been shortlisted in this call.\n\nThe reasons:\n\n"
            "{reasons}"
        ),
    ),
}

DEFAULT_LETTERS = {
    DecisionOutcome.AWARD: (
        _l("Your proposal {reference} has been awarded a grant"),
        _l(
            "Dear colleagues at {organisation},\n\n"
            'We are pleased to tell you that the INSPIRE Fund will support "{title}" '
            "({reference}) with a grant of {amount} {currency}.\n\n{reasons}\n\n"
            "Comments from the reviewers:\n\n{reviewer_comments}\n\n"
            "The grant agreement is ready for you to read and accept in your dashboard."
        ),
    ),
    DecisionOutcome.DECLINE: (
        _l("Decision on your proposal {reference}"),
        _l(
            "Dear colleagues at {organisation},\n\n"
            'Thank you for submitting "{title}" ({reference}). We are sorry to tell you that '
            "the INSPIRE Fund cannot support it in this call.\n\nThe chairs' reasons:\n\n"
            "{reasons}\n\nComments from the reviewers:\n\n{reviewer_comments}"
        ),
    ),
    DecisionOutcome.REQUEST_REVISION: (
        _l("Please revise your proposal {reference}"),
        _l(
            "Dear colleagues at {organisation},\n\n"
            'The chairs have read "{title}" ({reference}) and ask you to revise it before they '
            "decide.\n\nWhat must change:\n\n{reasons}\n\n"
            "Comments from the reviewers:\n\n{reviewer_comments}\n\n"
            "Open the proposal from your dashboard, make the changes and resubmit it."
        ),
    ),
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace each {name} the letter knows; anything else in braces is left as written.

    One pass, so braces typed inside a value (the reasons) are never expanded in their turn.
    """
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def placeholder_problem(template: str) -> str | None:
    """Why `fill` would not render `template` as meant, or None: an unknown {name}, or a brace
    outside a placeholder (which `fill` would leave in the letter as typed)."""
    spans = []
    for match in _PLACEHOLDER.finditer(template):
        if match.group(1) not in PLACEHOLDERS:
            return _(
                "Unknown placeholder %(placeholder)s. The placeholders are: %(known)s.",
                placeholder=match.group(0),
                known=placeholder_list(),
            )
        spans.append(match.span())
    position = 0
    for start, end in [*spans, (len(template), len(template))]:
        stray = re.search(r"[{}]", template[position:start])
        if stray:
            at = position + stray.start()
            return _(
                "A brace that is not part of a placeholder, at “%(text)s”. Write each "
                "placeholder as a name between braces, e.g. {title}; braces cannot be used "
                "otherwise.",
                text=template[max(0, at - 12) : at + 13],
            )
        position = end
    return None


def placeholder_list() -> str:
    """The placeholders as the secretariat writes them: "{organisation}, {title}, ..."."""
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def default_letter(outcome: str) -> tuple[str, str]:
    """The built-in (subject, body) for `outcome` (a decision or a concept-stage letter), in
    the current locale."""
    if outcome in CONCEPT_LETTERS:
        subject, body = CONCEPT_LETTERS[outcome]
    else:
        subject, body = DEFAULT_LETTERS[DecisionOutcome(outcome)]
    return str(subject), str(body)


def reviewer_comments(proposal: Proposal) -> str:
    """The latest round's comments for the applicant, numbered in the order reviews came in."""
    latest = (
        select(db.func.max(Review.round))
        .where(Review.proposal_id == proposal.id, Review.submitted_at.is_not(None))
        .scalar_subquery()
    )
    comments = db.session.scalars(
        select(Review.comments_for_applicant)
        .where(
            Review.proposal_id == proposal.id,
            Review.round == latest,
            Review.submitted_at.is_not(None),
            Review.removed_at.is_(None),
            Review.conflict_declared_at.is_(None),
        )
        .order_by(Review.submitted_at, Review.id)
    ).all()
    texts = [c.strip() for c in comments if c and c.strip()]
    if not texts:
        return str(_l("(No comments for the applicant.)"))
    return "\n\n".join(
        str(_l("Reviewer %(n)d:", n=n)) + "\n" + text for n, text in enumerate(texts, start=1)
    )


def letter_language(proposal: Proposal, members: list) -> str:
    """The language of the letter: the proposal's, on a call given in several languages (the
    applicant chose it); else the first member's, as the built-in letters come in every one."""
    if len(proposal.call.languages or []) > 1 or not members:
        return proposal.language or proposal.call.main_language
    return members[0].locale or "en"


def template_for(proposal: Proposal, outcome: str) -> tuple[str, str]:
    """The call's (subject, body) for `outcome` in the proposal's language (its main
    language's where not translated), or the built-in letter."""
    call = LocalCall(proposal.call, proposal.language or proposal.call.main_language)
    custom = (call.letter_templates or {}).get(outcome) or {}
    subject, body = default_letter(outcome)
    return custom.get("subject") or subject, custom.get("body") or body


def compose(
    proposal: Proposal, outcome: str, amount: Any, reasons: str, locale: str = "en"
) -> tuple[str, str]:
    """The letter's subject and text, in `locale` where the built-in letter is used."""
    with force_locale(locale):
        subject, body = template_for(proposal, outcome)
        values = {
            "organisation": proposal.organisation.name,
            "title": proposal.title,
            "reference": proposal.reference or f"#{proposal.id}",
            # the figure alone: the call's own letter places {currency} beside it
            "amount": money(amount, proposal.call.currency, symbol=False),
            "currency": proposal.call.currency,
            "reasons": reasons.strip(),
            "reviewer_comments": reviewer_comments(proposal),
            "deadline": format_datetime(proposal.call.closes_at, "medium"),
        }
        return fill(subject, values).replace("\n", " ")[:300], fill(body, values)


def send_letter(decision: Decision, proposal: Proposal) -> list[OutgoingMessage]:
    """Queue the letter to each active member of the organisation (after the commit it goes)."""
    messages = []
    event = f"decision_{decision.outcome}"
    link = public_url("decisions.letter", decision_id=decision.id)
    for member in organisation_members(proposal.organisation_id):
        with force_locale(member.locale or "en"):
            context = {
                "recipient": None,
                "decision": decision,
                "proposal": proposal,
                "subject": decision.letter_subject,
                "link": link,
            }
            message = OutgoingMessage(
                recipient=member.email,
                subject=decision.letter_subject,
                body_text=render_template(f"email/{event}.txt", **context),
                body_html=render_template(f"email/{event}.html", **context),
                event=event,
                dedupe_key=f"{event}:{decision.id}:{member.id}",
            )
        db.session.add(message)
        messages.append(message)
    db.session.flush()
    db.session.info.setdefault("outbox", []).extend(m.id for m in messages)
    return messages
