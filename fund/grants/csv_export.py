"""The grants list as CSV. People reached are shown as "<5" for counts from 1 to 4, so that no
small group of children can be picked out (0 is shown: it identifies nobody)."""

from __future__ import annotations

import csv
import io
from datetime import date

from fund.grants import queries
from fund.models import Grant, Sex
from fund.spreadsheets import safe_cell
from fund.workflow import state_label

SMALL = 5


def mask(count: int) -> str:
    """A count for export: "<5" for 1 to 4."""
    return "<5" if 0 < count < SMALL else str(count)


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


def grants_csv(grants: list[Grant], today: date) -> str:
    ids = [g.id for g in grants]
    figures = queries.grant_figures(ids, today)
    reach = queries.reach_totals(ids)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for grant in grants:
        f, r = figures[grant.id], reach[grant.id]
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    grant.reference,
                    grant.organisation.name,
                    grant.organisation.country_code,
                    grant.proposal.call.title,
                    grant.proposal.title,
                    state_label(grant.state),
                    f"{grant.amount:.2f}",
                    grant.currency,
                    grant.start_on,
                    grant.end_on,
                    f"{f['paid']:.2f}",
                    f["overdue"],
                    f["next_due"] or "",
                    *(mask(r.get(sex, 0)) for sex in Sex),
                )
            ]
        )
    return out.getvalue()
