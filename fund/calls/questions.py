"""The questions of a proposal as the call page lists them, in the form's order, with the
limits the form enforces."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from fund.forms_def.definition import questions as form_questions
from fund.forms_def.display import limit_text
from fund.forms_def.standard import localized
from fund.models import Call
from fund.rules.limits import (
    BUDGET_LINE_DESCRIPTION_MAX,
    FIELD_LIMITS,
    MAX_ATTACHMENTS,
    MAX_BUDGET_LINES,
)
from fund.storage import allowed_extensions_text


@dataclass(frozen=True)
class Question:
    label: str
    limit: str


def questions(call: Call) -> list[Question]:
    """Every question of the proposal form, in its order and with the secretariat's labels,
    with what the answer may be."""
    core = core_limits(call)
    listed = []
    for q in form_questions(localized(call.proposal_form)):
        if q["type"] == "core":
            listed.append(Question(q["label"], core.get(q["field"], "")))
        else:
            required = " " + _("(required)") if q.get("required") else ""
            listed.append(Question(q["label"] + required, limit_text(q, call.currency)))
    return listed


def concept_questions(call: Call) -> list[Question]:
    """A two-stage call's concept-note questions, as the concept form asks them: its fixed
    fields (the proposal's title, summary, countries and strategies), then the call's own
    concept questions; empty for a single-stage call. `call` may be read in one language
    (LocalCall), whose concept form is then in it."""
    if not call.two_stage:
        return []
    core = core_limits(call)
    listed = [
        Question(_("Title"), core["title"]),
        Question(_("Summary"), core["summary"]),
        Question(_("Countries of implementation"), core["countries"]),
        Question(_("INSPIRE strategies addressed"), core["strategies"]),
    ]
    for q in form_questions(localized(call.concept_form)):
        required = " " + _("(required)") if q.get("required") else ""
        listed.append(Question(q["label"] + required, limit_text(q, call.currency)))
    return listed


def core_limits(call: Call) -> dict[str, str]:
    """What the answer to each core question may be."""
    megabytes = current_app.config["UPLOAD_MAX_BYTES"] / (1024 * 1024)
    return {
        "title": _("Up to %(n)d characters.", n=FIELD_LIMITS["title"]),
        "summary": _("Up to %(n)d characters.", n=FIELD_LIMITS["summary"]),
        "strategies": _(
            "One or more of the %(n)d in scope of this call (listed above).",
            n=len(call.strategies),
        ),
        "countries": _("One or more countries where the activities take place."),
        "start_date": _("A date (year-month-day)."),
        "duration_months": _("From 1 to %(n)d months.", n=call.max_duration_months),
        "budget": _(
            "Up to %(lines)d lines, each with a category, a description of up to "
            "%(chars)d characters and an amount; their total is the amount requested.",
            lines=MAX_BUDGET_LINES,
            chars=BUDGET_LINE_DESCRIPTION_MAX,
        ),
        "safeguarding": _(
            "Your organisation's child-safeguarding policy: the one on file, or an upload."
        ),
        "attachments": _(
            "Up to %(n)d files of at most %(mb)s MB each: %(types)s.",
            n=MAX_ATTACHMENTS,
            mb=f"{megabytes:g}",
            types=allowed_extensions_text(),
        ),
    }
