"""A proposal's content as plain data: the frozen snapshot of a version, the differences
between two snapshots, and the completeness and start-date rules a proposal must meet before
it is submitted.

This module imports no workflow code, so the workflow's guards can use its rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from fund.dates import add_years
from fund.forms_def import definition as forms_definition
from fund.forms_def.localise import local_form
from fund.forms_def.standard import localized
from fund.forms_def.validate import answer_problems, call_scope, visible_answers
from fund.i18n import lazy_gettext as _l
from fund.models import BudgetCategory, Proposal
from fund.rules.answer_changes import answer_changes
from fund.rules.limits import FIELD_LIMITS, TEXT_FIELDS
from fund.strategies import strategy_label

SNAPSHOT_SCHEMA = 1
START_YEARS_AHEAD = 5  # how far ahead of its submission a project may start

# Every field of a snapshot, in the order it is shown, with its label.
FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "strategies": _l("INSPIRE strategies addressed"),
    "countries": _l("Countries of implementation"),
    "start_date": _l("Start date"),
    "duration_months": _l("Duration (months)"),
    "budget_lines": _l("Budget"),
    "amount_requested": _l("Amount requested"),
    "safeguarding": _l("Safeguarding policy"),
    "attachments": _l("Attachments"),
}

# The snapshot fields each core question of the form shows, in order (the first under the
# question's label, the others under their own).
CORE_VALUES = {
    "title": ("title",),
    "summary": ("summary",),
    "strategies": ("strategies",),
    "countries": ("countries",),
    "start_date": ("start_date",),
    "duration_months": ("duration_months",),
    "budget": ("budget_lines", "amount_requested"),
    "safeguarding": ("safeguarding",),
    "attachments": ("attachments",),
}

BUDGET_CATEGORY_LABELS = {
    BudgetCategory.PERSONNEL: _l("Personnel"),
    BudgetCategory.ACTIVITIES: _l("Activities"),
    BudgetCategory.MATERIALS: _l("Materials"),
    BudgetCategory.TRAVEL: _l("Travel"),
    BudgetCategory.EQUIPMENT: _l("Equipment"),
    BudgetCategory.MONITORING: _l("Monitoring and evaluation"),
    BudgetCategory.ADMINISTRATION: _l("Administration"),
    BudgetCategory.OTHER: _l("Other"),
}

# Where a snapshot field is edited, when the form's control has another name.
# the budget's rows are many: its group (which takes the focus) stands for them
FORM_ANCHORS = {"safeguarding": "safeguarding_upload", "budget_lines": "budget"}


@dataclass(frozen=True)
class Problem:
    """One reason a proposal cannot be submitted: the field concerned (None when it is not a
    field of the form) and what to do, as the user reads it."""

    field: str | None
    message: str
    question: str = ""  # the label of one of the call's own questions

    @property
    def label(self) -> str:
        if self.question:
            return self.question
        return str(FIELD_LABELS.get(self.field, "")) if self.field else ""

    @property
    def anchor(self) -> str:
        """The id of the field's control on the edit page."""
        return FORM_ANCHORS.get(self.field, self.field or "")


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal('0')):.2f}"


def budget_total(proposal: Proposal) -> Decimal:
    """The sum of the budget lines, recomputed (the stored amount is only a copy of it)."""
    return sum((line.amount or Decimal("0") for line in proposal.budget_lines), Decimal("0"))


def safeguarding_file(proposal: Proposal) -> tuple[str | None, Any]:
    """("proposal", file) for a policy uploaded with the proposal, ("organisation", file) for
    the one on file, else (None, None)."""
    if proposal.safeguarding_file_id is not None:
        return "proposal", proposal.safeguarding_file
    if proposal.organisation.safeguarding_policy_file_id is not None:
        return "organisation", proposal.organisation.safeguarding_policy_file
    return None, None


def snapshot(proposal: Proposal, form: dict | None = None) -> dict[str, Any]:
    """Everything the applicant submitted, as JSON-ready data (what a version freezes), with
    the call's own questions as they stand (or `form`, a definition frozen earlier): a
    reader always sees the answers with the questions they answered."""
    source, policy = safeguarding_file(proposal)
    form = form if form is not None else forms_definition.load(proposal.call.proposal_form)
    return {
        "form": form,
        "answers": visible_answers(form, proposal.answers),
        "schema": SNAPSHOT_SCHEMA,
        "reference": proposal.reference,
        "title": proposal.title or "",
        "summary": proposal.summary or "",
        "strategies": list(proposal.strategies or []),
        "countries": list(proposal.countries or []),
        "start_date": proposal.start_date.isoformat() if proposal.start_date else None,
        "duration_months": proposal.duration_months,
        "currency": proposal.call.currency,
        "amount_requested": _money(budget_total(proposal)),
        "budget_lines": [
            {
                "category": line.category,
                "description": line.description or "",
                "amount": _money(line.amount),
            }
            for line in proposal.budget_lines
        ],
        "safeguarding": {
            "source": source,
            "file_id": policy.id if policy is not None else None,
            "name": policy.original_name if policy is not None else None,
        },
        "attachments": [
            {
                "id": a.id,
                "file_id": a.file_id,
                "name": a.file.original_name if a.file else "",
                "description": a.description or "",
            }
            for a in proposal.attachments
        ],
        "organisation": {
            "id": proposal.organisation.id,
            "name": proposal.organisation.name,
            "country_code": proposal.organisation.country_code,
        },
        "call": {"id": proposal.call.id, "title": proposal.call.title},
    }


