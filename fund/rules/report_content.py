"""What a progress report holds and when it is complete: reach by sex and age band, spending per
budget line against the plan (pre-filled from the proposal), and the texts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from fund.i18n import lazy_gettext as _l
from fund.models import AgeBand, Grant, ProgressReport, ReportKind, Sex
from fund.rules.report_questions import question_problems

CENT = Decimal("0.01")
VARIANCE = Decimal("0.10")  # a line whose spending differs from the plan by more needs a reason

SEX_LABELS = {
    Sex.FEMALE: _l("Female"),
    Sex.MALE: _l("Male"),
    Sex.OTHER_OR_NOT_RECORDED: _l("Other or not recorded"),
}
AGE_BAND_LABELS = {
    AgeBand.UNDER_5: _l("0-4"),
    AgeBand.FROM_5_TO_9: _l("5-9"),
    AgeBand.FROM_10_TO_14: _l("10-14"),
    AgeBand.FROM_15_TO_17: _l("15-17"),
    AgeBand.ADULT: _l("18 and over"),
}
REACH_CELLS = [(sex, band) for sex in Sex for band in AgeBand]
TEXT_FIELDS = {
    "narrative": _l("What happened in this period"),
    "activities_done": _l("Activities carried out"),
    "challenges": _l("Challenges"),
    "next_steps": _l("Next steps"),
}


def reach_field(sex: str, band: str) -> str:
    return f"reach_{sex}_{band}"


@dataclass
class SpendingLine:
    """One budget line as the report form shows it (from the saved row, or from the proposal)."""

    position: int
    budget_line_id: int | None
    category: str
    description: str
    planned: Decimal
    spent: Decimal | None = None
    explanation: str = ""

    @property
    def needs_explanation(self) -> bool:
        return self.spent is not None and needs_explanation(self.planned, self.spent)


def needs_explanation(planned: Decimal, spent: Decimal) -> bool:
    """True when spending differs from the plan by more than 10% of the plan."""
    return abs(spent - planned) > planned * VARIANCE


def period_fraction(grant: Grant, report: ProgressReport) -> Decimal:
    """The share of the funded period that has passed by the end of the report's period (1 for
    the final report, or when dates are missing)."""
    if report.kind == ReportKind.FINAL or not (
        grant.start_on and grant.end_on and report.period_end
    ):
        return Decimal(1)
    total = (grant.end_on - grant.start_on).days + 1
    elapsed = (min(report.period_end, grant.end_on) - grant.start_on).days + 1
    return min(Decimal(1), Decimal(max(elapsed, 0)) / Decimal(max(total, 1)))


def planned_to_date(amount: Decimal, grant: Grant, report: ProgressReport) -> Decimal:
    """What the proposal's budget planned for one line up to the end of the report's period:
    scaled to the amount awarded, in proportion to the time elapsed."""
    requested = grant.proposal.amount_requested or Decimal(0)
    scale = grant.amount / requested if requested > 0 and 0 < grant.amount < requested else 1
    return (amount * Decimal(scale) * period_fraction(grant, report)).quantize(CENT, ROUND_HALF_UP)


def spending_lines(report: ProgressReport) -> list[SpendingLine]:
    """The saved spending rows, or, before the first save, the proposal's budget lines."""
    if report.spending:
        return [
            SpendingLine(
                s.position,
                s.budget_line_id,
                s.category,
                s.description,
                s.planned,
                s.spent,
                s.explanation,
            )
            for s in report.spending
        ]
    grant = report.grant
    return [
        SpendingLine(
            line.position,
            line.id,
            line.category,
            line.description,
            planned_to_date(line.amount, grant, report),
        )
        for line in grant.proposal.budget_lines
    ]


def reach_counts(report: ProgressReport) -> dict[tuple[str, str], int]:
    return {(r.sex, r.age_band): r.count for r in report.reach}


def completeness_errors(report: ProgressReport) -> dict[str, str]:
    """Field name (or question id) -> what is missing before the report can be submitted
    (empty when complete)."""
    errors: dict[str, str] = {}
    for name, label in TEXT_FIELDS.items():
        if not (getattr(report, name) or "").strip():
            errors[name] = _('Fill in "%(label)s".', label=label)
    counts = reach_counts(report)
    for sex, band in REACH_CELLS:
        if (sex, band) not in counts:
            errors[reach_field(sex, band)] = _("Give a number for every group (0 if none).")
    for line in spending_lines(report):
        if line.spent is None:
            errors[f"spent_{line.position}"] = _("Give the amount spent (0 if none).")
        elif line.needs_explanation and not line.explanation.strip():
            errors[f"explanation_{line.position}"] = _(
                "Spending differs from the plan by more than 10 percent: explain why."
            )
    errors.update(question_problems(report))  # the call's own report questions, by id
    return errors


def incomplete_reason(report: ProgressReport) -> str | None:
    """None when the report is complete, else a one-line reason (the workflow's guard)."""
    errors = completeness_errors(report)
    if not errors:
        return None
    return _("The report is not complete yet: %(n)d item(s) are missing.", n=len(errors))


def total_reach(report: ProgressReport) -> int:
    return sum(r.count for r in report.reach)
