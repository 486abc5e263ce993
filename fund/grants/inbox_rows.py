"""The reports inbox's rows, ready to write out: its three sections hold up to 150 rows, and
the template called two link builders and worked out the report's kind and the last column
per row; here the links come from one id_url each and the texts once per distinct value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from fund.paging import RowsPage
from fund.templating import id_url


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One report as the inbox shows it."""

    grant_url: str
    grant: str  # the grant's reference, or its number before it has one
    organisation: str
    call: str
    report_url: str
    kind: str  # "Final report" or "Interim report"
    due_on: str  # ISO date
    last: str  # the section's last column: submitted on, days late or days left


def for_display(sections: dict[str, RowsPage], today: date) -> dict[str, RowsPage]:
    """`sections` (inbox.inbox()) with each section's rows as InboxRow (same pages)."""
    grant_url = id_url("grants.detail", "grant_id")
    report_url = id_url("reports.detail", "report_id")
    kinds = {"final": _("Final report"), "interim": _("Interim report")}

    def last(key: str, found: Any) -> str:
        if key == "submitted":
            return found.submitted_at.strftime("%Y-%m-%d") if found.submitted_at else "–"
        if key == "overdue":
            return str((today - found.due_on).days)
        return str((found.due_on - today).days)

    def row(key: str, found: Any) -> InboxRow:
        return InboxRow(
            grant_url=grant_url(found.grant_id),
            grant=str(found.grant_reference or found.grant_id),
            organisation=found.organisation,
            call=found.call_title,
            report_url=report_url(found.id),
            kind=kinds["final"] if found.kind == "final" else kinds["interim"],
            due_on=str(found.due_on),
            last=last(key, found),
        )

    return {
        key: RowsPage(
            [row(key, found) for found in page.items], page.page, page.per_page, page.total
        )
        for key, page in sections.items()
    }
