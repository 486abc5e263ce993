"""The audit log's pages: read-only, for the secretariat; its downloads are themselves audited."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from fund import audit, clock, permissions, spreadsheets
from fund.access import require
from fund.admin import audit_log
from fund.admin.forms import SUBJECT_LABELS, AuditFilterForm
from fund.admin.views import bp
from fund.outbox import commit

# Where a subject's own page is, by kind of subject (others are shown without a link).
SUBJECT_PAGES = {
    "call": ("calls.detail", "call_id"),
    "proposal": ("proposals.detail", "proposal_id"),
    "grant": ("grants.detail", "grant_id"),
    "report": ("reports.detail", "report_id"),
    "organisation": ("organisations.detail", "organisation_id"),
    "user": ("admin.user", "user_id"),
}


def _filters() -> tuple[AuditFilterForm, audit_log.Filters]:
    """The filters of the address (the form, to show, and its values), or a 400 that names
    what is wrong with them."""
    form = AuditFilterForm(
        request.args, subject_types=audit_log.subject_types(), actions=audit_log.actions()
    )
    if not form.validate():
        abort(
            400,
            description=_(
                "Check the filters: %(errors)s",
                errors="; ".join(
                    f"{form[name].label.text}: {error}"
                    for name, errors in form.errors.items()
                    for error in errors
                ),
            ),
        )
    return form, audit_log.Filters(
        subject_type=form.subject_type.data or "",
        subject_id=form.subject_id.data,
        actor=(form.actor.data or "").strip(),
        action=form.action.data or "",
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/audit")
@require(permissions.can_read_audit_log)
def audit_log_page():
    """Every audit row, newest first, filtered and a page at a time."""
    form, filters = _filters()
    return render_template(
        "admin/audit.html",
        form=form,
        pagination=audit_log.page(filters, form.page.data or 1),
        subject_pages=SUBJECT_PAGES,
        subject_labels=SUBJECT_LABELS,
    )


HEADER = ["created_at_utc", "subject", "subject_id", "action", "from", "to", "actor", "comment"]


@bp.get("/audit.<any(csv, xlsx):fmt>")
@require(permissions.can_read_audit_log)
def audit_log_export(fmt: str):
    """The filtered rows as CSV or XLSX; the download is itself a row of the log."""
    _form, filters = _filters()
    events = audit_log.all_rows(filters)
    rows = [
        (
            event.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            event.subject_type,
            event.subject_id,
            event.action,
            event.from_state or "",
            event.to_state or "",
            event.actor.email if event.actor else "",
            event.comment,
        )
        for event in events
    ]
    audit.record_export(current_user, "audit log", fmt, len(rows), filters.as_dict())
    commit()
    stamp = clock.now().strftime("%Y%m%d")
    return spreadsheets.download(HEADER, rows, fmt=fmt, filename=f"audit-log-{stamp}")
