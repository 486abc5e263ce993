"""The grant an award creates: reference, terms, tranches and reporting schedule, including
start dates at the end of a month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from fund.decisions import services
from fund.extensions import db
from fund.grants.creation import add_months, split_amount
from fund.models import Grant, GrantState, ProgressReport, Role
from fund.models.base import utcnow
from tests.conftest import make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 3, 30), 11, date(2028, 2, 29)),
        (date(2027, 5, 31), 1, date(2027, 6, 30)),
        (date(2027, 12, 15), 1, date(2028, 1, 15)),
        (date(2027, 11, 29), 15, date(2029, 2, 28)),
        (date(2027, 4, 1), 0, date(2027, 4, 1)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_tranche_amounts_add_up_to_the_award_to_the_cent():
    assert split_amount(Decimal("10000.01"), [33, 33, 34]) == [
        Decimal("3300.00"),
        Decimal("3300.00"),
        Decimal("3400.01"),
    ]
    assert sum(split_amount(Decimal("999.99"), [80, 20])) == Decimal("999.99")


def make_grant_for(start: date, months: int, amount: str = "20000", **call_settings) -> Grant:
    call = make_rubric_call()
    for name, value in call_settings.items():
        setattr(call, name, value)
    db.session.commit()
    proposal = make_reviewed(
        call, amount=amount, start=start, months=months, reference="INS-2027-0042"
    )
    result = services.award(proposal, make_user(Role.CHAIR), Decimal(amount), "", utcnow())
    db.session.commit()
    return result.grant


def test_the_award_creates_the_grant_pending_agreement_with_its_terms(ctx):
    grant = make_grant_for(date(2027, 3, 1), 12)
    stored = db.session.scalar(select(Grant))
    assert stored.id == grant.id
    assert (stored.state, stored.reference, stored.amount, stored.currency) == (
        GrantState.PENDING_AGREEMENT,
        "GR-2027-0042",
        Decimal("20000.00"),
        "USD",
    )
    assert (stored.start_on, stored.end_on) == (date(2027, 3, 1), date(2028, 2, 29))


def test_default_templates_give_80_20_tranches_an_interim_and_a_final_report(ctx):
    """Interim due at month 6 covering the first six months; final 60 days after the end."""
    grant = make_grant_for(date(2027, 3, 1), 12)
    reports = list(db.session.scalars(select(ProgressReport).order_by(ProgressReport.due_on)))
    assert [(r.kind, r.state, r.period_start, r.period_end, r.due_on) for r in reports] == [
        ("interim", "upcoming", date(2027, 3, 1), date(2027, 8, 31), date(2027, 9, 1)),
        ("final", "upcoming", date(2027, 9, 1), date(2028, 2, 29), date(2028, 4, 29)),
    ]
    assert [
        (t.position, t.percent, t.amount, t.condition, t.due_on, t.report_id)
        for t in grant.tranches
    ] == [
        (1, 80, Decimal("16000.00"), "signature", None, None),
        (2, 20, Decimal("4000.00"), "final_report", None, reports[1].id),
    ]


@pytest.mark.parametrize(
    ("start", "months", "end", "interim_due"),
    [
        (date(2027, 8, 29), 7, date(2028, 3, 28), date(2028, 2, 29)),
        (date(2027, 8, 30), 7, date(2028, 3, 29), date(2028, 2, 29)),
        (date(2027, 8, 31), 7, date(2028, 3, 30), date(2028, 2, 29)),
        (date(2027, 1, 31), 13, date(2028, 2, 28), date(2027, 7, 31)),
        (date(2027, 10, 31), 12, date(2028, 10, 30), date(2028, 4, 30)),
        (date(2027, 8, 31), 6, date(2028, 2, 28), None),  # month 6 is after the end: no interim
    ],
)
def test_schedules_from_starts_on_the_29th_to_the_31st(ctx, start, months, end, interim_due):
    """Month arithmetic clamps to the month's last day; the periods follow one another without
    gap or overlap and the last ends with the grant."""
    grant = make_grant_for(start, months)
    reports = sorted(grant.reports, key=lambda r: r.due_on)
    assert grant.end_on == end
    assert [r.due_on for r in reports if r.kind == "interim"] == (
        [interim_due] if interim_due else []
    )
    assert reports[0].period_start == start
    for earlier, later in zip(reports, reports[1:], strict=False):
        assert (later.period_start - earlier.period_end).days == 1
    for report in reports:
        assert report.period_start <= report.period_end
    assert reports[-1].period_end == end


def test_a_custom_template_with_three_tranches_and_two_interims(ctx):
    grant = make_grant_for(
        date(2027, 1, 31),
        18,
        amount="30000.01",
        tranche_template=[
            {"percent": 40, "condition": "signature"},
            {"percent": 40, "condition": "interim_report"},
            {"percent": 20, "condition": "final_report"},
        ],
        reporting_template=[
            {"kind": "interim", "months_after_start": 6},
            {"kind": "interim", "months_after_start": 12},
            {"kind": "final", "days_after_end": 30},
        ],
    )
    reports = sorted(grant.reports, key=lambda r: r.due_on)
    assert [r.due_on for r in reports] == [date(2027, 7, 31), date(2028, 1, 31), date(2028, 8, 29)]
    assert [t.amount for t in grant.tranches] == [
        Decimal("12000.00"),
        Decimal("12000.00"),
        Decimal("6000.01"),
    ]
    assert [t.report_id for t in grant.tranches] == [None, reports[0].id, reports[2].id]


def test_nothing_is_created_when_the_award_is_refused(ctx):
    call = make_rubric_call(envelope="10000")
    proposal = make_reviewed(call, amount="10000")
    make_reviewed(call, amount="10000")
    from fund.workflow import TransitionRefused

    with pytest.raises(TransitionRefused):
        services.award(proposal, make_user(Role.CHAIR), Decimal("10000.01"), "", utcnow())
    db.session.rollback()
    assert db.session.scalar(select(Grant.id)) is None
    assert db.session.scalar(select(ProgressReport.id)) is None
