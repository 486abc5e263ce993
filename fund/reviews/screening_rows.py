"""The screening list's rows, worked out in Python for a page at once.

The list was the slowest busy page: per row the template called half a dozen helpers (the
workflow's allowed actions, the state's label, the country's name, the amount, three
translations with the row's title in them), each a Jinja call. Here each label or format is
worked out once per distinct value on the page and the allowed actions once for the page
(`workflow.allowed_actions_of`, on the page's plain rows); the template only writes the texts
out.
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
from fund.models import Call
from fund.money import money
from fund.reviews.queries import has_review_stage
from fund.templating import id_url


@dataclass(frozen=True, slots=True)
class ScreeningRow:
    """What one row of the screening list shows, ready to write out."""

    id: int
    reference: str | None
    title: str
    organisation: str
    country: str
    language: str
    amount: str
    state: str
    information_overdue: bool
    reviews: str  # "2 of 3 submitted", or "–" before any assignment
    url: str  # the proposal's page
    screen_in_url: str | None  # each action's address when the viewer may take it, else None
    screen_out_url: str | None
    assignments_url: str | None  # from review on
    screen_in_label: Markup | None  # the actions' accessible names, with the proposal's title
    screen_out_label: Markup | None


def screening_rows(
    proposals: list[Any],
    call: Call,
    viewer: Any,
    counts: dict[int, tuple[int, int]],
    now: datetime,
) -> list[ScreeningRow]:
    """The rows of one page of `call`'s screening list as `viewer` sees them at `now`:
    `proposals` are `queries.screening_page`'s plain rows, `counts` is
    `queries.reviewer_counts` of the page (assigned, submitted) per proposal."""
    languages = current_app.config["LANGUAGES"]
    # Translated once; like the template's `_()`, the translation is trusted markup and the
    # title put into it is escaped.
    screen_in = Markup(_("Screen in %(title)s"))
    screen_out = Markup(_("Screen out %(title)s"))
    detail_url = id_url("proposals.detail", "proposal_id")
    screen_in_url = id_url("screening.screen_in", "proposal_id")
    screen_out_url = id_url("screening.screen_out", "proposal_id")
    assignments_url = id_url("screening.assignments", "proposal_id")
    countries: dict[str | None, str] = {}
    states: dict[str, str] = {}
    amounts: dict[Any, str] = {}
    reviews: dict[tuple[int, int], str] = {}
    rows = []
    actions = workflow.allowed_actions_of(proposals, viewer, workflow.PROPOSAL)
    for proposal, allowed in zip(proposals, actions, strict=True):
        code = proposal.country_code
        if code not in countries:
            countries[code] = country_name(code)
        state = proposal.state
        if state not in states:
            states[state] = workflow.state_label(state)
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
        in_, out = "screen_in" in offered, "screen_out" in offered
        number, title = proposal.id, proposal.title
        rows.append(
            ScreeningRow(
                id=number,
                reference=proposal.reference,
                title=title,
                organisation=proposal.organisation,
                country=countries[code],
                language=languages.get(proposal.language, proposal.language),
                amount=amounts[amount],
                state=states[state],
                information_overdue=is_overdue(proposal, now),
                reviews=reviews[assigned, done],
                url=detail_url(number),
                screen_in_url=screen_in_url(number) if in_ else None,
                screen_out_url=screen_out_url(number) if out else None,
                assignments_url=assignments_url(number) if has_review_stage(proposal) else None,
                screen_in_label=screen_in % {"title": title} if in_ else None,
                screen_out_label=screen_out % {"title": title} if out else None,
            )
        )
    return rows
