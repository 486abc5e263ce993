"""The ranking's rows, written out in Python for a page of rows at once.

The chair picks the columns, so the template asked, for each of a row's fourteen optional
cells, whether it is shown, then read and filtered the row's value: two hundred Jinja steps a
row, the larger part of the page's work. Here the shown columns are chosen once for the page,
each column's cell is written by a small function, and every text the rows repeat (states,
strategies, tallies, countries, amounts) is worked out and escaped once per distinct value
(`PerValue`). The rows come out as one piece of markup, the HTML the template wrote (its
table head and everything around the rows stay in decisions/ranking.html).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from fund import workflow
from fund.countries import country_name
from fund.decisions.columns import Choice
from fund.decisions.queries import RankingCall
from fund.decisions.ranking_filters import Filters
from fund.decisions.stats import RankingRow
from fund.jinja_env import escape_output as e
from fund.models import Call
from fund.money import money_writer
from fund.per_value import PerValue
from fund.strategies import strategy_label
from fund.templating import id_url, score

Cell = Callable[[RankingRow], str]  # the inside of a row's <td>, escaped


def rows_writer(
    choice: Choice, call: Call | RankingCall
) -> Callable[[Iterable[RankingRow]], Markup]:
    """What writes rows of `call`'s ranking in the reader's language, all at once: for each,
    the "Compare" tick, the proposal (its reference, a link to its decision page, and its
    title), then the `choice` of optional cells in table order. One piece of markup for all
    the rows: made and written out row by row, the template's call, its escaping check and
    the markup each row was wrapped in cost half as much as writing the row."""
    by_key = _writers(call)
    writers = [by_key[key] for key in choice.keys]
    compare = Markup(_("Compare"))  # a translation is trusted markup, as the template's `_()`
    decide_url = id_url("decisions.decide", "proposal_id")

    def row_html(row: RankingRow) -> str:
        pid = int(row.proposal_id)
        reference = e(row.reference or f"#{pid}")
        cells = "".join([f"<td>{write(row)}</td>" for write in writers])
        return (
            f'<tr data-proposal="{pid}">'
            f'<td><input type="checkbox" id="compare-{pid}" name="proposal" value="{pid}"> '
            f'<label for="compare-{pid}">{compare}<span class="visually-hidden"> {reference}'
            f"</span></label></td>"
            f'<td><a href="{decide_url(pid)}">{reference}</a><br>{e(row.title)}</td>'
            f"{cells}</tr>\n"
        )

    def rows_html(rows: Iterable[RankingRow]) -> Markup:
        return Markup("".join([row_html(row) for row in rows]))

    return rows_html


# Marks no sort key or order holds, put in the sort links' URL once and replaced per header.
_SORT_MARK, _ORDER_MARK = "sortedbymark", "orderedmark"


def head_html(choice: Choice, filters: Filters, kept: dict[str, str], call_id: int) -> Markup:
    """The cells of the table's head, as the template's macros wrote them: the "Compare" tick's,
    the proposal's, then the `choice` of columns'. A column that sorts links to the ranking
    sorted by it, descending first or the other way round when it is the sort in force (whose
    arrow it shows), with the filters and columns `kept`; its `aria-sort` says which. The link
    is built once (a `url_for` cost more than the rest of a header), with marks for the sort
    and the order replaced per header."""
    marked = url_for(
        "decisions.ranking",
        call_id=call_id,
        **dict(kept, sort=_SORT_MARK, order=_ORDER_MARK),
    )

    def sort_header(label: str, key: str) -> str:
        current = filters.sort == key
        order = "asc" if current and filters.descending else "desc"
        url = e(marked.replace(_SORT_MARK, key).replace(_ORDER_MARK, order))
        if not current:
            return f'<th scope="col" aria-sort="none"><a href="{url}">{label}</a></th>'
        sorted_as, arrow = ("descending", "▼") if filters.descending else ("ascending", "▲")
        return (
            f'<th scope="col" aria-sort="{sorted_as}"><a href="{url}">{label}'
            f'<span aria-hidden="true"> {arrow}</span></a></th>'
        )

    # translations are trusted markup, as the template's `_()` makes them; labels are escaped
    cells = [f'<th scope="col">{Markup(_("Compare"))}</th>']
    cells.append(sort_header(Markup(_("Proposal")), "reference"))
    for column in choice.shown:
        label = e(column.label)
        if column.sort:
            cells.append(sort_header(label, column.sort))
        else:
            cells.append(f'<th scope="col">{label}</th>')
    return Markup("".join(cells))


def _writers(call: Call | RankingCall) -> dict[str, Cell]:
    """Each column's cell, by the column's key (columns.COLUMNS), with the texts of this page."""
    currency = call.currency
    needed = call.chair_approvals_needed
    # translations are trusted markup, as the template's `_()` makes them
    disagreement = Markup(_("Disagreement"))
    beyond = f"<br><strong>{Markup(_('beyond the envelope left'))}</strong>"
    countries = PerValue(lambda code: e(country_name(code)))
    strategies = PerValue(lambda codes: e(", ".join(strategy_label(code) for code in codes)))
    tallies = PerValue(
        lambda tally: e(
            _(
                "fund %(a)d · with changes %(b)d · do not fund %(c)d",
                a=tally[0],
                b=tally[1],
                c=tally[2],
            )
        )
    )
    money = money_writer(currency)  # the reader's locale, found once
    amounts = PerValue(lambda amount: e(money(amount)))
    states = PerValue(lambda state: e(workflow.state_label(state)))
    approvals = PerValue(lambda n: e(_("%(n)d of %(needed)d approvals", n=n, needed=needed)))

    def tally(row: RankingRow) -> str:
        got = row.tally.get
        return tallies[got("fund", 0), got("fund_with_changes", 0), got("do_not_fund", 0)]

    def running_total(row: RankingRow) -> str:
        total = e(money(row.running_total))  # a different total on each row
        return total + beyond if row.over_envelope else total

    def state(row: RankingRow) -> str:
        shown = f'<span class="state">{states[row.state]}</span>'
        return f"{shown}<br>{approvals[row.approvals]}" if row.approvals else shown

    return {
        "organisation": lambda row: e(row.organisation),
        "country": lambda row: countries[row.country],
        "strategies": lambda row: strategies[row.strategies],
        "reviews": lambda row: str(row.reviews),
        "normalised": lambda row: e(score(row.normalised, "%+.2f")),
        "mean": lambda row: e(score(row.mean)),
        "median": lambda row: e(score(row.median)),
        "std_dev": lambda row: e(score(row.std_dev)),
        "range": lambda row: e(score(row.spread)),
        "disagreement": lambda row: disagreement if row.disagreement else "",
        "recommendations": tally,
        "requested": lambda row: amounts[row.amount_requested],
        "running_total": running_total,
        "state": state,
    }
