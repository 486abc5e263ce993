"""Grants with their schedule, built directly (no decision pages): a grantee member, its
organisation, a proposal with budget lines and planned activities, and helpers for reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from fund.extensions import db
from fund.models import (
    BudgetLine,
    Grant,
    Payment,
    ProgressReport,
    ReportKind,
    Role,
    Tranche,
    User,
)
from fund.models.base import utcnow
from fund.rules.report_content import REACH_CELLS, reach_field
from tests.conftest import (
    answer_standard,
    login,
    make_bank_details,
    make_call,
    make_organisation,
    make_proposal,
    make_user,
)

TODAY = utcnow().date()


@dataclass
class GrantWorld:
    grant: Grant
    interim: ProgressReport
    final: ProgressReport
    member: User
    admin: User
    outsider: User


def build_grant(
    state: str = "active", *, interim_due: date | None = None, amount: Decimal = Decimal("10000")
) -> GrantWorld:
    """An active grant of 10,000 USD (budget: 6,000 personnel, 4,000 activities), a year long
    from 180 days ago; interim report due in 10 days, final in a year; tranches 80% on signature
    (paid unless pending) and 20% on the final report."""
    member = make_user(Role.APPLICANT, name="Grace Member")
    outsider = make_user(Role.APPLICANT, name="Otto Outsider")
    admin = make_user(Role.ADMIN, name="Amina Admin")
    organisation = make_organisation(member, name="Safe Homes")
    make_bank_details(organisation)
    make_organisation(outsider, name="Elsewhere")
    proposal = make_proposal(organisation, make_call(), state="awarded", title="Safe homes")
    answer_standard(proposal, activities="Train 40 parents.\nRun 10 school clubs.")
    proposal.budget_lines = [
        BudgetLine(
            position=1, category="personnel", description="Facilitators", amount=Decimal("6000")
        ),
        BudgetLine(
            position=2, category="activities", description="Workshops", amount=Decimal("4000")
        ),
    ]
    proposal.amount_requested = Decimal("10000")
    start = TODAY - timedelta(days=180)
    grant = Grant(
        proposal=proposal,
        organisation_id=organisation.id,
        state=state,
        reference=f"GR-2027-{proposal.id:04d}",
        amount=amount,
        currency="USD",
        start_on=start,
        end_on=start + timedelta(days=364),
    )
    interim = ProgressReport(
        kind=ReportKind.INTERIM,
        due_on=interim_due or TODAY + timedelta(10),
        period_start=start,
        period_end=TODAY - timedelta(days=1),
    )
    final = ProgressReport(
        kind=ReportKind.FINAL,
        due_on=grant.end_on + timedelta(days=60),
        period_start=TODAY,
        period_end=grant.end_on,
    )
    grant.reports = [interim, final]
    signed = state != "pending_agreement"
    grant.tranches = [
        Tranche(
            position=1,
            percent=80,
            amount=amount * Decimal("0.8"),
            condition="signature",
            due_on=start if signed else None,
            paid_on=start if signed else None,
            paid_amount=amount * Decimal("0.8") if signed else None,
            payment_reference="TX-1" if signed else None,
        ),
        Tranche(
            position=2,
            percent=20,
            amount=amount * Decimal("0.2"),
            condition="final_report",
            report=final,
        ),
    ]
    if signed:
        grant.accepted_at = utcnow() - timedelta(days=180)
        grant.accepted_name = "Grace Member"
    db.session.add(grant)
    db.session.commit()
    return GrantWorld(grant, interim, final, member, admin, outsider)


def approve_waiting_payment(client, world: GrantWorld, approver: User | None = None) -> User:
    """A second admin approves the payment recorded on the grant (then stays logged in)."""
    approver = approver or make_user(Role.ADMIN, name="Bea Approver")
    payment = db.session.scalar(
        select(Payment).where(
            Payment.grant_id == world.grant.id, Payment.state == "awaiting_approval"
        )
    )
    login(client, approver)
    response = client.post(f"/payments/{payment.id}/approve")
    assert response.status_code == 302, response.get_data(as_text=True)
    return approver


def complete_form(**overrides) -> dict:
    """A complete report form: texts, every reach count, spending on plan for both lines."""
    data = {
        "narrative": "We trained parents.",
        "activities_done": "Trained 38 parents.",
        "challenges": "Rain.",
        "next_steps": "More clubs.",
        "action": "submit",
        "spent_1": "2950",
        "spent_2": "1950",
        "explanation_1": "",
        "explanation_2": "",
    }
    for n, (sex, band) in enumerate(REACH_CELLS):
        data[reach_field(sex, band)] = str(n)
    data.update(overrides)
    return data
