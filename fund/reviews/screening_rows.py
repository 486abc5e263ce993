"""The screening list's rows, worked out in Python for a page at once.

The list was the slowest busy page: per row the template called half a dozen helpers (the
workflow's allowed actions, the state's label, the country's name, the amount, three
translations with the row's title in them), each a Jinja call. Here each label or format is
worked out once per distinct value on the page and the allowed actions once for the page
(`workflow.allowed_actions_of`); the template only writes the texts out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from fund import workflow
from fund.countries import country_name
from fund.messages.queries import is_overdue
from fund.models import Call, Proposal
from fund.money import money
from fund.reviews.queries import has_review_stage


@dataclass(frozen=True, slots=True)
class ScreeningRow:
    """What one row of the screening list shows besides the proposal's own columns."""

    proposal: Proposal
    country: str
    language: str
    amount: str
    state: str
    information_overdue: bool
    reviews: str  # "2 of 3 submitted", or "–" before any assignment
    can_screen_in: bool
    can_screen_out: bool
    has_review: bool
    screen_in_label: Markup  # the buttons' accessible names, with the proposal's title
    screen_out_label: Markup


def screening_rows(
    proposals: list[Proposal],
    call: Call,
    viewer: Any,
    counts: dict[int, tuple[int, int]],
    now: datetime,
) -> list[ScreeningRow]:
    """The rows of one page of `call`'s screening list as `viewer` sees them at `now`;
    `counts` is `queries.reviewer_counts` of the page (assigned, submitted) per proposal."""
    languages = current_app.config["LANGUAGES"]
    # Translated once; like the template's `_()`, the translation is trusted markup and the
    # title put into it is escaped.
    screen_in = Markup(_("Screen in %(title)s"))
    screen_out = Markup(_("Screen out %(title)s"))
    countries: dict[str | None, str] = {}
    states: dict[str, str] = {}
    amounts: dict[Any, str] = {}
    reviews: dict[tuple[int, int], str] = {}
    rows = []
    actions = workflow.allowed_actions_of(proposals, viewer)
    for proposal, allowed in zip(proposals, actions, strict=True):
        code = proposal.organisation.country_code
        if code not in countries:
            countries[code] = country_name(code)
        if proposal.state not in states:
            states[proposal.state] = workflow.state_label(proposal.state)
        amount = proposal.amount_requested
        if amount not in amounts:
            amounts[amount] = money(amount, call.currency)
        assigned, done = counts.get(proposal.id, (0, 0))
        if (assigned, done) not in reviews:
            reviews[assigned, done] = (
                _("%(done)d of %(assigned)d submitted", done=done, assigned=assigned)
                if assigned
                else "–"
            )
        offered = {t.action for t in allowed}
        title = {"title": proposal.title}
        rows.append(
            ScreeningRow(
                proposal=proposal,
                country=countries[code],
                language=languages.get(proposal.language, proposal.language),
                amount=amounts[amount],
                state=states[proposal.state],
                information_overdue=is_overdue(proposal, now),
                reviews=reviews[assigned, done],
                can_screen_in="screen_in" in offered,
                can_screen_out="screen_out" in offered,
                has_review=has_review_stage(proposal),
                screen_in_label=screen_in % title,
                screen_out_label=screen_out % title,
            )
        )
    return rows
