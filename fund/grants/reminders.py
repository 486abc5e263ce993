"""Report reminders, sent by `flask fund send-reminders` (cron, daily): to the grantee 14 days
before a report is due, on the due date and 7 days after it while still missing; and a weekly
digest of overdue reports to the secretariat.

Each report is locked and re-read just before its reminder is queued, so one submitted
meanwhile gets nothing. Each reminder has a window rather than a single day, so a day the cron
job missed is caught up, and a dedupe key per report, due date, kind and recipient, so nothing
is sent twice (a new due date earns new reminders).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from fund.extensions import db
from fund.grants import inbox, mail
from fund.grants.status import DUE_SOON_DAYS
from fund.models import Grant, GrantState, ProgressReport, ReportState, Role
from fund.notifications import public_url, queue_email, users_with_role
from fund.outbox import commit

OVERDUE_AFTER_DAYS = 7
RUNNING = (GrantState.ACTIVE, GrantState.SUSPENDED)


def reminder_kind(report: ProgressReport, today: date) -> str | None:
    """ "due_soon" (14 to 1 days before), "due_today" (the due date and the 6 days after),
    "overdue" (7 days after and later) or None: only while the report is still owed."""
    if report.state != ReportState.UPCOMING or report.grant.state not in RUNNING:
        return None
    if today >= report.due_on + timedelta(days=OVERDUE_AFTER_DAYS):
        return "overdue"
    if today >= report.due_on:
        return "due_today"
    if today >= report.due_on - timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return None


def _candidates(today: date) -> list[int]:
    return list(
        db.session.scalars(
            select(ProgressReport.id)
            .join(Grant, Grant.id == ProgressReport.grant_id)
            .where(
                ProgressReport.state == ReportState.UPCOMING,
                Grant.state.in_(RUNNING),
                ProgressReport.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            )
            .order_by(ProgressReport.id)
        )
    )


def send_report_reminders(now: datetime) -> int:
    """Queue (and try to send) the grantee reminders and the weekly digest due at `now`;
    returns how many messages were queued."""
    today = now.date()
    queued = 0
    for report_id in _candidates(today):
        report = db.session.scalars(
            select(ProgressReport)
            .where(ProgressReport.id == report_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        db.session.refresh(report.grant)
        kind = reminder_kind(report, today)
        if kind is not None:
            before = len(db.session.info.get("outbox", []))
            mail.tell_grantee(
                report.grant,
                f"report_{kind}",
                dedupe_key=f"report-reminder:{report.id}:{report.due_on.isoformat()}:{kind}",
                **mail.report_context(report),
            )
            queued += len(db.session.info.get("outbox", [])) - before
        commit()  # one transaction per report: releases its lock, then sends
    queued += send_overdue_digest(today)
    return queued


def send_overdue_digest(today: date) -> int:
    """Once per ISO week, the list of overdue reports to each admin (none when there are none)."""
    reports = inbox.overdue_reports(today)
    if not reports:
        return 0
    year, week, _ = today.isocalendar()
    before = len(db.session.info.get("outbox", []))
    for admin in users_with_role(Role.ADMIN):
        queue_email(
            admin,
            "report_overdue_digest",
            reports=reports,
            count=len(reports),
            today=today,
            url=public_url("reports.inbox"),
            report_url=mail.report_url,
            kind_names=mail.KIND_NAMES,
            dedupe_key=f"report-digest:{year}-W{week:02d}:{admin.id}",
        )
    queued = len(db.session.info.get("outbox", [])) - before
    commit()
    return queued
