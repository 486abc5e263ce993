"""Writes on progress reports: the grantee's draft and submission, the secretariat's review,
and the tranche an accepted report releases. Services flush; views commit."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from fund import storage, workflow
from fund.extensions import db
from fund.grants import mail
from fund.models import (
    ProgressReport,
    ReportAttachment,
    ReportReach,
    ReportSpending,
    User,
)
from fund.rules.report_content import completeness_errors, spending_lines
from fund.rules.report_questions import EDITABLE, freeze_definition


class ReportError(Exception):
    """A report change refused: `message` for the page, `fields` for the form, HTTP `status`."""

    def __init__(self, message: str, status: int = 400, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.fields = fields or {}


class ReportIncomplete(ReportError):
    """Submission refused because something is missing; the draft itself was saved."""


class AttachmentNotStored(Exception):
    """The draft is saved (flushed) but the upload folder could not take its file; the caller
    commits the draft and asks for the file again. Nothing is submitted."""


def save_report(
    report: ProgressReport,
    data: dict[str, Any],
    user: User,
    now: datetime,
    *,
    upload: FileStorage | None = None,
    upload_description: str = "",
) -> None:
    """Save the draft: texts, reach counts (None clears a cell), spending by line position,
    the answers to the call's report questions (checked by fund/forms_def/validate.py), and a
    new attachment. Text is kept as typed; pages escape it.

    Raises ReportError for a refused file (the caller rolls back), and AttachmentNotStored,
    after everything else is flushed, when the storage could not take the file."""
    if report.state not in EDITABLE:
        raise ReportError(_("This report was submitted and can no longer be changed."), 409)
    for name in ("narrative", "activities_done", "challenges", "next_steps"):
        if name in data:
            setattr(report, name, data[name] or "")
    if "answers" in data:
        report.answers = dict(data["answers"])
    _save_reach(report, data.get("reach", {}))
    _save_spending(report, data.get("spending", {}))
    stored, not_stored = None, False
    if upload is not None and upload.filename:
        try:
            stored = storage.store(
                upload, organisation_id=report.grant.organisation_id, uploaded_by_id=user.id
            )
        except storage.UploadError as error:
            raise ReportError(str(error), 400, {"attachment": str(error)}) from None
        except storage.StorageUnavailable:
            not_stored = True
    if stored is not None:
        report.attachments.append(
            ReportAttachment(file_id=stored.id, description=upload_description[:200])
        )
    report.updated_at = now
    report.updated_by_id = user.id
    db.session.flush()
    if not_stored:
        raise AttachmentNotStored()


def _save_reach(report: ProgressReport, reach: dict[tuple[str, str], int | None]) -> None:
    rows = {(r.sex, r.age_band): r for r in report.reach}
    for (sex, band), count in reach.items():
        row = rows.get((sex, band))
        if count is None:
            if row is not None:
                report.reach.remove(row)
        elif row is None:
            report.reach.append(ReportReach(sex=sex, age_band=band, count=count))
        else:
            row.count = count


def _save_spending(report: ProgressReport, spending: dict[int, tuple[Decimal | None, str]]):
    if not report.spending:  # the first save copies the plan from the proposal's budget
        for line in spending_lines(report):
            report.spending.append(
                ReportSpending(
                    position=line.position,
                    budget_line_id=line.budget_line_id,
                    category=line.category,
                    description=line.description,
                    planned=line.planned,
                )
            )
    for row in report.spending:
        if row.position in spending:
            row.spent, row.explanation = spending[row.position]


def submit_report(report: ProgressReport, user: User, now: datetime) -> None:
    """Submit a complete report and tell the secretariat; ReportIncomplete lists what is
    missing (the draft stays saved)."""
    db.session.flush()
    errors = completeness_errors(report)
    if errors and report.grant.state in ("active", "suspended"):
        raise ReportIncomplete(
            _(
                "Your draft is saved, but it cannot be submitted until the "
                "items marked below are filled in."
            ),
            400,
            errors,
        )
    workflow.transition(report, "submit", user, now=now)
    report.submitted_at = now
    freeze_definition(report)  # later edits to the call's report form leave this one alone
    db.session.flush()
    grant = report.grant
    mail.tell_secretariat(
        "report_submitted",
        grant=grant,
        reference=mail.reference(grant),
        url=mail.report_url(report),
        **mail.report_context(report),
    )


def accept_report(report: ProgressReport, user: User, comment: str, now: datetime) -> None:
    """Accept the report; the tranche waiting for it falls due today, and the grantee hears."""
    workflow.transition(report, "accept", user, comment=comment, now=now)
    report.accepted_at = now
    report.feedback = comment.strip()
    for tranche in report.grant.tranches:
        if tranche.report_id == report.id and tranche.paid_on is None and tranche.due_on is None:
            tranche.due_on = now.date()
    db.session.flush()
    mail.tell_grantee(
        report.grant, "report_accepted", comment=comment.strip(), **mail.report_context(report)
    )


def request_changes(report: ProgressReport, user: User, comment: str, now: datetime) -> None:
    """Send the report back with the reviewer's comments; the grantee edits and resubmits."""
    workflow.transition(report, "request_changes", user, comment=comment, now=now)
    report.feedback = comment.strip()
    db.session.flush()
    mail.tell_grantee(
        report.grant,
        "report_changes_requested",
        comment=comment.strip(),
        **mail.report_context(report),
    )


def remove_attachment(report: ProgressReport, attachment: ReportAttachment) -> None:
    if report.state not in EDITABLE:
        raise ReportError(_("This report was submitted and can no longer be changed."), 409)
    report.attachments.remove(attachment)
    db.session.flush()
