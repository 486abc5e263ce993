"""A call's submitted progress reports as a table for download (CSV or XLSX): the fixed parts
(people reached by sex and age band, masked under 5 as in the grants list), then one column
per question of the call's report form.

Each answer is read against the form its report was submitted with (a relabelled choice keeps
the label the grantee saw); numbers stay numbers, other answers are text, and the download
(fund/spreadsheets.py) keeps every text cell from running as a formula.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from fund.forms_def.definition import questions
from fund.forms_def.display import answer_text
from fund.grants.exports import mask
from fund.models import Call, ProgressReport
from fund.rules.report_content import AGE_BAND_LABELS, REACH_CELLS, SEX_LABELS
from fund.workflow import state_label

NUMERIC = frozenset({"number", "money"})


def reports_header(call: Call) -> list[str]:
    """The column titles: the fixed ones, then each report question's label, in form order."""
    return [
        _("Grant"),
        _("Organisation"),
        _("Country"),
        _("Report"),
        _("Period start"),
        _("Period end"),
        _("State"),
        _("Submitted"),
        *(
            _("Reached: %(sex)s, %(band)s", sex=SEX_LABELS[sex], band=AGE_BAND_LABELS[band])
            for sex, band in REACH_CELLS
        ),
        *(q["label"] for q in questions(call.report_form)),
    ]


def reports_rows(call: Call, reports: list[ProgressReport]) -> list[list[object]]:
    """One line per report; answers keyed by question id, so a relabelled question keeps them."""
    own = list(questions(call.report_form))
    rows = []
    for report in reports:
        reach = {(r.sex, r.age_band): r.count for r in report.reach}
        frozen = {q["id"]: q for q in questions(report.form)}
        answers = report.answers or {}
        rows.append(
            [
                report.grant.reference,
                report.grant.organisation.name,
                report.grant.organisation.country_code,
                _("Final report") if report.kind == "final" else _("Interim report"),
                report.period_start,
                report.period_end,
                state_label(report.state),
                report.submitted_at,
                *(mask(reach[cell]) if cell in reach else None for cell in REACH_CELLS),
                *(_cell(frozen.get(q["id"], q), answers.get(q["id"]), call.currency) for q in own),
            ]
        )
    return rows


def _cell(question: dict, value: object, currency: str) -> object:
    if question["type"] in NUMERIC and isinstance(value, str) and value:
        return Decimal(value)
    return answer_text(question, value, currency)
