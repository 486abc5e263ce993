"""Demo decisions: awards, a decline, a revision request and a two-chair award pending."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock
from fund.calls import rules
from fund.calls import services as calls
from fund.demo.calls import add_schools_reached
from fund.demo.proposals import DEMO_PROPOSALS, write_texts
from fund.models import Call

# --- decisions (after seed_reviews) -----------------------------------------------------------

DECISION_TITLES = (
    ("Parents first in Lira", (5, 4, 5), "award"),
    ("Community radio against violence", (2, 3, 2), "decline"),
    ("Teachers as protectors", (4, 2, 3), "request_revision"),
    ("Safe routes to school", (4, 4, 3), None),
    ("Faith leaders for children", (3, 5, 2), None),
)


def seed_decisions(users: dict, organisations) -> list:
    """The chairs' demo: a closed round whose reviewed proposals were awarded, declined and sent
    back for revision (with their letters and the award's grant), two left for the chairs to
    decide, and a round needing two chair approvals with one given. In the current transaction.

    Call it at the end of seed(), after seed_reviews, with seed()'s `users` and the two demo
    organisations. Proposals are submitted, screened, reviewed and decided through the same
    services as in the app. Returns the proposals it made.
    """
    from fund.decisions import services as decisions
    from fund.extensions import db

    admin, chair, chair2 = (
        users[e] for e in ("admin@example.org", "chair@example.org", "chair2@example.org")
    )
    now = clock.now().replace(minute=0, second=0, microsecond=0)

    organisations = list(organisations)
    first = past_round(admin, "INSPIRE round 2026: parents and caregivers", 1, now)
    made = []
    for i, (title, scores, outcome) in enumerate(DECISION_TITLES):
        proposal = reviewed_proposal(
            first,
            organisations[i % len(organisations)],
            title,
            scores,
            Decimal(18000 + 4000 * i),
            users,
            now,
        )
        made.append(proposal)
        if outcome == "award":
            decisions.award(
                proposal, chair2, proposal.amount_requested, "A strong, well-costed plan.", now
            )
        elif outcome == "decline":
            decisions.decline(
                proposal,
                chair2,
                "The activities do not match the call's focus on parents and caregivers.",
                now,
            )
        elif outcome == "request_revision":
            decisions.request_revision(
                proposal,
                chair2,
                "Add a child-safeguarding plan for the school activities and a budget line for it.",
                now,
            )
    second = past_round(admin, "INSPIRE round 2026: two-chair awards", 2, now)
    pending = reviewed_proposal(
        second, organisations[0], "Youth clubs for safety", (4, 5, 4), Decimal("30000"), users, now
    )
    decisions.award(pending, chair, Decimal("30000"), "Recommended by all reviewers.", now)
    made.append(pending)
    db.session.flush()
    return made


def past_round(admin, title: str, approvals: int, now) -> Call:
    """A published round that closed 60 days before `now`, with the default rubric."""
    call = calls.create_call(
        admin,
        {
            **rules.default_values(),
            "title": title,
            "description": "A past round, kept for the chairs' demo.",
            "opens_at": now - timedelta(days=150),
            "closes_at": now - timedelta(days=60),
            "budget_envelope": Decimal("100000"),
            "max_award": Decimal("40000"),
            "chair_approvals_needed": approvals,
            "reviewers_per_proposal": 3,
        },
    )
    add_schools_reached(call, admin)
    calls.open_call(call, admin, now - timedelta(days=150))
    return call


def reviewed_proposal(
    call: Call,
    organisation,
    title: str,
    scores: tuple,
    amount: Decimal,
    users: dict,
    now,
    start_date=None,
    answers: dict | None = None,
):
    """A proposal of `organisation` submitted to `call` (with `answers` to its own questions),
    screened in and reviewed by three reviewers (scores around `scores`), all through the app's
    own services."""
    from fund import workflow
    from fund.extensions import db
    from fund.models import BudgetLine, Conflict, Proposal
    from fund.proposals.declaration import declaration_text
    from fund.proposals.drafts import start_proposal
    from fund.proposals.submission import submit_proposal
    from fund.reviews import assignment, conflicts
    from fund.reviews import services as reviews

    admin = users["admin@example.org"]
    candidates = [
        users[e]
        for e in (
            "reviewer@example.org",
            "reviewer2@example.org",
            "reviewer3@example.org",
            "chair@example.org",
        )
        if e in users
    ]
    member = organisation.memberships[0].user
    submitted_at = call.closes_at - timedelta(days=3)
    proposal = start_proposal(call, organisation, title, member, now=submitted_at)
    texts = (
        next(iter(DEMO_PROPOSALS.values()))
        if organisation.country_code == "UG"
        else list(DEMO_PROPOSALS.values())[1]
    )
    write_texts(proposal, texts)
    proposal.strategies = list(call.strategies or [])[:2]
    proposal.countries = [organisation.country_code]
    proposal.start_date = start_date or (now + timedelta(days=45)).date()
    proposal.duration_months = 12
    proposal.budget_lines = [
        BudgetLine(
            position=1,
            category="activities",
            description="Sessions and materials",
            amount=amount * Decimal("0.8"),
        ),
        BudgetLine(
            position=2,
            category="monitoring",
            description="Surveys",
            amount=amount * Decimal("0.2"),
        ),
    ]
    proposal.amount_requested = amount
    proposal.answers = {**(proposal.answers or {}), **(answers or {})}
    if organisation.safeguarding_policy_file_id is None:
        proposal.safeguarding_file_id = db.session.scalar(
            db.select(Proposal.safeguarding_file_id)
            .where(
                Proposal.organisation_id == organisation.id,
                Proposal.safeguarding_file_id.is_not(None),
            )
            .limit(1)
        )
    db.session.flush()
    declaration = declaration_text(proposal.call, proposal.language)
    submit_proposal(proposal, member, submitted_at, declaration=declaration)
    workflow.transition(proposal, "screen_in", admin, now=submitted_at)
    due = (clock.now() + timedelta(days=7)).date()  # assignments take due dates from today
    conflicted = set(
        db.session.scalars(
            db.select(Conflict.user_id).where(Conflict.organisation_id == organisation.id)
        )
    )
    panel = [r for r in candidates if r.id not in conflicted][:3]
    assigned = [assignment.assign_reviewer(proposal, r, due, admin) for r in panel]
    for n, (reviewer, review) in enumerate(zip(panel, assigned, strict=True)):
        conflicts.answer_no_conflict(review, reviewer)
        reviews.save_review(
            review,
            {
                "scores": {
                    c.id: max(1, min(5, scores[n] + (c.position % 2))) for c in call.criteria
                },
                "recommendation": (
                    "fund"
                    if scores[n] >= 4
                    else "fund_with_changes"
                    if scores[n] == 3
                    else "do_not_fund"
                ),
                "comments_for_applicant": f'Reviewer\'s view of "{title}": clear aims; '
                "say more about how children are kept safe.",
                "confidential_comments": "Not for the applicant.",
            },
            reviewer,
            submit=True,
        )
    return proposal
