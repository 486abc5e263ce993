"""Demo grants in every stage: pending agreement, reports due, overdue, in review, closed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock
from fund.models import Call, User

# --- grants (call after seed_proposals, e.g. seed_grants(users["admin@example.org"],
# [uganda, senegal], closed_call)) ----------------------------------------------------------------

DEMO_GRANTS = (  # (title, months the funded period started before today, what happened since)
    ("Positive parenting circles in Lira", 0, "pending_agreement"),
    ("Safe routes to school in Gulu", 6, "report_due_soon"),
    ("Faith leaders against violence in Thiès", 7, "report_overdue"),
    ("Youth helpline outreach in Mbarara", 7, "report_awaiting_review"),
    ("Teachers as protectors in Kaolack", 15, "closed"),
)


def seed_grants(admin: User, organisations, call: Call) -> list:
    """Grants in every stage the secretariat follows, in the current transaction: pending
    agreement, active with a report due soon, with an overdue report, with a report awaiting
    review, and closed. Each is awarded on its own proposal of `call` (a past call), then moved
    on through the same services and workflow as in the app. Returns the grants."""
    from fund.extensions import db
    from fund.grants import reporting, services
    from fund.grants.creation import add_months, create_grant
    from fund.grants.report_content import REACH_CELLS, spending_lines
    from fund.models import BudgetLine, Decision, Proposal, ProposalVersion
    from fund.proposals.content import snapshot
    from fund.proposals.submission import allocate_reference

    now = clock.now()
    today = now.date()
    grants = []
    for index, (title, months_ago, stage) in enumerate(DEMO_GRANTS):
        organisation = organisations[index % len(organisations)]
        member = organisation.memberships[0].user
        start = add_months(today, -months_ago) + timedelta(
            days=10 if stage != "report_overdue" else -20
        )
        proposal = Proposal(  # awarded before this system: the award is recorded as history
            call=call,
            organisation_id=organisation.id,
            title=title,
            state="awarded",
            summary="Awareness sessions and community engagement on INSPIRE.",
            activities="Twelve community sessions.\nTraining of 30 volunteers.\nRadio spots.",
            start_date=start,
            duration_months=12,
            amount_requested=Decimal("20000"),
            budget_lines=[
                BudgetLine(
                    position=1,
                    category="personnel",
                    description="Facilitators",
                    amount=Decimal("12000"),
                ),
                BudgetLine(
                    position=2,
                    category="activities",
                    description="Sessions and radio",
                    amount=Decimal("8000"),
                ),
            ],
        )
        db.session.add(proposal)
        db.session.flush()
        # As submitted back then: its reference and the version the reviewers read.
        proposal.reference = allocate_reference(call.year)
        proposal.submitted_at = now - timedelta(days=120)
        proposal.versions.append(
            ProposalVersion(number=1, content=snapshot(proposal), created_by_id=member.id)
        )
        decision = Decision(
            proposal_id=proposal.id,
            outcome="award",
            amount=Decimal("20000"),
            currency=call.currency,
            reasons="A strong, local plan.",
            decided_by_id=admin.id,
            decided_at=now - timedelta(days=40),
        )
        db.session.add(decision)
        db.session.flush()
        grant = create_grant(proposal, decision)
        grants.append(grant)
        if stage == "pending_agreement":
            continue
        services.accept_agreement(
            grant,
            member,
            name=member.name,
            confirmed=True,
            ip="127.0.0.1",
            user_agent="seed-demo",
            now=now,
        )
        first = grant.tranches[0]
        services.record_payment(
            first,
            admin,
            paid_on=today,
            amount=first.amount,
            reference=f"DEMO-{grant.id}-1",
            now=now,
        )
        if stage in ("report_due_soon", "report_overdue"):
            continue
        for report in grant.reports if stage == "closed" else grant.reports[:1]:
            lines = spending_lines(report)
            reporting.save_report(
                report,
                {
                    "narrative": "Sessions went ahead as planned in all communities.",
                    "activities_done": "Twelve sessions held; 28 volunteers trained; radio spots.",
                    "challenges": "Flooding delayed two sessions.",
                    "next_steps": "Follow-up visits to the schools.",
                    "reach": {cell: 5 + 3 * n for n, cell in enumerate(REACH_CELLS)},
                    "spending": {line.position: (line.planned, "") for line in lines},
                },
                member,
                now,
            )
            reporting.submit_report(report, member, now)
            if stage == "closed":
                reporting.accept_report(report, admin, "Thank you.", now)
        if stage == "closed":
            for tranche in grant.tranches[1:]:
                services.record_payment(
                    tranche,
                    admin,
                    paid_on=today,
                    amount=tranche.amount,
                    reference=f"DEMO-{grant.id}-{tranche.position}",
                    now=now,
                )
            services.change_state(grant, "complete", admin, "", now)
    db.session.flush()
    return grants
