"""The call's own report questions in a progress report (calls.report_form, built with the
question builder): the definition a report is read against, what is missing before it can be
submitted, and its answers as text for the report page, the grant's report history and the
downloads.

While the grantee may edit a report it answers the call's form as it stands; each submission
freezes that form into `progress_reports.form`, and a submitted report is read against its
frozen copy, so later edits to the call's form never change what was reported.
"""

from __future__ import annotations

from typing import Any

from fund.forms_def import definition as forms
from fund.forms_def.display import answer_text
from fund.forms_def.localise import localise, reader_language, reading_language
from fund.forms_def.validate import answer_problems, call_scope, visible_answers
from fund.models import Call, Grant, ProgressReport, ReportState

EDITABLE = frozenset({ReportState.UPCOMING, ReportState.CHANGES_REQUESTED})
# Long answers are read on the report's own page; the history table shows the short ones.
HISTORY_SKIPS = frozenset({"long_text"})


def _call(report: ProgressReport) -> Call:
    return report.grant.proposal.call


def report_definition(report: ProgressReport) -> dict[str, Any]:
    """The call's form while the report can be edited; the frozen one once submitted (empty
    for a report submitted before reports had questions of their own), in the reader's
    language."""
    call = _call(report)
    # Read in the reader's language (the call's translations, else the template's texts).
    definition = call.report_form if report.state in EDITABLE else report.form
    return localise(definition, call.translations, reading_language(call, reader_language()))


def scope(report: ProgressReport) -> dict[str, Any]:
    """The call's currency and strategies, on which some answers depend."""
    return call_scope(_call(report))


def question_problems(report: ProgressReport) -> dict[str, str]:
    """Question id -> what is wrong or missing before the report can be submitted."""
    problems = answer_problems(report_definition(report), report.answers, scope(report))
    return {qid: message for qid, _label, message in problems}


def freeze_definition(report: ProgressReport) -> None:
    """Keep the form the report is submitted against, and only the answers it asks."""
    definition = forms.load(_call(report).report_form)
    report.form = definition
    report.answers = visible_answers(definition, report.answers)


def answered_sections(report: ProgressReport) -> list[tuple[forms.Section, list[tuple]]]:
    """Each section of the report's form with (question, answer as text) for the questions
    its answers ask ("" when not answered)."""
    definition = report_definition(report)
    shown = visible_answers(definition, report.answers)
    currency = _call(report).currency
    result = []
    for section in forms.sections(definition):
        items = [
            (q, answer_text(q, shown.get(q["id"]), currency))
            for q in section.questions
            if forms.condition_met(q, shown)
        ]
        if items:
            result.append((section, items))
    return result


def history_columns(grant: Grant) -> list[dict]:
    """The questions of the call's report form that the grant's report history shows as
    columns (all but long texts), in form order."""
    return [
        q
        for q in forms.questions(grant.proposal.call.report_form)
        if q["type"] not in HISTORY_SKIPS
    ]


def history_cells(report: ProgressReport, columns: list[dict], currency: str) -> list[str]:
    """One submitted report's answers to `columns`, as text; a question is read as the report's
    frozen form put it (its choices' labels then)."""
    frozen = {q["id"]: q for q in forms.questions(report.form)}
    answers = report.answers or {}
    return [answer_text(frozen.get(q["id"], q), answers.get(q["id"]), currency) for q in columns]
