"""Demo grants in every stage: pending agreement, reports due, overdue, in review, closed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock

# --- grants (call after seed_decisions: seed_grants(users, [uganda, senegal])) -----------------

DEMO_GRANTS = (  # (title, months the funded period started before today, what happened since)
    ("Positive parenting circles in Lira", 0, "pending_agreement"),
    ("Safe routes to school in Gulu", 6, "report_due_soon"),
    ("Faith leaders against violence in Thiès", 7, "report_overdue"),
    ("Youth helpline outreach in Mbarara", 7, "report_awaiting_review"),
    ("Teachers as protectors in Kaolack", 15, "closed"),
)


def seed_grants(users: dict, organisations) -> list:
    """Grants in every stage the secretariat follows, in the current transaction: pending
    agreement, active with a report due soon, with an overdue report, with a report awaiting
    review, and closed. Each proposal is submitted to a past round, reviewed and awarded, then its
    grant is moved on, all through the same services and workflow as in the app. Returns the
    grants."""
    from fund.decisions import services as decisions
    from fund.demo.decisions import past_round, reviewed_proposal
    from fund.demo.payments import pay, seed_bank_details
    from fund.extensions import db
    from fund.grants import reporting, services
    from fund.grants.creation import add_months
    from fund.rules.report_content import REACH_CELLS, spending_lines

    admin, chair = users["admin@example.org"], users["chair2@example.org"]
    now = clock.now()
    today = now.date()
    # The round closed, was reviewed and decided before the oldest grant started (15 months ago).
    decided_at = now - timedelta(days=500)
    round_ = past_round(admin, "INSPIRE round 2025: grants under way", 1, decided_at)
    seed_bank_details(users, organisations, now)
    grants = []
    for index, (title, months_ago, stage) in enumerate(DEMO_GRANTS):
        organisation = organisations[index % len(organisations)]
        member = organisation.memberships[0].user
        start = add_months(today, -months_ago) + timedelta(
            days=10 if stage != "report_overdue" else -20
        )
        # Awarded in a past round, through the same services as in the app.
        proposal = reviewed_proposal(
            round_,
            organisation,
            title,
            (4, 4, 5),
            Decimal("20000"),
            users,
            decided_at,
            start_date=start,
        )
        grant = decisions.award(
            proposal, chair, Decimal("20000"), "A strong, local plan.", decided_at
        ).grant
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
        # Recorded by one admin, approved by the other; one left awaiting approval.
        pay(users, grant.tranches[0], f"DEMO-{grant.id}-1", now, approve=index != 1)
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
                    "answers": report_answers(round_, index),
                },
                member,
                now,
            )
            reporting.submit_report(report, member, now)
            if stage == "closed":
                reporting.accept_report(report, admin, "Thank you.", now)
        if stage == "closed":
            for tranche in grant.tranches[1:]:
                pay(users, tranche, f"DEMO-{grant.id}-{tranche.position}", now)
            services.change_state(grant, "complete", admin, "", now)
    db.session.flush()
    return grants


# Answers to the INSPIRE indicators, by label (the template's and the demo's "Schools reached").
DEMO_NUMBERS = {
    "Events held": 12,
    "Materials produced": 4,
    "Partners engaged": 7,
    "Media reach": 15000,
    "Schools reached": 9,
}


def report_answers(call, index: int) -> dict:
    """A demo report's answers to its call's report questions: each indicator a count (varied a
    little from grant to grant), each narrative a sentence, the call's first two strategies."""
    from fund.forms_def.definition import questions

    answers: dict = {}
    for question in questions(call.report_form):
        kind = question["type"]
        if kind == "number":
            answers[question["id"]] = str(DEMO_NUMBERS.get(question["label"], 3) + index)
        elif kind == "long_text":
            answers[question["id"]] = "Held with parents, teachers and local leaders, as planned."
        elif kind == "strategies":
            answers[question["id"]] = list(call.strategies or [])[:2]
    return answers
