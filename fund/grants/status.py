"""What the grant page and the inbox show but never store: whether a report is due soon or
overdue, and where a tranche stands. Everything here is worked out from dates and the clock."""

from __future__ import annotations

from datetime import date, timedelta

from fund.i18n import lazy_gettext as _l
from fund.models import Grant, GrantState, ProgressReport, ReportState, Tranche

DUE_SOON_DAYS = 14  # a report is "due soon" this many days before its due date

OPEN_REPORT_STATES = frozenset({ReportState.UPCOMING})  # still owed by the grantee


def report_timing(report: ProgressReport, today: date) -> str | None:
    """ "overdue", "due_soon" or None: only for a report the grantee has not submitted yet."""
    if report.state not in OPEN_REPORT_STATES:
        return None
    if today > report.due_on:
        return "overdue"
    if today >= report.due_on - timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return None


TIMING_LABELS = {"overdue": _l("overdue"), "due_soon": _l("due soon")}

CONDITION_LABELS = {
    "signature": _l("on signature of the agreement"),
    "interim_report": _l("when the interim report is accepted"),
    "final_report": _l("when the final report is accepted"),
}


def condition_label(condition: str) -> str:
    return str(CONDITION_LABELS.get(condition, condition))


def condition_met(tranche: Tranche, grant: Grant) -> bool:
    """A signature tranche once the agreement is accepted; a report tranche once its report is
    accepted (a report tranche with no report in the schedule waits on nothing)."""
    if grant.accepted_at is None and grant.state == GrantState.PENDING_AGREEMENT:
        return False
    if grant.state == GrantState.CANCELLED:
        return False
    if tranche.condition == "signature" or tranche.report is None:
        return True
    return tranche.report.state == ReportState.ACCEPTED


def tranche_status(tranche: Tranche, grant: Grant, today: date) -> str:
    """ "paid" (approved), "awaiting_approval" (recorded, not approved yet), "due", "scheduled"
    (condition met, due later) or "waiting" (for its condition)."""
    if tranche.paid_on is not None:
        return "paid"
    if tranche.waiting_payment is not None:
        return "awaiting_approval"
    if not condition_met(tranche, grant):
        return "waiting"
    if tranche.due_on is not None and tranche.due_on > today:
        return "scheduled"
    return "due"


TRANCHE_STATUS_LABELS = {
    "paid": _l("paid"),
    "awaiting_approval": _l("payment awaiting approval"),
    "due": _l("due for payment"),
    "scheduled": _l("scheduled"),
    "waiting": _l("waiting for its condition"),
}


def can_be_paid(tranche: Tranche, grant: Grant) -> bool:
    """Money follows the agreement and accepted reports, and never goes to a suspended grant;
    a tranche with a payment awaiting approval waits for that decision."""
    return (
        tranche.paid_on is None
        and tranche.waiting_payment is None
        and grant.state == GrantState.ACTIVE
        and condition_met(tranche, grant)
    )
