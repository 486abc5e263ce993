"""Reporting and tranche schedules made from the call's templates when a grant is created
(fund/grants/creation.py), including funded periods starting on the 29th, 30th or 31st."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fund.extensions import db
from fund.grants.creation import create_grant
from fund.models import Decision
from tests.conftest import make_call, make_organisation, make_proposal, make_user

STARTS = [
    date(2027, 1, 29),
    date(2027, 1, 30),
    date(2027, 1, 31),
    date(2027, 8, 31),
    date(2027, 3, 31),
    date(2027, 5, 30),
    date(2028, 2, 29),
    date(2027, 12, 31),
]


def grant_for(
    start: date, months: int, *, tranches=None, reports=None, amount: Decimal = Decimal("10000.01")
):
    call = make_call()
    if tranches is not None:
        call.tranche_template = tranches
    if reports is not None:
        call.reporting_template = reports
    proposal = make_proposal(make_organisation(make_user()), call, state="awarded")
    proposal.start_date, proposal.duration_months = start, months
    decision = Decision(proposal_id=proposal.id, outcome="award", amount=amount, currency="USD")
    db.session.add(decision)
    db.session.flush()
    grant = create_grant(proposal, decision)
    db.session.commit()
    return grant


@pytest.mark.parametrize("start", STARTS, ids=str)
@pytest.mark.parametrize("months", [1, 6, 7, 12, 18])
def test_report_periods_follow_each_other_without_gaps_or_overlaps(ctx, start, months):
    """Periods run from the start to the end of the funded period, each starting the day after
    the one before; each report is due on or after its period's end; the final report covers
    the last day."""
    grant = grant_for(start, months)
    reports = grant.reports
    assert reports[0].period_start == grant.start_on == start
    for before, after in zip(reports, reports[1:], strict=False):
        assert after.period_start == before.period_end + timedelta(days=1)
    for report in reports:
        assert report.period_start <= report.period_end <= grant.end_on
        assert report.due_on > report.period_end
    assert reports[-1].kind == "final" and reports[-1].period_end == grant.end_on
    assert reports[-1].due_on == grant.end_on + timedelta(days=60)
    assert [r.kind for r in reports] == (["interim", "final"] if months > 6 else ["final"])


@pytest.mark.parametrize(
    "start,months,end,interim_due",
    [
        (date(2027, 1, 31), 12, date(2028, 1, 30), date(2027, 7, 31)),
        (date(2027, 8, 31), 12, date(2028, 8, 30), date(2028, 2, 29)),  # leap day
        (date(2027, 8, 30), 12, date(2028, 8, 29), date(2028, 2, 29)),
        (date(2027, 8, 29), 12, date(2028, 8, 28), date(2028, 2, 29)),
        (date(2026, 8, 31), 12, date(2027, 8, 30), date(2027, 2, 28)),  # clamped
        (date(2027, 12, 31), 7, date(2028, 7, 30), date(2028, 6, 30)),
    ],
)
def test_month_arithmetic_clamps_to_the_end_of_shorter_months(ctx, start, months, end, interim_due):
    grant = grant_for(start, months)
    assert grant.end_on == end
    assert grant.reports[0].due_on == interim_due
    assert grant.reports[0].period_end == interim_due - timedelta(days=1)


def test_the_default_tranches_are_80_on_signature_and_20_on_the_final_report(ctx):
    grant = grant_for(date(2027, 1, 31), 12)
    assert [(t.position, t.percent, t.amount, t.condition) for t in grant.tranches] == [
        (1, 80, Decimal("8000.01"), "signature"),
        (2, 20, Decimal("2000.00"), "final_report"),
    ]
    assert sum(t.amount for t in grant.tranches) == grant.amount
    assert grant.tranches[1].report_id == grant.reports[-1].id
    assert all(t.due_on is None and t.paid_on is None for t in grant.tranches)


def test_a_three_tranche_template_ties_each_report_tranche_to_its_report(ctx):
    grant = grant_for(
        date(2027, 5, 31),
        12,
        tranches=[
            {"percent": 50, "condition": "signature"},
            {"percent": 30, "condition": "interim_report"},
            {"percent": 20, "condition": "final_report"},
        ],
        amount=Decimal("1000"),
    )
    interim, final = grant.reports
    assert [(t.amount, t.report_id) for t in grant.tranches] == [
        (Decimal("500.00"), None),
        (Decimal("300.00"), interim.id),
        (Decimal("200.00"), final.id),
    ]


def test_two_interim_reports_from_a_quarterly_template(ctx):
    grant = grant_for(
        date(2027, 10, 31),
        9,
        reports=[
            {"kind": "interim", "months_after_start": 3},
            {"kind": "interim", "months_after_start": 6},
            {"kind": "final", "days_after_end": 30},
        ],
    )
    assert [(r.kind, r.period_start, r.period_end, r.due_on) for r in grant.reports] == [
        ("interim", date(2027, 10, 31), date(2028, 1, 30), date(2028, 1, 31)),
        ("interim", date(2028, 1, 31), date(2028, 4, 29), date(2028, 4, 30)),
        ("final", date(2028, 4, 30), date(2028, 7, 30), date(2028, 8, 29)),
    ]
