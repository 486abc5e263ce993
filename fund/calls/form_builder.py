"""Writes for a call's own proposal questions: sections and questions added, edited, moved and
removed, each checked against the form's schema and, once proposals are in, against the lock.

Services flush but never commit; each change writes an audit row on the call.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from fund.calls import queries
from fund.calls.services import CallError, audit
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.changes import invalidating_changes
from fund.forms_def.schema import CHOICE_TYPES, MAX_CHOICES
from fund.forms_def.standard import is_core
from fund.models import Call, User

DEFAULT_LIMITS = {
    "short_text": {"max": 200},
    "long_text": {"max": 1500, "unit": "characters"},
    "number": {"min": None, "max": None, "decimals": 0},
    "date": {"min": None, "max": None},
    "money": {"min": None, "max": None},
    "country": {"multiple": False},
}


class FormChangeRefused(CallError):
    """A change to the form that its rules or its lock refuse; the message is for the user."""


def add_section(call: Call, actor: User, title: str) -> str:
    """A new, empty section at the end of the form; returns its id."""
    form = forms.load(call.proposal_form)
    section_id = forms.new_id(form, "s")
    form["sections"].append({"id": section_id, "title": title.strip(), "questions": []})
    _save(call, actor, form, _("section added: %(title)s", title=title.strip()))
    return section_id


def change_section(call: Call, actor: User, section_id: str, action: str, title: str = "") -> None:
    """Rename ("rename"), move ("up", "down") or remove ("remove") a section."""
    form = forms.load(call.proposal_form)
    section = _section(form, section_id)
    sections = form["sections"]
    if action == "rename":
        section["title"] = title.strip()
    elif action in ("up", "down"):
        _move(sections, section, -1 if action == "up" else 1)
    elif action == "remove":
        _refuse_core_removal(section["questions"])
        sections.remove(section)
        form["retired_ids"] += [section_id] + [q["id"] for q in section["questions"]]
    else:
        raise FormChangeRefused(_("That is not something a section can do."))
    said = {
        "rename": _("section renamed: %(title)s", title=section["title"]),
        "up": _("section moved up: %(title)s", title=section["title"]),
        "down": _("section moved down: %(title)s", title=section["title"]),
        "remove": _("section removed: %(title)s", title=section["title"]),
    }
    _save(call, actor, form, said[action])


def add_question(
    call: Call, actor: User, section_id: str, kind: str, label: str, choices: list[str]
) -> str:
    """A new optional question of type `kind` at the end of a section; returns its id."""
    form = forms.load(call.proposal_form)
    section = _section(form, section_id)
    question: dict[str, Any] = {
        "id": forms.new_id(form, "q"),
        "type": kind,
        "label": label.strip(),
        "help": "",
        "required": False,
        "condition": None,
    }
    if kind in DEFAULT_LIMITS:
        question["limits"] = dict(DEFAULT_LIMITS[kind])
    if kind in CHOICE_TYPES:
        question["other"] = False
        question["choices"] = []
        for text in choices[:MAX_CHOICES]:
            question["choices"].append({"id": _new_choice_id(form, question), "label": text})
    section["questions"].append(question)
    _save(call, actor, form, _("question added: %(label)s", label=question["label"]))
    return question["id"]


def update_question(call: Call, actor: User, question_id: str, values: dict[str, Any]) -> None:
    """Change a question: label, help, required, limits, choices (renamed by id, removed when
    left out, added without one), "Other" and its condition."""
    form = forms.load(call.proposal_form)
    _section_of, question = _question(form, question_id)
    if is_core(question):  # a fixed question keeps its type, is always asked, has no limits
        values = {name: values[name] for name in ("label", "help") if name in values}
    for name in ("label", "help", "required", "limits", "other", "condition"):
        if name in values:
            question[name] = values[name]
    if "choices" in values and question["type"] in CHOICE_TYPES:
        kept = []
        for choice_id, text in values["choices"]:
            if choice_id is None:
                choice_id = _new_choice_id(form, question)
            kept.append({"id": choice_id, "label": text})
        dropped = {c["id"] for c in question["choices"]} - {c["id"] for c in kept}
        form["retired_ids"] += sorted(dropped)
        question["choices"] = kept
    _save(call, actor, form, _("question changed: %(label)s", label=question["label"]))


def move_question(call: Call, actor: User, question_id: str, direction: str) -> None:
    """One place up or down; past the end of its section it goes into the next one."""
    form = forms.load(call.proposal_form)
    section, question = _question(form, question_id)
    step = -1 if direction == "up" else 1
    items = section["questions"]
    index = items.index(question)
    if 0 <= index + step < len(items):
        _move(items, question, step)
    else:
        sections = form["sections"]
        neighbour = sections.index(section) + step
        if not 0 <= neighbour < len(sections):
            raise FormChangeRefused(_("This question is already at that end of the form."))
        items.remove(question)
        target = sections[neighbour]["questions"]
        target.insert(len(target) if step < 0 else 0, question)
    _save(
        call,
        actor,
        form,
        _("question moved up: %(label)s", label=question["label"])
        if step < 0
        else _("question moved down: %(label)s", label=question["label"]),
    )


def remove_question(call: Call, actor: User, question_id: str) -> None:
    form = forms.load(call.proposal_form)
    section, question = _question(form, question_id)
    _refuse_core_removal([question])
    section["questions"].remove(question)
    form["retired_ids"].append(question_id)
    _save(call, actor, form, _("question removed: %(label)s", label=question["label"]))


def is_locked(call: Call) -> bool:
    """Whether answers given already limit what may change (a proposal has been submitted)."""
    return queries.has_submissions(call)


def _refuse_core_removal(removed: list[dict]) -> None:
    core = next((q for q in removed if is_core(q)), None)
    if core is not None:
        raise FormChangeRefused(
            _(
                "“%(label)s” is one of the proposal's fixed questions: it can be renamed and "
                "moved, not removed.",
                label=core["label"],
            )
        )


def _section(form: dict, section_id: str) -> dict:
    section = forms.find_section(form, section_id)
    if section is None:
        raise FormChangeRefused(_("That section is no longer part of the form. Reload the page."))
    return section


def _question(form: dict, question_id: str) -> tuple[dict, dict]:
    found = forms.find_question(form, question_id)
    if found is None:
        raise FormChangeRefused(_("That question is no longer part of the form. Reload the page."))
    return found


def _new_choice_id(form: dict, question: dict) -> str:
    taken = {c["id"] for c in question.get("choices") or []}
    while True:
        candidate = forms.new_id(form, "c")
        if candidate not in taken:
            return candidate


def _move(items: list, item: Any, step: int) -> None:
    index = items.index(item)
    if not 0 <= index + step < len(items):
        raise FormChangeRefused(_("This is already at that end of the form."))
    items[index], items[index + step] = items[index + step], items[index]


def _save(call: Call, actor: User, form: dict, comment: str) -> None:
    try:
        forms.check(form)
    except forms.DefinitionInvalid as error:
        raise FormChangeRefused(str(error)) from None
    if is_locked(call):
        refused = invalidating_changes(forms.load(call.proposal_form), form)
        if refused:
            raise FormChangeRefused(
                _("Proposals have already answered this form, so: %(what)s", what=" ".join(refused))
            )
    call.proposal_form = form
    audit(call, "form_change", actor, comment[:2000])
    db.session.flush()
