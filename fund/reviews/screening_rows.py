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

from fund import workflow
from fund.countries import country_name
from fund.i18n import request_translations
from fund.jinja_env import escape_output as e
from fund.messages.queries import is_overdue
from fund.models import Call
from fund.money import money
from fund.reviews.queries import ScreeningCall, ScreeningItem, has_review_stage
from fund.table_rows import SelectableRows
from fund.templating import id_href

# The columns after the select column, in their order.
COLUMNS = (
    "reference",
    "proposal",
    "organisation",
    "country",
    "language",
    "amount",
    "state",
    "reviews",
    "actions",
)


def screening_rows(
    proposals: list[ScreeningItem],
    call: Call | ScreeningCall,
    viewer: Any,
    counts: dict[int, tuple[int, int]],
    now: datetime,
    hidden_fields: str,
) -> SelectableRows:
    """The rows of one page of `call`'s screening list as `viewer` sees them at `now`:
    `proposals` are `queries.screening_page`'s items, `counts` is
    `queries.reviewer_counts` of the page (assigned, submitted) per proposal, `hidden_fields`
    the screen-in form's hidden fields (its CSRF token), HTML already."""
    languages = current_app.config["LANGUAGES"]
    _ = request_translations().ugettext  # Flask-Babel's gettext finds the catalogue per text
    # Like the template's `_()`, a translation is trusted markup (written as it is), and what
    # is put into it escaped. The texts are plain strings of HTML, not `Markup`, each value
    # escaped by `escape_output` (one call in C): markupsafe's `escape` is two Python calls a
    # value (itself and `Markup`'s constructor), and `Markup`'s `%` escapes through helper
    # objects; with some 330 values a page, that was a tenth of the page.
    label = {
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
    }
    # "%(title)s" gets the title escaped already, as `Markup`'s `%` would have escaped it
    screen_in_label = _("Screen in %(title)s")
    screen_out_label = _("Screen out %(title)s")
    overdue = f' <strong class="overdue">{_("answer overdue")}</strong>'
    screen_in_text, screen_out_text = _("Screen in"), _("Screen out")
    reviewers_text = _("Reviewers")
    hidden = str(hidden_fields)
    detail_href = id_href("proposals.detail", "proposal_id")
    screen_in_href = id_href("screening.screen_in", "proposal_id")
    screen_out_href = id_href("screening.screen_out", "proposal_id")
    assignments_href = id_href("screening.assignments", "proposal_id")
    # each distinct value's text, escaped, worked out once for the page
    countries: dict[str | None, str] = {}
    states: dict[str, str] = {}
    amounts: dict[Any, str] = {}
    reviews: dict[tuple[int, int], str] = {}
    names: dict[str | None, str] = {}
    # each column's opening tag, on its line as the template had it
    (
        reference_td,
        proposal_td,
        organisation_td,
        country_td,
        language_td,
        amount_td,
        state_td,
        reviews_td,
        actions_td,
    ) = (f'\n            <td data-label="{label[key]}">' for key in COLUMNS)
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
            countries[code] = e(country_name(code))
        if state not in states:
            states[state] = e(workflow.state_label(state))
        if amount not in amounts:
            amounts[amount] = e(money(amount, call.currency))
        if language not in names:
            names[language] = e(languages.get(language, language))
        number = proposal.id
        assigned, done = counts.get(number, (0, 0))
        if (assigned, done) not in reviews:
            reviews[assigned, done] = e(
                _("%(done)d of %(assigned)d submitted") % {"done": done, "assigned": assigned}
                if assigned
                else "–"
            )
        title, url = e(proposal.title), detail_href(number)
        offered = {t.action for t in allowed}
        buttons = ""
        if "screen_in" in offered:
            buttons += (
                f'\n              <form method="post" action="{screen_in_href(number)}"'
                f' class="inline" data-confirm>\n                {hidden}\n                '
                f'<button type="submit" aria-label="{screen_in_label % {"title": title}}">'
                f"{screen_in_text}</button>\n              </form>"
            )
        if "screen_out" in offered:
            buttons += (
                f'\n              <a href="{screen_out_href(number)}"'
                f' aria-label="{screen_out_label % {"title": title}}">{screen_out_text}</a>'
            )
        if has_review_stage(proposal):
            buttons += f'\n              <a href="{assignments_href(number)}">{reviewers_text}</a>'
        # Staff screen what they can read: both the reference and the title lead to the proposal.
        reference = proposal.reference
        linked = f'<a href="{url}">{e(reference)}</a>' if reference else ""
        cells = (
            f"{reference_td}{linked}</td>"
            f'{proposal_td}<a href="{url}">{title}</a></td>'
            f"{organisation_td}{e(proposal.organisation)}</td>"
            f"{country_td}{countries[code]}</td>"
            f"{language_td}{names[language]}</td>"
            f"{amount_td}{amounts[amount]}</td>"
            f"{state_td}{states[state]}{overdue if is_overdue(proposal, now) else ''}</td>"
            f"{reviews_td}{reviews[assigned, done]}</td>"
            f"{actions_td}{buttons}\n            </td>\n          </tr>"
        )
        rows.append((number, title, cells))
    return SelectableRows(rows, label["select"], "proposal")