@dataclass(frozen=True)
class Change:
    """One field, or one answer to the call's own questions, that differs between two
    snapshots. For an answer, `question` is its label, `old_label` the label it had before when
    it was reworded, and `old` and `new` the answers as text ("" for none)."""

    field: str
    old: Any
    new: Any
    question: str = ""
    old_label: str = ""

    @property
    def label(self) -> str:
        return self.question or str(FIELD_LABELS.get(self.field, self.field))

    @property
    def status(self) -> str:
        """ "added", "removed" or "changed", as the versions page says it."""
        if self.old in (None, "", []):
            return "added"
        if self.new in (None, "", []):
            return "removed"
        return "changed"


def diff(
    old: dict[str, Any], new: dict[str, Any], read: Callable[[Any], dict] = localized
) -> list[Change]:
    """The fields whose value differs between two snapshots, in display order, then the
    answers to the call's own questions that differ (answer_changes). `read` gives a frozen
    form as the reader reads it: the call's translations in their language
    (`LocalCall.read`), by default only the standard template's texts."""
    fields = [
        Change(name, old.get(name), new.get(name))
        for name in FIELD_LABELS
        if old.get(name) != new.get(name)
    ]
    old, new = ({**s, "form": read(s.get("form"))} for s in (old, new))
    answers = [
        Change(c.question_id, c.old_text, c.new_text, question=c.label, old_label=c.old_label)
        for c in answer_changes(old, new)
    ]
    return fields + answers


# --- completeness -----------------------------------------------------------------------------


def _missing(field: str, message) -> Problem:
    return Problem(field, str(message))


def completeness_problems(proposal: Proposal) -> list[Problem]:
    """Every required field that is empty or out of bounds, each with what to do."""
    problems: list[Problem] = []
    text_messages = {
        "title": _l("Give the proposal a title."),
        "summary": _l("Write a summary of the proposal."),
    }
    for name in TEXT_FIELDS:
        value = (getattr(proposal, name) or "").strip()
        if not value:
            problems.append(_missing(name, text_messages[name]))
        elif len(value) > FIELD_LIMITS.get(name, len(value)):
            problems.append(
                _missing(
                    name,
                    _l(
                        "Shorten this to %(limit)d characters (it has %(length)d).",
                        limit=FIELD_LIMITS[name],
                        length=len(value),
                    ),
                )
            )
    problems.extend(_strategy_problems(proposal))
    problems.extend(
        Problem(qid, message, label)
        for qid, label, message in answer_problems(
            local_form(proposal.call), proposal.answers, call_scope(proposal.call)
        )
    )
    if not proposal.countries:
        problems.append(_missing("countries", _l("Choose at least one country of implementation.")))
    if proposal.start_date is None:
        problems.append(_missing("start_date", _l("Give the start date.")))
    if proposal.duration_months is None:
        problems.append(_missing("duration_months", _l("Give the duration in months.")))
    if not proposal.budget_lines:
        problems.append(_missing("budget_lines", _l("Add at least one budget line.")))
    if safeguarding_file(proposal)[0] is None:
        problems.append(
            _missing(
                "safeguarding",
                _l(
                    "Upload your child-safeguarding policy, with the proposal or on your "
                    "organisation's "
                    "page."
                ),
            )
        )
    return problems


def _strategy_problems(proposal: Proposal) -> list[Problem]:
    scope = set(proposal.call.strategies or [])
    chosen = list(proposal.strategies or [])
    outside = [code for code in chosen if code not in scope]
    problems = []
    if outside:
        problems.append(
            _missing(
                "strategies",
                _l(
                    "This call does not cover: %(strategies)s. Untick them.",
                    strategies=", ".join(strategy_label(code) for code in outside),
                ),
            )
        )
    if not any(code in scope for code in chosen):
        problems.append(
            _missing(
                "strategies", _l("Choose at least one of the INSPIRE strategies this call covers.")
            )
        )
    return problems


def is_complete(proposal: Proposal) -> str | None:
    """None if every required field is complete, else one sentence naming what is missing."""
    problems = completeness_problems(proposal)
    if not problems:
        return None
    fields = []
    for problem in problems:
        if problem.label and problem.label not in fields:
            fields.append(problem.label)
    return str(_l("The proposal is not complete. Check: %(fields)s.", fields=", ".join(fields)))


def start_date_problems(proposal: Proposal, now: datetime) -> list[Problem]:
    """The project starts on the day it is (re)submitted at the earliest, and within five years
    of it: a grant's schedule is computed from this date."""
    start = proposal.start_date
    if start is None:
        return []  # "give the start date" is said by the completeness rules
    today = now.date()
    latest = add_years(today, START_YEARS_AHEAD)
    if today <= start <= latest:
        return []
    return [
        Problem(
            "start_date",
            _(
                "The project must start between %(first)s and %(last)s. Change the start date.",
                first=format_date(today, "medium"),
                last=format_date(latest, "medium"),
            ),
        )
    ]
