"""The screening list's rows, worked out and written out in Python for a page at once.

The list was the slowest busy page: per row the template called half a dozen helpers (the
workflow's allowed actions, the state's label, the country's name, the amount, three
translations with the row's title in them), each a Jinja call, and then wrote some thirty
values a row, each looked up and escaped on its own (two thousand escapes a page). Here each
label or format is worked out and escaped once per distinct value on the page, the allowed
actions once for the page (`workflow.allowed_actions_of`, on the page's plain rows), the fixed
texts (the column names, the buttons, the form's hidden fields) once, and each row is written
with one format. The HTML is the template's own row, as it wrote it (tests/reviews/
test_screening_rows.py holds the two to each other), with tidier blank space between tags.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from fund import workflow
from fund.countries import country_name
from fund.i18n import request_translations
from fund.messages.queries import is_overdue
from fund.models import Call
from fund.money import money
from fund.reviews.queries import ScreeningCall, ScreeningItem, has_review_stage
from fund.templating import id_url


class ScreeningRows:
    """One page of the screening list's rows, written out: `html(offered)` is the table body
    (with the select column when bulk actions are `offered`); empty when nothing matched."""

    def __init__(self, rows: list[tuple[int, Markup, str]], select_label: Markup) -> None:
        self._rows = rows  # (id, escaped title, the row's cells after the select column)
        self._select_label = select_label

    def __len__(self) -> int:
        return len(self._rows)

    def html(self, offered: Any) -> Markup:
        label = self._select_label
        if not offered:
            return Markup("".join(f"\n          <tr>{cells}" for _id, _title, cells in self._rows))
        return Markup(
            "".join(
                f'\n          <tr>\n            <td data-label="{label}"><input type="checkbox"'
                f' id="select-{i}" name="proposal" value="{i}" form="bulk">\n              '
                f'<label for="select-{i}">{label}<span class="visually-hidden"> {title}</span>'
                f"</label></td>{cells}"
                for i, title, cells in self._rows
            )
        )


def screening_rows(
    proposals: list[ScreeningItem],
    call: Call | ScreeningCall,
    viewer: Any,
    counts: dict[int, tuple[int, int]],
    now: datetime,
    hidden_fields: str,
) -> ScreeningRows:
    """The rows of one page of `call`'s screening list as `viewer` sees them at `now`:
    `proposals` are `queries.screening_page`'s items, `counts` is
    `queries.reviewer_counts` of the page (assigned, submitted) per proposal, `hidden_fields`
    the screen-in form's hidden fields (its CSRF token), HTML already."""
    languages = current_app.config["LANGUAGES"]
    _ = request_translations().ugettext  # Flask-Babel's gettext finds the catalogue per text
    # Like the template's `_()`, a translation is trusted markup, and what is put into it escaped.
    label = {
        key: Markup(text)
        for key, text in {
            "select": _("Select"),
            "reference": _("Reference"),
            "proposal": _("Proposal"),
            "organisation": _("Organisation"),
            "country": _("Country"),
            "language": _("Language"),
            "amount": _("Amount"),
            "state": _("State"),
            "reviews": _("Reviews"),
            "actions": _("Actions"),
        }.items()
    }
    screen_in_label = Markup(_("Screen in %(title)s"))
    screen_out_label = Markup(_("Screen out %(title)s"))
    overdue = Markup(' <strong class="overdue">%s</strong>') % Markup(_("answer overdue"))
    screen_in_text = Markup(_("Screen in"))
    screen_out_text = Markup(_("Screen out"))
    reviewers_text = Markup(_("Reviewers"))
    detail_url = id_url("proposals.detail", "proposal_id")
    screen_in_url = id_url("screening.screen_in", "proposal_id")
    screen_out_url = id_url("screening.screen_out", "proposal_id")
    assignments_url = id_url("screening.assignments", "proposal_id")
    # each distinct value's text, escaped, worked out once for the page
    countries: dict[str | None, Markup] = {}
    states: dict[str, Markup] = {}
    amounts: dict[Any, Markup] = {}
    reviews: dict[tuple[int, int], Markup] = {}
    names: dict[str | None, Markup] = {}
    # each column's opening tag, on its line as the template had it
    td = {key: Markup('\n            <td data-label="%s">') % text for key, text in label.items()}
    rows = []
    actions = workflow.allowed_actions_of(proposals, viewer, workflow.PROPOSAL)
    for proposal, allowed in zip(proposals, actions, strict=True):
        state, code, amount, language = (
            proposal.state,
            proposal.country_code,
            proposal.amount_requested,
            proposal.language,
        )
        if code not in countries:
            countries[code] = escape(country_name(code))
        if state not in states:
            states[state] = escape(workflow.state_label(state))
        if amount not in amounts:
            amounts[amount] = escape(money(amount, call.currency))
        if language not in names:
            names[language] = escape(languages.get(language, language))
        number = proposal.id
        assigned, done = counts.get(number, (0, 0))
        if (assigned, done) not in reviews:
            reviews[assigned, done] = escape(
                _("%(done)d of %(assigned)d submitted") % {"done": done, "assigned": assigned}
                if assigned
                else "–"
            )
        title, url = escape(proposal.title), escape(detail_url(number))
        offered = {t.action for t in allowed}
        buttons = []
        if "screen_in" in offered:
            buttons.append(
                f'\n              <form method="post" action="{escape(screen_in_url(number))}"'
                f' class="inline" data-confirm>\n                {hidden_fields}\n                '
                f'<button type="submit" aria-label="{screen_in_label % {"title": title}}">'
                f"{screen_in_text}</button>\n              </form>"
            )
        if "screen_out" in offered:
            buttons.append(
                f'\n              <a href="{escape(screen_out_url(number))}"'
                f' aria-label="{screen_out_label % {"title": title}}">{screen_out_text}</a>'
            )
        if has_review_stage(proposal):
            buttons.append(
                f'\n              <a href="{escape(assignments_url(number))}">{reviewers_text}</a>'
            )
        # Staff screen what they can read: both the reference and the title lead to the proposal.
        reference = proposal.reference
        linked = f'<a href="{url}">{escape(reference)}</a>' if reference else ""
        cells = (
            f"{td['reference']}{linked}</td>"
            f'{td["proposal"]}<a href="{url}">{title}</a></td>'
            f"{td['organisation']}{escape(proposal.organisation)}</td>"
            f"{td['country']}{countries[code]}</td>"
            f"{td['language']}{names[language]}</td>"
            f"{td['amount']}{amounts[amount]}</td>"
            f"{td['state']}{states[state]}{overdue if is_overdue(proposal, now) else ''}</td>"
            f"{td['reviews']}{reviews[assigned, done]}</td>"
            f"{td['actions']}{''.join(buttons)}\n            </td>\n          </tr>"
        )
        rows.append((number, title, cells))
    return ScreeningRows(rows, label["select"])
