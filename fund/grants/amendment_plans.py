"""What an amendment would change: each kind is checked against the grant as it stands and
turned into the values before and after (plain JSON, kept on the amendment as its version of
the grant), and `apply` writes the values after. Nothing here decides who may ask or approve.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from fund.dates import add_months
from fund.extensions import db
from fund.models import (
    AmendmentKind,
    BudgetLine,
    Grant,
    GrantState,
    ProgressReport,
    ReportSpending,
    ReportState,
    Tranche,
)
from fund.money import money

CENT = Decimal("0.01")
MAX_EXTENSION_MONTHS = 36  # an extension moves the end date by at most three years
AMENDABLE_STATES = frozenset({GrantState.ACTIVE, GrantState.SUSPENDED})
# Reports the grantee has not sent yet: an extension moves their due dates. A report sent back
# for changes was due, and sent, already: its date stays.
MOVABLE_REPORT_STATES = frozenset({ReportState.UPCOMING})


class AmendmentError(Exception):
    """An amendment refused; `message` is shown to the user (next to `field` if given)."""

    def __init__(self, message: str, status: int = 400, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def ensure_amendable(grant: Grant) -> None:
    """Raise 409 unless the grant is running (signed, neither closed nor cancelled)."""
    if grant.state not in AMENDABLE_STATES:
        raise AmendmentError(
            _(
                "This grant cannot be amended: only a signed grant that is not closed or "
                "cancelled can change."
            ),
            409,
        )


def plan(grant: Grant, kind: str, proposed: dict[str, Any]) -> tuple[dict, dict]:
    """(before, after) for the change `proposed` of `kind`, or AmendmentError."""
    if kind == AmendmentKind.EXTENSION:
        return plan_extension(grant, date.fromisoformat(proposed["end_on"]))
    if kind == AmendmentKind.REALLOCATION:
        amounts = {int(k): _decimal(v) for k, v in proposed["lines"].items()}
        return plan_reallocation(grant, amounts)
    if kind == AmendmentKind.TRANCHES:
        changes = {
            int(k): (int(v["percent"]), date.fromisoformat(v["due_on"]) if v["due_on"] else None)
            for k, v in proposed["tranches"].items()
        }
        return plan_tranches(grant, changes)
    raise AmendmentError(_("There is no such kind of amendment."), 404)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise AmendmentError(_("Give an amount in figures, e.g. 1250.50.")) from None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _shift(day: date | None, by: timedelta) -> date | None:
    return day + by if day else None


# --- a no-cost extension ----------------------------------------------------------------------


def latest_end(grant: Grant) -> date:
    """The latest end date an extension may give."""
    return add_months(grant.end_on, MAX_EXTENSION_MONTHS)


def plan_extension(grant: Grant, new_end: date) -> tuple[dict, dict]:
    """A later end date; the reports not yet sent move by the same number of days, and so do
    the due dates of the unpaid tranches waiting for them."""
    if grant.end_on is None:
        raise AmendmentError(_("This grant has no end date to extend."), 409)
    if new_end <= grant.end_on:
        raise AmendmentError(
            _("The new end date must be after the current one, %(date)s.", date=grant.end_on),
            400,
            "new_end",
        )
    if new_end > latest_end(grant):
        raise AmendmentError(
            _(
                "An extension moves the end date by three years at most: give a date up to "
                "%(date)s.",
                date=latest_end(grant),
            ),
            400,
            "new_end",
        )
    by = new_end - grant.end_on
    before: dict[str, Any] = {"end_on": _iso(grant.end_on), "reports": [], "tranches": []}
    after: dict[str, Any] = {"end_on": _iso(new_end), "reports": [], "tranches": []}
    moved: set[int] = set()
    previous_moved = False
    for report in sorted(grant.reports, key=lambda r: (r.due_on, r.id)):
        if report.state not in MOVABLE_REPORT_STATES:
            previous_moved = False
            continue
        # A report's period starts the day after the one before it ends: it moves with it.
        start = _shift(report.period_start, by) if previous_moved else report.period_start
        before["reports"].append(
            _report_row(report, report.due_on, report.period_start, report.period_end)
        )
        after["reports"].append(
            _report_row(report, report.due_on + by, start, _shift(report.period_end, by))
        )
        moved.add(report.id)
        previous_moved = True
    for tranche in grant.tranches:
        if tranche.paid_on is None and tranche.report_id in moved and tranche.due_on:
            before["tranches"].append(
                _tranche_row(tranche, tranche.percent, tranche.amount, tranche.due_on)
            )
            after["tranches"].append(
                _tranche_row(tranche, tranche.percent, tranche.amount, tranche.due_on + by)
            )
    return before, after


def _report_row(report: ProgressReport, due: date, start: date | None, end: date | None) -> dict:
    return {
        "id": report.id,
        "kind": report.kind,
        "due_on": _iso(due),
        "period_start": _iso(start),
        "period_end": _iso(end),
    }


def _tranche_row(tranche: Tranche, percent: int, amount: Decimal, due: date | None) -> dict:
    return {
        "id": tranche.id,
        "position": tranche.position,
        "percent": percent,
        "amount": str(amount),
        "due_on": _iso(due),
    }


# --- a budget reallocation --------------------------------------------------------------------


def budget_lines(grant: Grant) -> list[BudgetLine]:
    """The grant's approved budget: the lines of the proposal it was awarded for."""
    return sorted(grant.proposal.budget_lines, key=lambda line: line.position)


