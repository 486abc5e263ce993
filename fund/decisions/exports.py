"""The ranking as a table for download (CSV or XLSX), as the chairs see it on the page."""

from __future__ import annotations

from flask_babel import gettext as _

from fund.decisions.ranking import RankingRow
from fund.models import Recommendation
from fund.workflow import state_label


def ranking_header() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Organisation"),
        _("Country"),
        _("Status"),
        _("Strategies"),
        _("Reviews"),
        _("Mean score"),
        _("Median score"),
        _("Standard deviation"),
        _("Range"),
        _("Normalised score"),
        _("Disagreement"),
        _("Fund"),
        _("Fund with changes"),
        _("Do not fund"),
        _("Amount requested"),
        _("Running total"),
        _("Beyond the envelope left"),
    ]


def ranking_rows(rows: list[RankingRow]) -> list[list[object]]:
    """One line per proposal, in the page's order, with the running total."""
    return [
        [
            r.reference,
            r.title,
            r.organisation,
            r.country,
            state_label(r.state),
            " ".join(r.strategies),
            r.reviews,
            r.mean,
            r.median,
            r.std_dev,
            r.spread,
            r.normalised,
            _("yes") if r.disagreement else _("no"),
            r.tally.get(Recommendation.FUND, 0),
            r.tally.get(Recommendation.FUND_WITH_CHANGES, 0),
            r.tally.get(Recommendation.DO_NOT_FUND, 0),
            r.amount_requested,
            r.running_total,
            _("yes") if r.over_envelope else _("no"),
        ]
        for r in rows
    ]
