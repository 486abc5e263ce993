"""What the drafting views need besides the form and the services: loading the draft with all it
shows in a fixed number of queries, reading which button was pressed, and rendering the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app, render_template, url_for
from flask_babel import format_datetime, format_time
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from fund import storage
from fund.countries import country_choices
from fund.extensions import db
from fund.forms_def import display
from fund.forms_def.definition import (
    answerable,
    file_extensions,
    questions,
    sections,
)
from fund.forms_def.localise import LocalCall, reader_language
from fund.forms_def.validate import cell_message
from fund.models import Organisation, Proposal, ProposalAttachment, Strategy
from fund.numbers import parse_id
from fund.proposals.drafts import DraftFiles, FileRefused
from fund.proposals.forms import CATEGORY_LABELS, BudgetLineForm, ProposalForm
from fund.proposals.table_rows import table_rows
from fund.rules.limits import MAX_ATTACHMENTS, MAX_BUDGET_LINES
from fund.strategies import strategy_label


@dataclass(frozen=True)
class Pressed:
    """Which of the form's buttons sent it (Save draft when none of the others)."""

    add_line: bool = False
    remove_line: int | None = None
    remove_attachment: int | None = None
    more_rows: str | None = None  # the table question whose "More rows" was pressed
    remove_file: str | None = None  # the file question whose "Remove" was pressed
    review: bool = False  # "Save and review": on to the check-your-answers page


def pressed_button(formdata: MultiDict) -> Pressed:
    if "add_line" in formdata:
        return Pressed(add_line=True)
    more = formdata.get("more_rows", "")
    if re.fullmatch(r"q_[0-9a-f]{8}", more):
        return Pressed(more_rows=more)
    removed = formdata.get("remove_file", "")
    if re.fullmatch(r"q_[0-9a-f]{8}", removed):
        return Pressed(remove_file=removed)
    line = formdata.get("remove_line", "")
    if line.isascii() and line.isdigit():
        return Pressed(remove_line=int(line))
    attachment = parse_id(formdata.get("remove_attachment"))
    if attachment is not None:
        return Pressed(remove_attachment=attachment)
    return Pressed(review="review" in formdata)


# --- the form ---------------------------------------------------------------------------------


def load(proposal: Proposal) -> Proposal:
    """Load everything the edit page shows in one go, whatever the number of lines and files."""
    db.session.execute(
        select(Proposal)
        .where(Proposal.id == proposal.id)
        .options(
            joinedload(Proposal.call),
            joinedload(Proposal.organisation).joinedload(Organisation.safeguarding_policy_file),
            joinedload(Proposal.safeguarding_file),
            joinedload(Proposal.updated_by),
            selectinload(Proposal.budget_lines),
            selectinload(Proposal.attachments).joinedload(ProposalAttachment.file),
        )
    ).unique().one()
    return proposal


def form_for_get(proposal: Proposal, restored: MultiDict | None, blank_lines: str | None):
    """The saved draft, or what the user typed before the session expired, plus empty rows."""
    if restored is not None:
        form = ProposalForm(formdata=restored, call=proposal.call)
        if not form.budget_lines.entries:
            form.budget_lines.append_entry()
        return form
    form = ProposalForm(formdata=None, obj=proposal, call=proposal.call)
    form.lock_version.data = str(proposal.lock_version)
    wanted = min(parse_id(blank_lines) or 0, MAX_BUDGET_LINES)
    if not proposal.budget_lines:
        wanted = max(wanted, 1)
    for _row in range(min(wanted, MAX_BUDGET_LINES - len(form.budget_lines.entries))):
        form.budget_lines.append_entry()
    return form


def typed_total(form: ProposalForm) -> Decimal:
    """The total of the amounts as typed (those that are numbers), for the running total."""
    total = Decimal("0")
    for entry in form.budget_lines.entries:
        amount = entry.form.amount.data
        if isinstance(amount, Decimal) and amount.is_finite() and amount >= 0:
            total += amount
    return total


