"""The grant an award creates: its terms, tranches and reporting schedule, in the award's
transaction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fund.dates import add_months
from fund.extensions import db
from fund.models import Decision, Grant, ProgressReport, Proposal, ReportKind, Tranche

CENT = Decimal("0.01")


def grant_reference(proposal: Proposal) -> str:
    """GR-2027-0042 for proposal INS-2027-0042: the grant keeps the proposal's number."""
    if proposal.reference and "-" in proposal.reference:
        return "GR-" + proposal.reference.split("-", 1)[1]
    return f"GR-{proposal.call.year}-{proposal.id:04d}"


def funded_period(proposal: Proposal, fallback_start: date) -> tuple[date, date]:
    """The first and last day of the funded period: from the proposal's start date for its
    duration (the day before the same date `duration` months later)."""
    start = proposal.start_date or fallback_start
    months = proposal.duration_months or proposal.call.max_duration_months
    return start, add_months(start, months) - timedelta(days=1)


def split_amount(amount: Decimal, percents: list[int]) -> list[Decimal]:
    """Tranche amounts for `percents` of `amount`, in cents; the last takes the rounding."""
    parts = [(amount * p / 100).quantize(CENT, ROUND_HALF_UP) for p in percents[:-1]]
    return [*parts, amount - sum(parts, Decimal("0"))]


def reporting_schedule(template: list[dict], start: date, end: date) -> list[ProgressReport]:
    """The reports of the call's template, each covering the time since the one before.

    An item gives `months_after_start` (due that day) or `days_after_end` (due that many days
    after the last funded day, covering up to it). An interim report that would fall due after
    the funded period has ended is left out: the final report covers that time.
    """
    reports = []
    for item in template:
        if "months_after_start" in item:
            due_on = add_months(start, int(item["months_after_start"]))
            if due_on > end:
                continue
            period_end = due_on - timedelta(days=1)
        else:
            due_on = end + timedelta(days=int(item.get("days_after_end", 0)))
            period_end = end
        reports.append(
            ProgressReport(
                kind=item.get("kind", ReportKind.INTERIM), due_on=due_on, period_end=period_end
            )
        )
    reports.sort(key=lambda r: r.due_on)
    period_start = start
    for report in reports:
        report.period_start = period_start
        period_start = report.period_end + timedelta(days=1)
    return reports


def tranches_for(
    template: list[dict], amount: Decimal, reports: list[ProgressReport], start: date
) -> list[Tranche]:
    """The call's tranche template applied to `amount`; a tranche conditional on a report
    waits for the first report of that kind not already claimed by an earlier tranche."""
    amounts = split_amount(amount, [int(item["percent"]) for item in template])
    claimed: set[int] = set()
    tranches = []
    for position, (item, share) in enumerate(zip(template, amounts, strict=True), start=1):
        condition = str(item.get("condition", "signature"))
        report = None
        if condition.endswith("_report"):
            kind = condition.removesuffix("_report")
            report = next(
                (r for i, r in enumerate(reports) if r.kind == kind and i not in claimed), None
            )
            if report is not None:
                claimed.add(reports.index(report))
        due_on = (
            add_months(start, int(item["months_after_start"]))
            if "months_after_start" in item
            else None
        )
        tranches.append(
            Tranche(
                position=position,
                percent=int(item["percent"]),
                amount=share,
                condition=condition,
                report=report,
                due_on=due_on,
            )
        )
    return tranches


def create_grant(proposal: Proposal, decision: Decision) -> Grant:
    """The grant for an award, pending agreement, with its tranches and reports (flushed)."""
    call = proposal.call
    start, end = funded_period(proposal, decision.decided_at.date())
    grant = Grant(
        proposal_id=proposal.id,
        organisation_id=proposal.organisation_id,
        reference=grant_reference(proposal),
        amount=decision.amount,
        currency=call.currency,
        start_on=start,
        end_on=end,
        decision_id=decision.id,
    )
    reports = reporting_schedule(call.reporting_template or [], start, end)
    grant.reports = reports
    grant.tranches = tranches_for(
        call.tranche_template or [{"percent": 100}], decision.amount, reports, start
    )
    db.session.add(grant)
    db.session.flush()
    return grant
