"""Progress report pages: the grantee's form (draft, submit, files) and the secretariat's inbox
and review ("Accept report", "Request changes")."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import clock, permissions, spreadsheets, storage
from fund.access import require
from fund.extensions import db
from fund.forms_def.definition import questions
from fund.forms_def.validate import AnswerForm
from fund.grants import inbox as inbox_queries
from fund.grants import inbox_rows, queries, report_exports, reporting, status
from fund.grants.forms import InboxFilterForm, ReportForm, ReviewReportForm
from fund.models import AgeBand, Call, ReportAttachment, Sex
from fund.numbers import parse_id
from fund.outbox import commit
from fund.proposals.editing import custom_fields
from fund.rules.report_content import (
    AGE_BAND_LABELS,
    SEX_LABELS,
    reach_counts,
    reach_field,
    spending_lines,
)
from fund.rules.report_questions import answered_sections, report_definition, scope
from fund.workflow import allowed_actions

bp = Blueprint("reports", __name__, url_prefix="/reports")


def get_report_or_404(report_id: int):
    """The report if the user may see it; 404 for another organisation's, as for none."""
    report = queries.get_report(report_id)
    if report is None or not permissions.can_view_report(current_user, report):
        abort(404)
    return report


@bp.get("/")
@require(permissions.can_review_reports)
def inbox():
    """Reports submitted, overdue and due soon, for one call or all."""
    calls = queries.calls_with_grants()
    form = InboxFilterForm(request.args, calls=calls)
    if not form.validate():
        abort(400, description=_("Choose a call from the list."))
    call_id = parse_id(form.call.data)
    today = clock.now().date()
    section = request.args.get("section")  # one section alone, paginated; else the first pages
    section = section if section in inbox_queries.INBOX_SECTIONS else None
    sections = inbox_queries.inbox(
        call_id,
        today,
        section,
        request.args.get("page", 1),
        hidden_organisation_ids=permissions.organisations_hidden_from(current_user),
    )
    return render_template(
        "reports/inbox.html",
        form=form,
        today=today,
        section=section,
        sections=sections,
        rows=inbox_rows.written_rows(sections, today),
    )


@bp.get("/export.<any(csv, xlsx):fmt>")
@require(permissions.can_review_reports)
def export(fmt: str):
    """A call's submitted reports as CSV or XLSX, one column per report question; people
    reached under 5 are shown as "<5"."""
    form = InboxFilterForm(request.args, calls=queries.calls_with_grants())
    call_id = parse_id(form.call.data) if form.validate() else None
    call = db.session.get(Call, call_id) if call_id else None
    if call is None:
        abort(400, description=_("Choose a call from the list to download its reports."))
    reports = queries.submitted_reports(
        call.id, permissions.organisations_hidden_from(current_user)
    )
    return spreadsheets.download(
        report_exports.reports_header(call),
        report_exports.reports_rows(call, reports),
        fmt=fmt,
        filename=f"reports-call-{call.id}",
    )


def _form_for(report, lines, formdata=None) -> ReportForm:
    definition = report_definition(report)
    if formdata is not None:
        asked = AnswerForm(definition, formdata=formdata, scope=scope(report))
        return ReportForm.for_lines(lines).with_questions(asked)
    asked = AnswerForm(definition, stored=report.answers, scope=scope(report))
    form = ReportForm.for_lines(lines, formdata=None).with_questions(asked)
    for name in ("narrative", "activities_done", "challenges", "next_steps"):
        form[name].data = getattr(report, name)
    if not report.activities_done and report.updated_at is None:
        form.activities_done.data = report.grant.proposal.planned_activities  # the plan, to edit
    for (sex, band), count in reach_counts(report).items():
        form[reach_field(sex, band)].data = count
    for line in lines:
        form[f"spent_{line.position}"].data = line.spent
        form[f"explanation_{line.position}"].data = line.explanation
    return form


def _render(report, form=None, review_form=None, code: int = 200):
    lines = spending_lines(report)
    editable = permissions.can_edit_report(current_user, report)
    if form is None and editable:
        form = _form_for(report, lines)
    return render_template(
        "reports/detail.html",
        report=report,
        grant=report.grant,
        form=form,
        lines=lines,
        editable=editable,
        today=clock.now().date(),
        timing=status.report_timing,
        reach=reach_counts(report),
        sexes=list(Sex),
        bands=list(AgeBand),
        sex_labels=SEX_LABELS,
        band_labels=AGE_BAND_LABELS,
        reach_field=reach_field,
        custom=custom_fields(form) if editable else [],
        custom_errors=_question_errors(form) if editable else [],
        answered=[] if editable else answered_sections(report),
        review_form=review_form or ReviewReportForm(formdata=None),
        review_actions=[
            t
            for t in allowed_actions(report, current_user)
            if t.action in ("accept", "request_changes")
        ],
        history=queries.report_history(report),
    ), code


