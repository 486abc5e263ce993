"""The grants list as a table for download (CSV or XLSX). People reached are shown as "<5" for
counts from 1 to 4, so that no small group of children can be picked out (0 is shown: it
identifies nobody)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fund.grants import queries
from fund.models import Grant, Sex
from fund.workflow import state_label

SMALL = 5
CENT = Decimal("0.01")

HEADER = [
    "reference",
    "organisation",
    "country",
    "call",
    "proposal",
    "state",
    "amount",
    "currency",
    "start_on",
    "end_on",
    "paid",
    "reports_overdue",
    "next_report_due",
    "reached_female",
    "reached_male",
    "reached_other_or_not_recorded",
]


def mask(count: int) -> int | str:
    """A count for export: "<5" for 1 to 4, the number otherwise."""
    return "<5" if 0 < count < SMALL else count


def grants_rows(grants: list[Grant], today: date) -> list[list[object]]:
    ids = [g.id for g in grants]
    figures = queries.grant_figures(ids, today)
    reach = queries.reach_totals(ids)
    rows = []
    for grant in grants:
        f, r = figures[grant.id], reach[grant.id]
        rows.append(
            [
                grant.reference,
                grant.organisation.name,
                grant.organisation.country_code,
                grant.proposal.call.title,
                grant.proposal.title,
                state_label(grant.state),
                grant.amount.quantize(CENT),
                grant.currency,
                grant.start_on,
                grant.end_on,
                Decimal(f["paid"]).quantize(CENT),
                f["overdue"],
                f["next_due"],
                *(mask(r.get(sex, 0)) for sex in Sex),
            ]
        )
    return rows