def error_list(form: ProposalForm) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error, budget rows included, in form order."""
    errors = []
    for item in form:
        if item.type == "FieldList":
            for number, entry in enumerate(item.entries, start=1):
                for sub in entry.form:
                    for message in sub.errors:
                        label = _(
                            "Budget line %(n)d, %(field)s",
                            n=number,
                            field=str(sub.label.text).lower(),
                        )
                        errors.append((sub.id, label, str(message)))
            for message in item.errors:
                if not isinstance(message, dict):
                    errors.append(("budget", _("Budget"), message))
        else:
            errors.extend((item.id, str(item.label.text), str(m)) for m in item.errors)
    by_id = {q["id"]: q for q in answerable(form.custom.definition)}
    for qid, message in form.custom.errors.items():
        question = by_id[qid]
        errors.append((qid, question["label"], message))
        for (row, column), text in (form.custom.cell_errors.get(qid) or {}).items():
            cell = f"{qid}-{row}-{column}"
            errors.append((cell, question["label"], cell_message(question, row, column, text)))
    return errors


def render_form(
    proposal: Proposal,
    form: ProposalForm,
    template: str = "proposals/edit.html",
    more_rows: str | None = None,
    **extra,
):
    return render_template(
        template,
        proposal=proposal,
        call=LocalCall(proposal.call, reader_language()),
        organisation=proposal.organisation,
        form=form,
        errors=error_list(form),
        total=typed_total(form),
        row_template=BudgetLineForm(prefix=f"{form.budget_lines.name}-__index__-"),
        max_lines=MAX_BUDGET_LINES,
        max_attachments=MAX_ATTACHMENTS,
        upload_hint=_(
            "One file of at most %(size)s: %(types)s.",
            size=storage.size_text(current_app.config["UPLOAD_MAX_BYTES"]),
            types=storage.allowed_extensions_text(),
        ),
        size_text=storage.size_text,
        custom=custom_fields(form, more_rows, proposal),
        strategy_label=strategy_label,
        category_label=lambda code: str(CATEGORY_LABELS.get(code, code)),
        **extra,
    )


def custom_fields(
    form: ProposalForm, more_rows: str | None = None, proposal: Proposal | None = None
) -> list:
    """The form's sections as it shows them: each question with what was typed, its error,
    its limit, its condition, for a country or strategies question the (code, name) pairs
    to choose from, and for a file question the file the saved draft of `proposal` gives it
    (a core question is shown by the typed field it stands for)."""
    definition = form.custom.definition
    by_id = {q["id"]: q for q in questions(definition)}
    scope = form.custom.scope or {}
    options = {
        "country": country_choices() if any(q["type"] == "country" for q in by_id.values()) else [],
        "strategies": [
            (s.value, strategy_label(s)) for s in Strategy if s.value in scope.get("strategies", [])
        ],
    }
    return [
        (
            section,
            [
                {
                    "q": q,
                    "raw": form.custom.raw.get(q["id"], ""),
                    "error": form.custom.errors.get(q["id"]),
                    "limit": display.limit_text(q, scope.get("currency")),
                    "options": options.get(q["type"], []),
                    "condition": display.condition_text(q, by_id),
                    "table": table_rows(q, form.custom, more_rows),
                    "file": saved_file(proposal, q),
                    "accept": accept(q),
                }
                for q in section.questions
            ],
        )
        for section in sections(definition)
    ]


def accept(question: dict) -> str:
    """A file input's `accept`: the extensions a file question takes ("" for another type)."""
    if question["type"] != "file":
        return ""
    return ",".join(f".{extension}" for extension in file_extensions(question))


def saved_file(proposal: Proposal | None, question: dict) -> dict | None:
    """The file the saved draft gives a file question: its id, name, size as text and the
    address it is downloaded from (None for another type, or no file)."""
    answer = (proposal.answers or {}).get(question["id"]) if proposal is not None else None
    if question["type"] != "file" or not isinstance(answer, dict):
        return None
    return {
        "id": answer["file_id"],
        "name": answer["name"],
        "size": storage.size_text(answer["size"]),
        "url": url_for("proposals.file", proposal_id=proposal.id, file_id=answer["file_id"]),
    }


