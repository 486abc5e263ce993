"""The "INSPIRE standard proposal" template every new call starts from, and the core questions.

Core questions ({"type": "core", "field": ...}) stand in the form for the proposal's typed
columns (title, summary, strategies, countries, dates, budget, files): ranking, envelope,
eligibility and grants read those columns, so the secretariat may re-label, explain and move a
core question but never remove it, give it a condition or change its type.

The template's texts are English; shown unchanged, they are read in the user's language (they
are the catalogue's own strings), while a text the secretariat rewrote is shown as written.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from fund.forms_def.schema import CORE
from fund.i18n import lazy_gettext as _l

TEMPLATE_PATH = Path(__file__).parent / "templates" / "standard_proposal.json"


# The template's five long texts (once the proposal's own columns), by their ids in it.
STANDARD_TEXT_IDS = {
    "target_groups": "q_5d000001",
    "activities": "q_5d000002",
    "timeline": "q_5d000003",
    "expected_results": "q_5d000004",
    "measurement": "q_5d000005",
}

# Every text of the template, marked for translation (the keys are what the JSON holds).
STANDARD_TEXTS = {
    "Summary": _l("Summary"),
    "Title": _l("Title"),
    "What the project will do, with whom, and why.": _l(
        "What the project will do, with whom, and why."
    ),
    "INSPIRE strategies addressed": _l("INSPIRE strategies addressed"),
    "Tick each INSPIRE strategy the project addresses. Only the strategies this call covers "
    "are listed.": _l(
        "Tick each INSPIRE strategy the project addresses. Only the strategies this call covers "
        "are listed."
    ),
    "Countries of implementation": _l("Countries of implementation"),
    "Hold Ctrl (or Cmd) to choose several.": _l("Hold Ctrl (or Cmd) to choose several."),
    "Target groups": _l("Target groups"),
    "Who the project will reach, and how many.": _l("Who the project will reach, and how many."),
    "Activities and timeline": _l("Activities and timeline"),
    "Activities": _l("Activities"),
    "Timeline": _l("Timeline"),
    "When each activity will take place.": _l("When each activity will take place."),
    "Expected results and how they will be measured": _l(
        "Expected results and how they will be measured"
    ),
    "Expected results": _l("Expected results"),
    "How results will be measured": _l("How results will be measured"),
    "Start date and duration": _l("Start date and duration"),
    "Start date": _l("Start date"),
    "Duration (months)": _l("Duration (months)"),
    "Budget": _l("Budget"),
    "Child safeguarding": _l("Child safeguarding"),
    "Child-safeguarding policy for this proposal": _l(
        "Child-safeguarding policy for this proposal"
    ),
    "Attachments": _l("Attachments"),
}


@cache
def _template() -> dict[str, Any]:
    return json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))


def standard_proposal_form() -> dict[str, Any]:
    """A new copy of the "INSPIRE standard proposal" definition (a new call's form)."""
    return copy.deepcopy(_template())


def core_sections() -> list[dict[str, Any]]:
    """The template's sections, a copy: the core questions and the five long texts."""
    return standard_proposal_form()["sections"]


def with_own_sections(sections: list[dict[str, Any]]) -> dict[str, Any]:
    """The standard form followed by `sections` (a call's own questions)."""
    form = standard_proposal_form()
    form["sections"] += copy.deepcopy(sections)
    return form


def is_core(question: dict) -> bool:
    return question.get("type") == CORE


def core_questions(definition: dict | None) -> dict[str, dict]:
    """{field: question} for the core questions of a definition."""
    return {
        q["field"]: q
        for s in (definition or {}).get("sections") or []
        for q in s["questions"]
        if is_core(q)
    }


def text(value: str) -> str:
    """A text of a form as the reader reads it: the template's own in their language."""
    known = STANDARD_TEXTS.get(value)
    return str(known) if known is not None else value


def localized(definition: dict | None) -> dict[str, Any]:
    """A copy of `definition` with the template's unchanged texts in the reader's language
    (for reading only: the builder edits the stored texts)."""
    form = copy.deepcopy(definition or {})
    for section in form.get("sections") or []:
        section["title"] = text(section["title"])
        for question in section["questions"]:
            question["label"] = text(question["label"])
            if question.get("help"):
                question["help"] = text(question["help"])
    return form
