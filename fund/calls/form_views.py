"""The secretariat's builder of a call's own questions, for each of its forms (proposal, report,
concept note): one page with the sections and questions, a page per question, and a POST for
each change (post/redirect/get).

The proposal form keeps its short addresses (/calls/<id>/form/...); the others add their kind
(/calls/<id>/forms/report/...).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import permissions
from fund.access import require
from fund.calls import form_builder
from fund.calls.form_builder_forms import (
    AddQuestionForm,
    QuestionForm,
    SectionForm,
    choice_lines,
    upload_limit_mb,
)
from fund.calls.form_kinds import KINDS
from fund.calls.views import bp
from fund.errors import render_error
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def import display
from fund.forms_def.schema import CHOICE_MAX, TABLE_COLUMN_TYPES
from fund.models import Call
from fund.outbox import commit


def _call(call_id: int) -> Call:
    return db.get_or_404(Call, call_id)


def _builder_page(
    call: Call, kind: str, status: int = 200, failed: tuple[str, object] | None = None
):
    form = forms.load(KINDS[kind].definition(call))
    by_id = {q["id"]: q for q in forms.questions(form)}
    return render_template(
        "calls/form_builder.html",
        call=call,
        kind=KINDS[kind],
        sections=forms.sections(form),
        locked=form_builder.is_locked(call, kind),
        failed=failed,
        new_section=failed[1] if failed and failed[0] == "section" else SectionForm(formdata=None),
        type_label=display.type_label,
        type_choices={
            value: label
            for value, label in display.TYPE_LABELS.items()
            if value != "file" or kind in form_builder.FILE_FORMS
        },
        limit_text=display.limit_text,
        condition_text=lambda q: display.condition_text(q, by_id),
    ), status


@bp.errorhandler(form_builder.FormChangeRefused)
def change_refused(error: form_builder.FormChangeRefused):
    """A change the form cannot take (locked after the first submission, or not a change a
    section or question can have): a 400 page that says why."""
    return render_error(400, str(error))


def _done(call: Call, kind: str, message: str, anchor: str = "questions"):
    commit()
    flash(message, "success")
    return redirect(url_for("calls.proposal_form", call_id=call.id, kind=kind, _anchor=anchor))


@bp.get("/<int:call_id>/form", defaults={"kind": "proposal"})
@bp.get("/<int:call_id>/forms/<any(report, concept):kind>")
@require(permissions.can_manage_calls)
def proposal_form(call_id: int, kind: str):
    """The call's own questions of one of its forms (for the proposal form, shown after the
    fixed ones)."""
    return _builder_page(_call(call_id), kind)


@bp.post("/<int:call_id>/form/sections", defaults={"kind": "proposal"})
@bp.post("/<int:call_id>/forms/<any(report, concept):kind>/sections")
@require(permissions.can_manage_calls)
def add_section(call_id: int, kind: str):
    """A new section at the end of the form."""
    call = _call(call_id)
    form = SectionForm()
    if not form.validate():
        return _builder_page(call, kind, 400, ("section", form))
    section_id = form_builder.add_section(call, current_user, form.title.data, kind=kind)
    return _done(call, kind, _("The section is added."), section_id)


@bp.post("/<int:call_id>/form/sections/<section_id>", defaults={"kind": "proposal"})
@bp.post("/<int:call_id>/forms/<any(report, concept):kind>/sections/<section_id>")
@require(permissions.can_manage_calls)
def change_section(call_id: int, section_id: str, kind: str):
    """Rename, move or remove a section (the button pressed says which)."""
    call = _call(call_id)
    action = request.form.get("action", "")
    title = ""
    if action == "rename":
        form = SectionForm()
        if not form.validate():
            abort(400, description=" ".join(str(m) for m in form.title.errors))
        title = form.title.data
    form_builder.change_section(call, current_user, section_id, action, title, kind=kind)
    return _done(call, kind, _("The section is changed."))


@bp.post("/<int:call_id>/form/sections/<section_id>/questions", defaults={"kind": "proposal"})
@bp.post("/<int:call_id>/forms/<any(report, concept):kind>/sections/<section_id>/questions")
@require(permissions.can_manage_calls)
def add_question(call_id: int, section_id: str, kind: str):
    """A new question at the end of a section; its details are set on its own page."""
    call = _call(call_id)
    form = AddQuestionForm()
    if not form.validate():
        return _builder_page(call, kind, 400, (section_id, form))
    question_id = form_builder.add_question(
        call,
        current_user,
        section_id,
        form.type.data,
        form.label.data,
        choice_lines(form.choices.data),
        kind=kind,
    )
    commit()
    flash(_("The question is added. Set its details here."), "success")
    return redirect(
        url_for("calls.edit_question", call_id=call.id, kind=kind, question_id=question_id)
    )


@bp.route(
    "/<int:call_id>/form/questions/<question_id>",
    defaults={"kind": "proposal"},
    methods=["GET", "POST"],
)
@bp.route(
    "/<int:call_id>/forms/<any(report, concept):kind>/questions/<question_id>",
    methods=["GET", "POST"],
)
@require(permissions.can_manage_calls)
def edit_question(call_id: int, question_id: str, kind: str):
    """One question's wording, limits, answers and condition."""
    call = _call(call_id)
    definition = forms.load(KINDS[kind].definition(call))
    found = forms.find_question(definition, question_id)
    if found is None:
        abort(404)
    question = found[1]
    if request.method == "GET":
        return _question_page(call, kind, definition, question, _question_form(question))
    form = QuestionForm()
    if not (form.validate() & form.check_bounds(question["type"])):
        return _question_page(call, kind, definition, question, form, status=400)
    values = {
        "label": form.label.data.strip(),
        "help": (form.help.data or "").strip(),
        "required": form.required.data,
        "condition": _condition(definition, question),
    }
    limits = form.limits(question["type"], question.get("limits") or {})
    if limits is not None:
        values["limits"] = limits
    if question["type"] in ("single_choice", "multiple_choice"):
        values["other"] = form.other.data
        values["choices"] = _choices(question) + [
            (None, line) for line in choice_lines(form.new_choices.data)
        ]
    try:
        if question["type"] == "table":
            values["columns"] = _columns(question)
        form_builder.update_question(call, current_user, question_id, values, kind=kind)
    except form_builder.FormChangeRefused as error:
        return _question_page(call, kind, definition, question, form, str(error), 400)
    return _done(call, kind, _("The question is saved."), question_id)


