"""Writes for a call's own questions, in any of its forms (proposal, report, concept note:
fund/calls/form_kinds.py): sections and questions added, edited, moved and removed, each checked
against the form's schema and, once answers are in, against the lock.

Services flush but never commit; each change writes an audit row on the call. Each takes the
form's kind as `kind=` (the proposal form when left out).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from fund.calls.form_kinds import KINDS, FormKind
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
    "table": {"max_rows": 10, "totals": False},
    "file": {"kinds": ["pdf"], "max_mb": 5},
}
# The forms whose pages store uploads: a file question is a proposal form's only (the report
# and concept-note pages keep no files of their own answers).
FILE_FORMS = frozenset({"proposal"})


class FormChangeRefused(CallError):
    """A change to the form that its rules or its lock refuse; the message is for the user."""


def add_section(call: Call, actor: User, title: str, *, kind: str = "proposal") -> str:
    """A new, empty section at the end of the form; returns its id."""
    form_kind = KINDS[kind]
    form = forms.load(form_kind.definition(call))
    section_id = forms.new_id(form, "s")
    form["sections"].append({"id": section_id, "title": title.strip(), "questions": []})
    _save(call, form_kind, actor, form, _("section added: %(title)s", title=title.strip()))
    return section_id


def change_section(
    call: Call,
    actor: User,
    section_id: str,
    action: str,
    title: str = "",
    *,
    kind: str = "proposal",
) -> None:
    """Rename ("rename"), move ("up", "down") or remove ("remove") a section."""
    form_kind = KINDS[kind]
    form = forms.load(form_kind.definition(call))
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
    _save(call, form_kind, actor, form, said[action])


def add_question(
    call: Call,
    actor: User,
    section_id: str,
    type_: str,
    label: str,
    choices: list[str],
    *,
    kind: str = "proposal",
) -> str:
    """A new optional question of type `type_` at the end of a section; returns its id."""
    form_kind = KINDS[kind]
    if type_ == "file" and kind not in FILE_FORMS:
        raise FormChangeRefused(_("Only the proposal form can ask for a file."))
    form = forms.load(form_kind.definition(call))
    section = _section(form, section_id)
    question: dict[str, Any] = {
        "id": forms.new_id(form, "q"),
        "type": type_,
        "label": label.strip(),
        "help": "",
        "required": False,
        "condition": None,
    }
    if type_ in DEFAULT_LIMITS:
        question["limits"] = dict(DEFAULT_LIMITS[type_])
    if type_ in CHOICE_TYPES:
        question["other"] = False
        question["choices"] = []
        for text in choices[:MAX_CHOICES]:
            question["choices"].append({"id": _new_choice_id(form, question), "label": text})
    if type_ == "table":  # one column to start with; the question's page sets the others
        question["columns"] = [
            {"id": forms.new_id(form, "k"), "label": _("Item"), "type": "text", "required": False}
        ]
    section["questions"].append(question)
    _save(call, form_kind, actor, form, _("question added: %(label)s", label=question["label"]))
    return question["id"]


def update_question(
    call: Call, actor: User, question_id: str, values: dict[str, Any], *, kind: str = "proposal"
) -> None:
    """Change a question: label, help, required, limits, choices (renamed by id, removed when
    left out, added without one), "Other" and its condition."""
    form_kind = KINDS[kind]
    form = forms.load(form_kind.definition(call))
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
    if "columns" in values and question["type"] == "table":
        _set_columns(form, question, values["columns"])
    _save(call, form_kind, actor, form, _("question changed: %(label)s", label=question["label"]))


def _set_columns(form: dict, question: dict, columns: list[tuple]) -> None:
    """A table's columns as typed: (id or None for a new one, label, type, required); the
    columns left out are removed (refused by the lock once answers exist)."""
    taken = {c["id"] for c in question["columns"]}
    kept = []
    for column_id, label, kind, required in columns:
        if column_id is None:
            column_id = forms.new_id(form, "k")
            while column_id in taken:
                column_id = forms.new_id(form, "k")
            taken.add(column_id)
        kept.append({"id": column_id, "label": label, "type": kind, "required": required})
    if not kept:
        raise FormChangeRefused(_("A table needs at least one column."))
    dropped = {c["id"] for c in question["columns"]} - {c["id"] for c in kept}
    form["retired_ids"] += sorted(dropped)
    question["columns"] = kept


def move_question(
    call: Call, actor: User, question_id: str, direction: str, *, kind: str = "proposal"
) -> None:
    """One place up or down; past the end of its section it goes into the next one."""
    form_kind = KINDS[kind]
    form = forms.load(form_kind.definition(call))
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
        form_kind,
        actor,
        form,
        _("question moved up: %(label)s", label=question["label"])
        if step < 0
        else _("question moved down: %(label)s", label=question["label"]),
    )


def place(
    call: Call,
    actor: User,
    item_id: str,
    section_id: str,
    position: int,
    *,
    kind: str = "proposal",
) -> None:
    """Put a question (into section `section_id`) or a section at `position` (0 is first),
    as a drop in the builder asks; refused if the place is not in the form or a condition
    would then come before the question it depends on."""
    form_kind = KINDS[kind]
    form = forms.load(form_kind.definition(call))
    if item_id.startswith("s_"):
        item = _section(form, item_id)
        items, old = form["sections"], form["sections"].index(item)
        items.remove(item)
        said = _("section moved: %(title)s", title=item["title"])
    else:
        source, item = _question(form, item_id)
        items = _section(form, section_id)["questions"]
        old = items.index(item) if source["id"] == section_id else None
        source["questions"].remove(item)
        said = _("question moved: %(label)s", label=item["label"])
    if not 0 <= position <= len(items):
        raise FormChangeRefused(_("That place is not in the form. Reload the page."))
    if position == old:
        return  # dropped where it was: nothing to save or audit
    items.insert(position, item)
    _save(call, form_kind, actor, form, said)


def remove_question(call: Call, actor: User, question_id: str, *, kind: str = "proposal") -> None:
    form_kind = KINDS[kind]
    form = forms.load(form_kind.definition(call))
    section, question = _question(form, question_id)
    _refuse_core_removal([question])
    section["questions"].remove(question)
    form["retired_ids"].append(question_id)
    _save(call, form_kind, actor, form, _("question removed: %(label)s", label=question["label"]))


def is_locked(call: Call, kind: str = "proposal") -> bool:
    """Whether answers given already limit what may change (e.g. a proposal has been
    submitted, for the proposal form)."""
    return KINDS[kind].has_answers(call)


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


def _save(call: Call, kind: FormKind, actor: User, form: dict, comment: str) -> None:
    try:
        forms.check(form, core_fields=kind.core_fields)
    except forms.DefinitionInvalid as error:
        raise FormChangeRefused(str(error)) from None
    if kind.has_answers(call):
        refused = invalidating_changes(forms.load(kind.definition(call)), form)
        if refused:
            raise FormChangeRefused(
                _("Proposals have already answered this form, so: %(what)s", what=" ".join(refused))
            )
    kind.store(call, form)
    audit(call, "form_change", actor, f"{kind.title}: {comment}"[:2000])
    db.session.flush()
