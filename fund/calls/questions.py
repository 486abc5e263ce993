"""The questions of a proposal as the call page lists them, with the limits the form enforces."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from fund.forms_def.definition import questions as own_questions
from fund.forms_def.display import limit_text
from fund.i18n import lazy_gettext as _l
from fund.models import Call
from fund.proposals.limits import (
    BUDGET_LINE_DESCRIPTION_MAX,
    FIELD_LIMITS,
    MAX_ATTACHMENTS,
    MAX_BUDGET_LINES,
)
from fund.storage import allowed_extensions_text

TEXT_QUESTIONS = (
    ("title", _l("Title of the project")),
    ("summary", _l("Summary")),
    ("target_groups", _l("Target groups: who the project reaches")),
    ("activities", _l("Activities")),
    ("timeline", _l("Timeline")),
    ("expected_results", _l("Expected results")),
    ("measurement", _l("How the results will be measured")),
)


@dataclass(frozen=True)
class Question:
    label: str
    limit: str


def questions(call: Call) -> list[Question]:
    """Every question of the proposal form, in its order, with what the answer may be: the
    fixed ones, then the call's own."""
    return fixed_questions(call) + [
        Question(
            q["label"] + (" " + _("(required)") if q.get("required") else ""),
            limit_text(q, call.currency),
        )
        for q in own_questions(call.proposal_form)
    ]


def fixed_questions(call: Call) -> list[Question]:
    """The questions every call asks."""
    chars = {name: _("Up to %(n)d characters.", n=limit) for name, limit in FIELD_LIMITS.items()}
    text = dict(TEXT_QUESTIONS)
    megabytes = current_app.config["UPLOAD_MAX_BYTES"] / (1024 * 1024)
    return [
        Question(str(text["title"]), chars["title"]),
        Question(str(text["summary"]), chars["summary"]),
        Question(
            _("INSPIRE strategies addressed"),
            _(
                "One or more of the %(n)d in scope of this call (listed above).",
                n=len(call.strategies),
            ),
        ),
        Question(
            _("Countries of implementation"),
            _("One or more countries where the activities take place."),
        ),
        Question(str(text["target_groups"]), chars["target_groups"]),
        Question(str(text["activities"]), chars["activities"]),
        Question(str(text["timeline"]), chars["timeline"]),
        Question(str(text["expected_results"]), chars["expected_results"]),
        Question(str(text["measurement"]), chars["measurement"]),
        Question(
            _("Start date and duration"), _("From 1 to %(n)d months.", n=call.max_duration_months)
        ),
        Question(
            _("Budget"),
            _(
                "Up to %(lines)d lines, each with a category, a description of up to "
                "%(chars)d characters and an amount; their total is the amount requested.",
                lines=MAX_BUDGET_LINES,
                chars=BUDGET_LINE_DESCRIPTION_MAX,
            ),
        ),
        Question(
            _("Child safeguarding"),
            _("Your organisation's child-safeguarding policy: the one on file, or an upload."),
        ),
        Question(
            _("Attachments (optional)"),
            _(
                "Up to %(n)d files of at most %(mb)s MB each: %(types)s.",
                n=MAX_ATTACHMENTS,
                mb=f"{megabytes:g}",
                types=allowed_extensions_text(),
            ),
        ),
    ]