def line_label(line: BudgetLine | dict) -> str:
    if isinstance(line, dict):
        return line["label"]
    return line.description or line.category


def plan_reallocation(grant: Grant, amounts: dict[int, Decimal]) -> tuple[dict, dict]:
    """New amounts for the budget lines: every line given, none negative, the same total."""
    lines = budget_lines(grant)
    if not lines:
        raise AmendmentError(_("This grant has no budget lines to reallocate between."), 409)
    if set(amounts) != {line.id for line in lines}:
        raise AmendmentError(
            _("Give an amount for every budget line of this grant, and only those.")
        )
    if any(amount < 0 for amount in amounts.values()):
        raise AmendmentError(_("An amount cannot be less than 0."))
    total = sum((line.amount for line in lines), Decimal("0"))
    given = sum(amounts.values(), Decimal("0"))
    if given != total:
        raise AmendmentError(
            _(
                "The lines must add up to the same total, %(total)s; they add up to %(given)s.",
                total=money(total, grant.currency),
                given=money(given, grant.currency),
            )
        )
    if all(amounts[line.id] == line.amount for line in lines):
        raise AmendmentError(_("Change the amount of at least one line."))
    before = {"lines": [_line_row(line, line.amount) for line in lines]}
    after = {"lines": [_line_row(line, amounts[line.id]) for line in lines]}
    return before, after


def _line_row(line: BudgetLine, amount: Decimal) -> dict:
    return {"id": line.id, "label": line_label(line), "amount": str(amount)}


def moved_percent(before: dict, after: dict, grant_amount: Decimal) -> Decimal:
    """The share of the grant a reallocation moves: what the lines gain, over the grant."""
    old = {row["id"]: Decimal(row["amount"]) for row in before["lines"]}
    gained = sum(
        (max(Decimal(row["amount"]) - old[row["id"]], Decimal("0")) for row in after["lines"]),
        Decimal("0"),
    )
    if grant_amount <= 0:
        return Decimal("100")
    return gained * 100 / grant_amount


# --- a new tranche schedule -------------------------------------------------------------------


def unpaid_tranches(grant: Grant) -> list[Tranche]:
    return [t for t in grant.tranches if t.paid_on is None]


