"""The grants list's bulk action "Send report reminders": for each chosen grant, the next report
still owed and due (soon, today or overdue) gets the cron job's reminder e-mail
(fund/grants/reminders.py) to the grantee's members now, at most once per report a day.

The check reads only what the list loaded (the grant and its reports), so the confirmation page
costs no query per row; the apply locks the report and checks it again before queueing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from fund import audit
from fund.extensions import db
from fund.grants import mail, reminders
from fund.models import Grant, GrantState, ProgressReport, ReportState
from fund.notifications import organisation_members


class NothingToRemind(Exception):
    """The grant cannot be reminded now; the reason is shown on the confirmation and result."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def report_to_remind(grant: Grant, today: date) -> ProgressReport:
    """The grant's next report still owed and in its reminder window; raises NothingToRemind."""
    if grant.state != GrantState.ACTIVE:
        raise NothingToRemind(_("Only active grants are reminded about their reports."))
    owed = [r for r in grant.reports if r.state == ReportState.UPCOMING]
    if not owed:
        raise NothingToRemind(_("The grantee owes no report now."))
    report = min(owed, key=lambda r: (r.due_on, r.id))
    if reminders.reminder_kind(report, today) is None:
        raise NothingToRemind(
            _("No report is due yet: the next one is due on %(day)s.", day=report.due_on)
        )
    if report.reminded_on == today:
        raise NothingToRemind(_("The grantee was already reminded about this report today."))
    return report


def check(grant: Grant, actor: Any, today: date) -> str | None:
    """Why the grant cannot be reminded `today`, or None."""
    try:
        report_to_remind(grant, today)
    except NothingToRemind as refused:
        return refused.reason
    return None


def remind(grant: Grant, actor: Any, now: datetime) -> None:
    """Queue the report's reminder to every active member of the grantee, record the day and an
    audit row. Raises NothingToRemind (before writing anything) when it can no longer be sent."""
    today = now.date()
    report = report_to_remind(grant, today)
    # lock the report and read it as committed: two secretaries sending at once remind once
    db.session.scalars(
        select(ProgressReport)
        .where(ProgressReport.id == report.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    report = report_to_remind(grant, today)
    members = organisation_members(grant.organisation_id)
    if not members:
        raise NothingToRemind(_("The grantee organisation has no active member to write to."))
    kind = reminders.reminder_kind(report, today)
    mail.tell_grantee(
        grant,
        f"report_{kind}",
        dedupe_key=f"report-reminder-now:{report.id}:{today.isoformat()}",
        **mail.report_context(report),
    )
    report.reminded_on = today
    audit.record(
        "report",
        report.id,
        "report_reminded",
        actor=actor,
        comment=f"report_{kind}: {len(members)} recipients",
    )
    db.session.flush()
