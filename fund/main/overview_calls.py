"""The overview's per-call tables (proposals per state, money), written out in Python for all the
calls at once.

Each call's table has a row per state, and the template spent more on its steps per row (the
label's lookup, three membership tests, building the link) and on the macro-free money cells
than on writing them. Here the texts the calls share (captions, headings, state labels) are
translated and escaped once for the page, each link is an escaped half plus the call's id
(`templating.id_href`), and each amount is written by the call's cached `money_writer`. The
result is the markup admin/_overview.html wrote for its calls, whitespace between tags aside
(tests/admin/test_overview_calls_html.py holds it to that template).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from markupsafe import Markup

from fund import workflow
from fund.admin.overview import CONCEPT_FILTER, UNLISTED, CallFigures
from fund.dates import format_moment
from fund.i18n import request_translations
from fund.jinja_env import escape_output as e
from fund.money import money_writer
from fund.per_value import PerValue
from fund.templating import id_href


def calls_html(calls: Iterable[CallFigures], now: datetime) -> Markup:
    """Each call's heading, deadline, proposals per state and money, in the reader's language:
    one piece of markup for all the calls ("" for none: the template says there are none)."""
    _ = request_translations().ugettext  # the request's catalogue, found once for the texts
    # translations are trusted markup, as the template's `_()` makes them
    per_state = (
        f"<caption>{Markup(_('Proposals per state'))}</caption>"
        f'<thead><tr><th scope="col">{Markup(_("State"))}</th>'
        f'<th scope="col">{Markup(_("Proposals"))}</th></tr></thead>'
    )
    money_heads = [
        f'<tr><th scope="row">{Markup(text)}</th><td>'
        for text in (_("Envelope"), _("Awarded"), _("Paid"), _("Outstanding"))
    ]
    money_caption = f"<caption>{Markup(_('Money'))}</caption>"
    call_href = id_href("calls.detail", "call_id")
    grants_href = id_href("grants.index", "call")
    screening_href = id_href("screening.proposals", "call_id")
    concepts_href = id_href("concepts.index", "call_id")
    labels = PerValue(lambda state: e(workflow.state_label(state)))

    def count_cell(call_id: int, state, n: int) -> str:
        if not n or state in UNLISTED:
            return str(n)
        if state in CONCEPT_FILTER:
            href = f"{concepts_href(call_id)}?show={CONCEPT_FILTER[state]}"
        else:
            href = f"{screening_href(call_id)}?state={state.value}"
        return f'<a href="{href}">{n}</a>'

    def deadline(closes_at: datetime) -> str:
        day = format_moment(closes_at)
        if closes_at > now:
            return e(Markup(_("Closes on %(day)s")) % {"day": day})
        return e(Markup(_("Closed on %(day)s")) % {"day": day})

    def call_html(figures: CallFigures) -> str:
        call = figures.call
        call_id = int(call.id)
        states = "".join(
            [
                f'<tr><th scope="row">{labels[state]}</th><td>{count_cell(call_id, state, n)}'
                "</td></tr>\n"
                for state, n in figures.rows
            ]
        )
        money = money_writer(call.currency)
        grants = f'<a href="{grants_href(call_id)}">'
        envelope, awarded, paid, outstanding = money_heads
        return (
            f'<h3 id="overview-call-{call_id}"><a href="{call_href(call_id)}">{e(call.title)}</a>'
            f'</h3>\n<p class="muted">{deadline(call.closes_at)}</p>\n'
            f'<div class="table-wrap">\n<table>\n{per_state}\n<tbody>\n{states}</tbody>\n'
            f"</table>\n<table>\n{money_caption}\n<tbody>\n"
            f"{envelope}{e(money(call.budget_envelope))}</td></tr>\n"
            f"{awarded}{grants}{e(money(figures.awarded))}</a></td></tr>\n"
            f"{paid}{grants}{e(money(figures.paid))}</a></td></tr>\n"
            f"{outstanding}{grants}{e(money(figures.outstanding))}</a></td></tr>\n"
            "</tbody>\n</table>\n</div>\n"
        )

    return Markup("".join([call_html(figures) for figures in calls]))