def plan_tranches(grant: Grant, changes: dict[int, tuple[int, date | None]]) -> tuple[dict, dict]:
    """New percentages and due dates for the unpaid tranches; paid ones stay as they are and
    the percentages still add up to 100, so the total paid out is unchanged."""
    paid = [t for t in grant.tranches if t.paid_on is not None]
    unpaid = unpaid_tranches(grant)
    if any(t.id in changes for t in paid):
        raise AmendmentError(_("A tranche that is paid already cannot change."), 409)
    if not unpaid:
        raise AmendmentError(_("Every tranche is paid: there is nothing left to change."), 409)
    if set(changes) != {t.id for t in unpaid}:
        raise AmendmentError(_("Give every unpaid tranche of this grant, and only those."))
    if any(not 1 <= percent <= 100 for percent, _due in changes.values()):
        raise AmendmentError(_("Give each tranche a percentage from 1 to 100."))
    total = sum(t.percent for t in paid) + sum(percent for percent, _due in changes.values())
    if total != 100:
        raise AmendmentError(
            _("The percentages must add up to 100; they add up to %(n)d.", n=total)
        )
    if grant.start_on is None or grant.end_on is None:
        raise AmendmentError(_("This grant has no funded period to schedule payments in."), 409)
    latest = add_months(grant.end_on, MAX_EXTENSION_MONTHS)
    for _percent, due in changes.values():
        if due is not None and not grant.start_on <= due <= latest:
            raise AmendmentError(
                _(
                    "Give due dates between %(first)s and %(last)s.",
                    first=grant.start_on,
                    last=latest,
                )
            )
    if all(changes[t.id] == (t.percent, t.due_on) for t in unpaid):
        raise AmendmentError(_("Change the percentage or the date of at least one tranche."))
    remaining = grant.amount - sum((t.amount for t in paid), Decimal("0"))
    shares = [changes[t.id][0] for t in unpaid]
    amounts = _split(remaining, shares)
    before = {"tranches": [_tranche_row(t, t.percent, t.amount, t.due_on) for t in unpaid]}
    after = {
        "tranches": [
            _tranche_row(t, changes[t.id][0], amount, changes[t.id][1])
            for t, amount in zip(unpaid, amounts, strict=True)
        ]
    }
    return before, after


def _split(amount: Decimal, shares: list[int]) -> list[Decimal]:
    """`amount` in proportion to `shares`, in cents; the last takes the rounding."""
    whole = sum(shares)
    parts = [(amount * s / whole).quantize(CENT, ROUND_HALF_UP) for s in shares[:-1]]
    return [*parts, amount - sum(parts, Decimal("0"))]


# --- applying an approved amendment -----------------------------------------------------------


def apply(grant: Grant, after: dict) -> None:
    """Write the values after the change to the grant, its reports, tranches and budget lines
    (in the caller's transaction; flushed)."""
    if after.get("end_on"):
        grant.end_on = date.fromisoformat(after["end_on"])
    reports = {r.id: r for r in grant.reports}
    for row in after.get("reports", []):
        report = reports[row["id"]]
        report.due_on = date.fromisoformat(row["due_on"])
        report.period_start = _date(row["period_start"])
        report.period_end = _date(row["period_end"])
    tranches = {t.id: t for t in grant.tranches}
    for row in after.get("tranches", []):
        tranche = tranches[row["id"]]
        tranche.percent = row["percent"]
        tranche.amount = Decimal(row["amount"])
        tranche.due_on = _date(row["due_on"])
    lines = {line.id: line for line in grant.proposal.budget_lines}
    for row in after.get("lines", []):
        lines[row["id"]].amount = Decimal(row["amount"])
        # Reports still being written plan against the new budget; sent ones keep theirs.
        for spending in db.session.scalars(
            db.select(ReportSpending)
            .join(ProgressReport, ProgressReport.id == ReportSpending.report_id)
            .where(
                ReportSpending.budget_line_id == row["id"],
                ProgressReport.state.in_([ReportState.UPCOMING, ReportState.CHANGES_REQUESTED]),
            )
        ):
            spending.planned = Decimal(row["amount"])
    db.session.flush()


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