@bp.post("/<int:call_id>/form/questions/<question_id>/move", defaults={"kind": "proposal"})
@bp.post("/<int:call_id>/forms/<any(report, concept):kind>/questions/<question_id>/move")
@require(permissions.can_manage_calls)
def move_question(call_id: int, question_id: str, kind: str):
    """One place up or down."""
    call = _call(call_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400, description=_("Move a question up or down."))
    form_builder.move_question(call, current_user, question_id, direction, kind=kind)
    return _done(call, kind, _("The question is moved."), question_id)


@bp.post("/<int:call_id>/form/questions/<question_id>/remove", defaults={"kind": "proposal"})
@bp.post("/<int:call_id>/forms/<any(report, concept):kind>/questions/<question_id>/remove")
@require(permissions.can_manage_calls)
def remove_question(call_id: int, question_id: str, kind: str):
    """Take a question out of the form (refused once answers to it are in)."""
    call = _call(call_id)
    form_builder.remove_question(call, current_user, question_id, kind=kind)
    return _done(call, kind, _("The question is removed."))


BOUNDED = ("number", "date", "money")  # the types with a lowest and highest value


def _question_form(question: dict) -> QuestionForm:
    limits = question.get("limits") or {}
    return QuestionForm(
        formdata=None,
        data={
            "label": question["label"],
            "help": question.get("help", ""),
            "required": question.get("required", False),
            "max": limits.get("max") if question["type"].endswith("_text") else None,
            "unit": limits.get("unit", "characters"),
            "decimals": limits.get("decimals", 0),
            "low": limits.get("min") if question["type"] in BOUNDED else None,
            "high": limits.get("max") if question["type"] in BOUNDED else None,
            "other": question.get("other", False),
            "multiple": limits.get("multiple", False),
            "max_rows": limits.get("max_rows"),
            "totals": limits.get("totals", False),
            "kinds": limits.get("kinds", []),
            "max_mb": limits.get("max_mb"),
        },
    )


def _choices(question: dict) -> list[tuple[str | None, str]]:
    """The existing answers as typed: (id, new label); one left empty is removed."""
    kept = []
    for choice in question.get("choices") or []:
        text = (request.form.get(f"choice-{choice['id']}") or "").strip()[:200]
        if text:
            kept.append((choice["id"], text))
    return kept


def _columns(question: dict) -> list[tuple[str | None, str, str, bool]]:
    """A table's columns as typed: (id, label, type, required); a column whose label is
    emptied is removed, and the "new column" row adds one when it has a label."""
    typed = [(c["id"], f"column-{c['id']}") for c in question.get("columns") or []]
    typed.append((None, "new-column"))
    columns = []
    for column_id, name in typed:
        label = (request.form.get(f"{name}-label") or "").strip()
        if not label:
            continue
        kind = request.form.get(f"{name}-type", "text")
        if len(label) > CHOICE_MAX or any(ord(ch) < 32 for ch in label):
            raise form_builder.FormChangeRefused(
                _("Give each column a label of at most %(n)d characters.", n=CHOICE_MAX)
            )
        if kind not in TABLE_COLUMN_TYPES:
            raise form_builder.FormChangeRefused(_("Choose a column type from the list."))
        columns.append((column_id, label, kind, bool(request.form.get(f"{name}-required"))))
    return columns


def _condition(definition: dict, question: dict) -> dict | None:
    """The condition ticked: "question id=value" boxes, all of one earlier question."""
    picked = [v.split("=", 1) for v in request.form.getlist("condition") if "=" in v]
    if not picked:
        return None
    sources = {source for source, _value in picked}
    if len(sources) != 1:
        abort(400, description=_("A question can depend on one other question only."))
    return {"question": sources.pop(), "values": [value[:10] for _source, value in picked]}


def _question_page(
    call, kind: str, definition, question, form, refused: str = "", status: int = 200
):
    earlier = []
    for other in forms.questions(definition):
        if other["id"] == question["id"]:
            break
        values = forms.answer_values(other)
        if values:
            earlier.append((other, [(v, display.choice_label(other, v)) for v in values]))
    return render_template(
        "calls/question.html",
        call=call,
        kind=KINDS[kind],
        question=question,
        form=form,
        refused=refused,
        earlier=earlier,
        locked=form_builder.is_locked(call, kind),
        type_label=display.type_label(question["type"]),
        column_types=display.COLUMN_TYPE_LABELS,
        file_kinds=display.FILE_KIND_LABELS,
        upload_limit_mb=upload_limit_mb(),
    ), status