def saved_answers(proposal: Proposal, definition: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """The call's own questions as the saved draft answers them: (section title, [(label,
    answer as text)]), read with the definition the typed form is checked against."""
    answers = proposal.answers or {}
    currency = proposal.call.currency
    answered = {q["id"] for q in answerable(definition)}  # not the core (typed) fields
    listed = [
        (
            section.title,
            [
                (q["label"], display.answer_text(q, answers.get(q["id"]), currency))
                for q in section.questions
                if q["id"] in answered
            ],
        )
        for section in sections(definition)
    ]
    return [(title, rows) for title, rows in listed if rows]


def render_conflict(proposal: Proposal, form: ProposalForm):
    """The saved version beside what this user typed, their form carrying the new version."""
    load(proposal)
    form.lock_version.data = str(proposal.lock_version)
    return render_form(
        proposal,
        form,
        "proposals/conflict.html",
        saved_answers=saved_answers(proposal, form.custom.definition),
    )


def draft_files(form: ProposalForm, pressed: Pressed) -> DraftFiles:
    return DraftFiles(
        safeguarding=form.safeguarding_upload.data or None,
        attachment=form.attachment_upload.data or None,
        attachment_description=form.attachment_description.data or "",
        remove_attachment_id=pressed.remove_attachment,
        answers=form.file_uploads(),
        remove_answer=pressed.remove_file,
    )


def file_error(form: ProposalForm, refused: FileRefused) -> None:
    if refused.field.startswith("q_"):  # a file question's: beside it and in the summary
        form.custom.errors[refused.field] = str(refused)
        return
    target = form.safeguarding_upload if refused.field == "safeguarding" else form.attachment_upload
    target.errors = [*target.errors, str(refused)]


def files_not_stored_message(now) -> str:
    """What the user reads when the text was saved but the storage could not take a file."""
    return _(
        "Draft saved at %(time)s, but the file could not be stored on our side. Nothing is "
        "wrong with your file: add it again in a few minutes. If this keeps happening, tell "
        "the fund's secretariat.",
        time=format_time(now, "short"),
    )


def after_save_url(proposal: Proposal, form: ProposalForm, pressed: Pressed) -> str:
    """Back to the form (post/redirect/get), with the rows and the place the user was at."""
    if pressed.add_line or pressed.remove_line is not None:
        blank = form.blank_lines() + (1 if pressed.add_line else 0)
        return url_for(
            "proposals.edit", proposal_id=proposal.id, blank_lines=blank, _anchor="budget"
        )
    if pressed.more_rows:
        return url_for(
            "proposals.edit",
            proposal_id=proposal.id,
            more_rows=pressed.more_rows,
            _anchor=pressed.more_rows,
        )
    if pressed.review:
        return url_for("proposals.review", proposal_id=proposal.id)
    answered = pressed.remove_file or next(iter(form.file_uploads()), None)
    if answered:
        return url_for("proposals.edit", proposal_id=proposal.id, _anchor=answered)
    if pressed.remove_attachment is not None or form.attachment_upload.data:
        return url_for("proposals.edit", proposal_id=proposal.id, _anchor="attachments")
    return url_for("proposals.edit", proposal_id=proposal.id)


# --- autosave ---------------------------------------------------------------------------------


def json_errors(form: ProposalForm) -> dict:
    return {
        "saved": False,
        "message": _("Not saved: correct the fields marked, then press Save draft."),
        "errors": {field_id: message for field_id, _label, message in error_list(form)},
    }


def json_conflict(proposal: Proposal) -> dict:
    db.session.refresh(proposal)
    who = proposal.updated_by.name if proposal.updated_by else _("someone else")
    return {
        "saved": False,
        "conflict": True,
        "message": _(
            "Not saved: %(name)s saved this draft at %(time)s. Press Save draft to see "
            "both versions and merge them.",
            name=who,
            time=format_datetime(proposal.updated_at, "short"),
        ),
    }
