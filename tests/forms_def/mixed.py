"""A call with many questions of every type, and a plausible stored answer to each: the data the
query-count tests and the diff tests read."""

from __future__ import annotations

from typing import Any

from fund.calls import form_builder
from fund.extensions import db
from fund.forms_def.definition import answerable
from fund.forms_def.schema import QUESTION_TYPES
from fund.models import Call, Role
from tests.conftest import make_user

# The types answered with one value, in the schema's order (a table has tests of its own);
# `count` questions cycle through them.
KINDS = tuple(kind for kind in QUESTION_TYPES if kind != "table")
CHOICES = ["Schools", "Health centres", "Homes"]


def mixed_questions(call: Call, count: int, kinds: tuple[str, ...] = KINDS) -> list[str]:
    """`count` questions cycling through `kinds` (every type), in one section; the ids."""
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "About the project")
    ids = [
        form_builder.add_question(
            call, admin, section, kinds[n % len(kinds)], f"Question {n + 1}", CHOICES
        )
        for n in range(count)
    ]
    db.session.commit()
    return ids


def answer_for(question: dict[str, Any], call: Call) -> Any:
    """An answer to `question` as the validator stores it."""
    kind = question["type"]
    if kind in ("single_choice", "multiple_choice"):
        return {"choices": [question["choices"][0]["id"]], "other": ""}
    return {
        "short_text": "A short answer",
        "long_text": "A longer answer.\nOn two lines.",
        "number": "12",
        "date": "2027-05-01",
        "yes_no": "yes",
        "money": "1500.00",
        "country": ["UG"],
        "strategies": list(call.strategies or [])[:1],
        # a file answer names its stored file; no page reads the file itself
        "file": {"file_id": 1, "name": "letter.pdf", "size": 2048},
    }[kind]


def answer_all(call: Call) -> dict[str, Any]:
    """An answer to every question of the call's proposal form but the core ones (the typed
    fields, kept in their columns)."""
    return {q["id"]: answer_for(q, call) for q in answerable(call.proposal_form)}
