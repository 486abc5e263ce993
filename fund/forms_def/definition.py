"""A form definition: loading and checking it (JSON Schema, then the rules a schema cannot
say), new ids, and which questions a set of answers shows.

A definition is plain JSON kept on the call and frozen into each submitted version:
{"schema": 1, "sections": [{"id", "title", "questions": [question, ...]}], "retired_ids": [...]}
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from jsonschema import Draft202012Validator

from fund.forms_def import budget
from fund.forms_def.schema import (
    CHOICE_TYPES,
    CORE,
    CORE_FIELDS,
    FILE_KINDS,
    SCHEMA,
    TEXT_LIMITS,
)

VALIDATOR = Draft202012Validator(SCHEMA)
YES_NO = ("yes", "no")
OTHER = "other"  # the value of "Other, please say" among a question's choices


class DefinitionInvalid(ValueError):
    """A definition that breaks the schema or a rule; the message is for the secretariat."""


def empty() -> dict[str, Any]:
    """The definition of a form with no questions of its own."""
    return {"schema": 1, "sections": [], "retired_ids": []}


def load(data: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of a stored definition, safe to change (an empty one for None or {})."""
    if not data or "sections" not in data:
        return empty()
    return copy.deepcopy(data)


def check(definition: dict[str, Any], core_fields: tuple[str, ...] = CORE_FIELDS) -> None:
    """Raise DefinitionInvalid unless `definition` follows the schema and the rules, and asks
    each of `core_fields` (a proposal form's typed fields) exactly once."""
    error = next(iter(sorted(VALIDATOR.iter_errors(definition), key=lambda e: e.path)), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "definition"
        raise DefinitionInvalid(_("The form is not valid at %(where)s.", where=where))
    seen: set[str] = set(definition.get("retired_ids") or [])
    earlier: dict[str, dict] = {}
    for section in definition["sections"]:
        _unique(section["id"], seen)
        for question in section["questions"]:
            _unique(question["id"], seen)
            for item in (question.get("choices") or []) + (question.get("columns") or []):
                _unique(item["id"], seen)
            _check_question(question, earlier)
            earlier[question["id"]] = question
    _check_budget(definition)
    _check_core(definition, core_fields)


def _check_budget(definition: dict[str, Any]) -> None:
    """The proposal page must stay under 100 KB: few long country lists, and a total budget."""
    several = sum(1 for q in questions(definition) if budget.is_several_countries(q))
    if several > budget.MAX_SEVERAL_COUNTRIES:
        raise DefinitionInvalid(
            _(
                "A form can have at most %(n)d questions where several countries are chosen: "
                "each one adds the whole list of countries to the page.",
                n=budget.MAX_SEVERAL_COUNTRIES,
            )
        )
    if budget.form_weight(definition) > budget.MARKUP_BUDGET:
        raise DefinitionInvalid(
            _(
                "The form would be too long for the proposal page to load quickly: shorten "
                "help texts or answers to choose from, or ask fewer questions."
            )
        )


def _check_core(definition: dict[str, Any], core_fields: tuple[str, ...]) -> None:
    asked = [q["field"] for q in questions(definition) if q["type"] == CORE]
    for field in asked:
        if field not in core_fields:
            raise DefinitionInvalid(
                _("This form cannot ask for a proposal's %(field)s.", field=field)
            )
        if asked.count(field) > 1:
            raise DefinitionInvalid(
                _("The fixed question “%(field)s” is in the form twice.", field=field)
            )
    missing = [field for field in core_fields if field not in asked]
    if missing:
        raise DefinitionInvalid(
            _(
                "The fixed questions (%(fields)s) can be renamed and moved, not removed.",
                fields=", ".join(missing),
            )
        )


def _unique(item_id: str, seen: set[str]) -> None:
    if item_id in seen:
        raise DefinitionInvalid(_("The id %(id)s is used twice.", id=item_id))
    seen.add(item_id)


def _check_question(question: dict, earlier: dict[str, dict]) -> None:
    kind, limits = question["type"], question.get("limits") or {}
    if kind == "long_text" and limits["max"] > TEXT_LIMITS[limits["unit"]]:
        raise DefinitionInvalid(
            _(
                "A long text can be at most %(n)d %(unit)s.",
                n=TEXT_LIMITS[limits["unit"]],
                unit=unit_label(limits["unit"]),
            )
        )
    if kind in ("number", "date", "money"):
        low, high = limits.get("min"), limits.get("max")
        parse = date.fromisoformat if kind == "date" else Decimal
        try:
            low, high = (parse(v) if v is not None else None for v in (low, high))
        except ValueError:
            raise DefinitionInvalid(_("Give the limits as dates, e.g. 2027-03-01.")) from None
        if low is not None and high is not None and low > high:
            raise DefinitionInvalid(
                _("“%(label)s”: the lowest value is above the highest.", label=question["label"])
            )
    if kind == "table" and limits["totals"]:
        if not any(c["type"] != "text" for c in question["columns"]):
            raise DefinitionInvalid(
                _("“%(label)s”: totals need a number or money column.", label=question["label"])
            )
    if question.get("other") and kind not in CHOICE_TYPES:
        raise DefinitionInvalid(_("Only a choice question can offer “Other, please say”."))
    condition = question.get("condition")
    if condition:
        source = earlier.get(condition["question"])
        if source is None:
            raise DefinitionInvalid(
                _(
                    "“%(label)s” can only depend on a question that comes before it.",
                    label=question["label"],
                )
            )
        if not set(condition["values"]) <= set(answer_values(source)):
            raise DefinitionInvalid(
                _("“%(label)s” depends on an answer that is not offered.", label=question["label"])
            )


def answer_values(question: dict) -> list[str]:  # a core question offers none
    """The values a condition may name: yes/no, or a choice question's choice ids."""
    if question["type"] == "yes_no":
        return list(YES_NO)
    if question["type"] in CHOICE_TYPES:
        ids = [c["id"] for c in question.get("choices") or []]
        return ids + ([OTHER] if question.get("other") else [])
    return []


def unit_label(unit: str) -> str:
    return _("characters") if unit == "characters" else _("words")


def new_id(definition: dict[str, Any], letter: str) -> str:
    """A fresh id ("q_" + 8 hex digits; "k_" for a table's column) used nowhere in the
    definition, nor ever before."""
    taken = set(all_ids(definition)) | set(definition.get("retired_ids") or [])
    while True:
        candidate = f"{letter}_{secrets.token_hex(4)}"
        if candidate not in taken:
            return candidate


def all_ids(definition: dict[str, Any]) -> Iterator[str]:
    for section in definition.get("sections") or []:
        yield section["id"]
        for question in section["questions"]:
            yield question["id"]
            yield from (c["id"] for c in question.get("choices") or [])
            yield from (c["id"] for c in question.get("columns") or [])


def questions(definition: dict[str, Any] | None) -> Iterator[dict]:
    """Every question of the definition, in form order."""
    for section in (definition or {}).get("sections") or []:
        yield from section["questions"]


def answerable(definition: dict[str, Any] | None) -> Iterator[dict]:
    """The questions answered into `answers`, in form order: all but the core ones (whose
    answers are the proposal's columns)."""
    return (q for q in questions(definition) if q["type"] != CORE)


def file_questions(definition: dict[str, Any] | None) -> Iterator[dict]:
    """The questions answered with a file, in form order."""
    return (q for q in questions(definition) if q["type"] == "file")


def file_extensions(question: dict) -> tuple[str, ...]:
    """The file extensions a file question accepts (each checked by content on upload)."""
    return tuple(ext for kind in question["limits"]["kinds"] for ext in FILE_KINDS[kind])


def file_ids(definition: dict[str, Any] | None, answers: dict[str, Any] | None) -> set[int]:
    """The ids of the stored files that `answers` give to the definition's file questions."""
    ids = set()
    for question in file_questions(definition):
        answer = (answers or {}).get(question["id"])
        if isinstance(answer, dict) and isinstance(answer.get("file_id"), int):
            ids.add(answer["file_id"])
    return ids


def find_question(definition: dict[str, Any], question_id: str) -> tuple[dict, dict] | None:
    """(section, question) for `question_id`, None if the form has no such question."""
    for section in definition.get("sections") or []:
        for question in section["questions"]:
            if question["id"] == question_id:
                return section, question
    return None


def find_section(definition: dict[str, Any], section_id: str) -> dict | None:
    return next((s for s in definition.get("sections") or [] if s["id"] == section_id), None)


def condition_met(question: dict, answers: dict[str, Any]) -> bool:
    """Whether `question` is asked, given the answers (to the questions before it)."""
    condition = question.get("condition")
    if not condition:
        return True
    answer = answers.get(condition["question"])
    if isinstance(answer, dict):
        chosen = answer.get("choices") or []
    else:
        chosen = [answer] if answer else []
    return any(value in condition["values"] for value in chosen)


@dataclass(frozen=True)
class Section:
    """A section as the form shows it: its title and questions."""

    id: str
    title: str
    questions: list[dict]


def sections(definition: dict[str, Any] | None) -> list[Section]:
    return [
        Section(s["id"], s["title"], s["questions"])
        for s in (definition or {}).get("sections") or []
    ]
