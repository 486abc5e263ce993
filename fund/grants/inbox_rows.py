"""The reports inbox's rows, written out in Python for a section at once.

The inbox's three sections hold up to 150 rows. The template wrote six cells a row, each with
its column's name and its value looked up and escaped on its own (some 1,800 values a page),
after a row object was made per report. Here the column names and the report kinds are
translated and escaped once for the page, each link is the two halves of one `id_href`, and
each row is one format with each value escaped once. The HTML is the template's own row, byte
for byte (tests/grants/test_inbox_rows.py holds the two to each other).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from fund.i18n import request_translations
from fund.jinja_env import escape_output as e
from fund.paging import RowsPage
from fund.templating import id_href

# The columns of every section, the last one named by the section (LAST_COLUMN).
COLUMNS = ("grant", "organisation", "call", "report", "due_on")


def written_rows(sections: dict[str, RowsPage], today: date) -> dict[str, Markup]:
    """The table body's rows of each section of `sections` (inbox.inbox()), as HTML: "" for a
    section without rows (the template writes its "None." row)."""
    _ = request_translations().ugettext  # Flask-Babel's gettext finds the catalogue per text
    # A translation is trusted markup, as the template's `_()` wrote it; the report kinds were
    # plain strings there, escaped when written.
    label = {
        "grant": _("Grant"),
        "organisation": _("Organisation"),
        "call": _("Call"),
        "report": _("Report"),
        "due_on": _("Due on"),
    }
    last_label = {
        "submitted": _("Submitted"),
        "overdue": _("Days late"),
        "due_soon": _("Days left"),
    }
    final, interim = e(_("Final report")), e(_("Interim report"))
    grant_href = id_href("grants.detail", "grant_id")
    report_href = id_href("reports.detail", "report_id")
    grant_td, organisation_td, call_td, report_td, due_on_td = (
        f'\n                <td data-label="{label[key]}">' for key in COLUMNS
    )
    texts: dict[Any, str] = {}  # organisations' names and calls' titles repeat: escaped once
    written = {}
    for key, page in sections.items():
        last_td = f'\n                <td data-label="{last_label[key]}">'
        rows = []
        # the columns of inbox._inbox_rows, in their order
        for number, kind, due_on, submitted_at, grant_id, reference, name, call in page.items:
            if name not in texts:
                texts[name] = e(name)
            if call not in texts:
                texts[call] = e(call)
            if key == "submitted":
                last = submitted_at.strftime("%Y-%m-%d") if submitted_at else "–"
            elif key == "overdue":
                last = (today - due_on).days
            else:
                last = (due_on - today).days
            rows.append(
                f"\n              <tr>"
                f'{grant_td}<a href="{grant_href(grant_id)}">{e(reference or grant_id)}</a></td>'
                f"{organisation_td}{texts[name]}</td>"
                f"{call_td}{texts[call]}</td>"
                f'{report_td}<a href="{report_href(number)}">'
                f"{final if kind == 'final' else interim}</a></td>"
                f"{due_on_td}{due_on}</td>"
                f"{last_td}{last}</td>"
                f"\n              </tr>\n            "
            )
        written[key] = Markup("".join(rows))
    return written