@bp.get("/<int:report_id>")
@login_required
def detail(report_id: int):
    """The report: the form while the grantee may edit it, the submitted report otherwise."""
    return _render(get_report_or_404(report_id))


@bp.post("/<int:report_id>")
@login_required
def save(report_id: int):
    """ "Save draft" keeps what was typed; "Submit report" also checks it is complete."""
    report = get_report_or_404(report_id)
    if not permissions.can_edit_report(current_user, report):
        abort(
            403 if not permissions.is_member(current_user, report.grant.organisation_id) else 409,
            description=_("This report cannot be changed now."),
        )
    lines = spending_lines(report)
    form = _form_for(report, lines, formdata=request.form)
    if not form.validate_on_submit():
        flash(_("Nothing was saved: correct the items marked below."), "error")
        return _render(report, form=form, code=400)
    now = clock.now()
    try:
        reporting.save_report(
            report,
            form.report_data(lines),
            current_user,
            now,
            upload=form.attachment.data,
            upload_description=form.attachment_description.data or "",
        )
        if request.form.get("action") == "submit":
            reporting.submit_report(report, current_user, now)
    except reporting.AttachmentNotStored:
        commit()  # the draft is kept; only the file has to be sent again, then the report
        flash(
            _(
                "Your draft is saved, but the file could not be stored on our side, so the "
                "report is not submitted yet. Nothing is wrong with your file: add it again in "
                "a few minutes. If this keeps happening, tell the fund's secretariat."
            ),
            "warning",
        )
        return redirect(url_for("reports.detail", report_id=report.id))
    except reporting.ReportIncomplete as error:
        commit()  # the draft is kept; only the submission waits
        report = get_report_or_404(report_id)
        _mark(form, error.fields)
        flash(error.message, "error")
        return _render(report, form=form, code=error.status)
    except reporting.ReportError as error:
        db.session.rollback()
        _mark(form, error.fields)
        flash(_("Nothing was saved: %(reason)s", reason=error.message), "error")
        return _render(get_report_or_404(report_id), form=form, code=error.status)
    commit()
    if request.form.get("action") == "submit":
        flash(_("Your report is submitted. The secretariat will read it and reply."), "success")
    else:
        flash(_("Your draft is saved."), "success")
    return redirect(url_for("reports.detail", report_id=report.id))


def _mark(form, fields: dict[str, str]) -> None:
    for name, message in fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
        elif name in form.custom.raw:  # one of the call's own report questions
            form.custom.errors[name] = message


def _question_errors(form) -> list[tuple[str, str, str]]:
    """(question id, label, message) for the summary at the top of the form."""
    labels = {q["id"]: q["label"] for q in questions(form.custom.definition)}
    return [(qid, labels.get(qid, qid), message) for qid, message in form.custom.errors.items()]


@bp.post("/<int:report_id>/review")
@require(permissions.can_review_reports)
def review(report_id: int):
    """ "Accept report" (the tranche waiting for it falls due) or "Request changes"."""
    report = get_report_or_404(report_id)
    form = ReviewReportForm()
    action = request.form.get("action")
    if action not in ("accept", "request_changes") or not form.validate_on_submit():
        return _render(report, review_form=form, code=400)
    comment, now = form.comment.data or "", clock.now()
    if action == "accept":
        reporting.accept_report(report, current_user, comment, now)
        message = _("The report is accepted; the grantee is told.")
    else:
        reporting.request_changes(report, current_user, comment, now)
        message = _("Changes are requested; the grantee is told and can resubmit.")
    commit()
    flash(message, "success")
    return redirect(url_for("reports.detail", report_id=report.id))


def _attachment_or_404(report, attachment_id: int) -> ReportAttachment:
    attachment = db.session.get(ReportAttachment, attachment_id)
    if attachment is None or attachment.report_id != report.id:
        abort(404)
    return attachment


@bp.get("/<int:report_id>/files/<int:attachment_id>")
@login_required
def download(report_id: int, attachment_id: int):
    report = get_report_or_404(report_id)
    return storage.send(_attachment_or_404(report, attachment_id).file)


@bp.post("/<int:report_id>/files/<int:attachment_id>/remove")
@login_required
def remove_file(report_id: int, attachment_id: int):
    report = get_report_or_404(report_id)
    if not permissions.can_edit_report(current_user, report):
        abort(403)
    attachment = _attachment_or_404(report, attachment_id)
    if not ReviewReportForm().validate_on_submit():  # only the CSRF token matters here
        abort(400)
    try:
        reporting.remove_attachment(report, attachment)
    except reporting.ReportError as error:
        abort(error.status, description=error.message)
    commit()
    flash(_("The file is removed from the report."), "success")
    return redirect(url_for("reports.detail", report_id=report.id))
