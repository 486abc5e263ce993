"""The grants list's rows, written out in Python for a page at once.

The template wrote nine cells a row for 50 rows, each with its column's name and its value
looked up and escaped on its own (some 1,100 values a page), formatted two amounts a row
through the `money` filter (the reader's locale found per amount) and read each row's figures
out of a dict of dicts. Here the column names are translated once for the page, each state's
label and each amount are written once per distinct value, the links are the two halves of
one `id_href`, and each row is one format with each value escaped once. The HTML is the
template's own row (tests/grants/test_list_rows.py holds the two to each other), with tidier
blank space between tags.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fund.i18n import request_translations
from fund.jinja_env import escape_output as e
from fund.money import money_writer
from fund.table_rows import SelectableRows
from fund.templating import id_href
from fund.workflow import state_label

# The columns after the select column, in their order.
COLUMNS = ("reference", "organisation", "call", "amount", "paid", "state", "next_due", "overdue")


def grant_rows(grants: list[Any], figures: dict[int, dict[str, Any]]) -> SelectableRows:
    """The rows of one page of the grants list: `grants` are `queries.grants_page`'s items,
    `figures` `queries.grant_figures` of the page (paid, reports overdue, next report due)."""
    _ = request_translations().ugettext  # Flask-Babel's gettext finds the catalogue per text
    # Like the template's `_()`, a translation is trusted markup, written as it is.
    label = {
        "select": _("Select"),
        "reference": _("Reference"),
        "organisation": _("Organisation"),
        "call": _("Call"),
        "amount": _("Amount"),
        "paid": _("Paid"),
        "state": _("State"),
        "next_due": _("Next report due"),
        "overdue": _("Reports overdue"),
    }
    (
        reference_td,
        organisation_td,
        call_td,
        amount_td,
        paid_td,
        state_td,
        next_due_td,
        overdue_td,
    ) = (f'\n            <td data-label="{label[key]}">' for key in COLUMNS)
    detail_href = id_href("grants.detail", "grant_id")
    writers: dict[str | None, Callable[[Any], str]] = {}  # one money writer per currency
    amounts: dict[tuple[Any, str | None], str] = {}  # each amount written and escaped once
    states: dict[str, str] = {}
    texts: dict[Any, str] = {}  # organisations' names and calls' titles repeat: escaped once
    rows = []
    # the columns of queries.grants_page's rows, in their order
    for number, reference, amount, currency, state, name, call in grants:
        found = figures[number]
        paid, next_due = found["paid"], found["next_due"]
        if currency not in writers:
            writers[currency] = money_writer(currency)
        for value in (amount, paid):
            if (value, currency) not in amounts:
                amounts[value, currency] = e(writers[currency](value))
        if state not in states:
            states[state] = e(state_label(state))
        if name not in texts:
            texts[name] = e(name)
        if call not in texts:
            texts[call] = e(call)
        shown = e(reference or number)
        rows.append(
            (
                number,
                shown,
                f'{reference_td}<a href="{detail_href(number)}">{shown}</a></td>'
                f"{organisation_td}{texts[name]}</td>"
                f"{call_td}{texts[call]}</td>"
                f"{amount_td}{amounts[amount, currency]}</td>"
                f"{paid_td}{amounts[paid, currency]}</td>"
                f"{state_td}{states[state]}</td>"
                f"{next_due_td}{next_due or '–'}</td>"
                f"{overdue_td}{found['overdue']}</td>\n          </tr>",
            )
        )
    return SelectableRows(rows, label["select"], "grant")
