"""A call's screening list as a table for download (CSV or XLSX), as filtered on the page."""

from __future__ import annotations

from flask_babel import gettext as _

from fund.models import Call, Proposal
from fund.reviews.queries import reviewer_counts
from fund.workflow import state_label


def screening_header() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Organisation"),
        _("Country"),
        _("Strategies"),
        _("Amount requested"),
        _("Currency"),
        _("Submitted"),
        _("State"),
        _("Reviewers assigned"),
        _("Reviews submitted"),
    ]


def screening_rows(call: Call, proposals: list[Proposal]) -> list[list[object]]:
    """One line per proposal, with its reviewers assigned and reviews in (one more query)."""
    counts = reviewer_counts([p.id for p in proposals])
    rows = []
    for p in proposals:
        assigned, done = counts.get(p.id, (0, 0))
        rows.append(
            [
                p.reference,
                p.title,
                p.organisation.name,
                p.organisation.country_code,
                " ".join(p.strategies or []),
                p.amount_requested,
                call.currency,
                p.submitted_at,
                state_label(p.state),
                assigned,
                done,
            ]
        )
    return rows
