"""Demo data for `flask fund seed-demo`: one account per role and something on every screen."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock, income_groups
from fund.auth.services import create_user
from fund.calls import services as calls
from fund.models import BudgetBand, Call, OrganisationType, Role, User
from fund.models.base import utcnow
from fund.organisations.services import create_organisation

DEMO_PASSWORD = "inspire-demo-2027"

ACCOUNTS = (
    ("admin@example.org", "Amina Secretariat", (Role.ADMIN,)),
    ("chair@example.org", "Carlos Chair", (Role.CHAIR, Role.REVIEWER)),
    ("chair2@example.org", "Chiara Co-chair", (Role.CHAIR,)),
    ("reviewer@example.org", "Ruth Reviewer", (Role.REVIEWER,)),
    ("reviewer2@example.org", "Rahul Reviewer", (Role.REVIEWER,)),
    ("reviewer3@example.org", "Rosa Reviewer", (Role.REVIEWER,)),
    ("applicant@example.org", "Ana Applicant", (Role.APPLICANT,)),
    ("applicant2@example.org", "Kofi Applicant", (Role.APPLICANT,)),
)


def seed() -> list[tuple[str, str, list[str]]]:
    """Create the demo records in the current transaction; returns (e-mail, password, roles)."""
    if income_groups.current_list() is None:
        income_groups.load_shipped()
    users = {}
    for email, name, roles in ACCOUNTS:
        users[email] = create_user(
            email=email, name=name, password=DEMO_PASSWORD, roles=roles, verified_at=utcnow()
        )
    uganda = create_organisation(
        users["applicant@example.org"],
        {
            "name": "Safe Childhoods Uganda",
            "country_code": "UG",
            "org_type": OrganisationType.NGO.value,
            "registration_scheme": "UG-NGB",
            "registration_number": "INDR-12345",
            "website": "https://safechildhoods.example.org",
            "budget_band": BudgetBand.FROM_50K_TO_250K.value,
            "safeguarding_focal_point": "Grace Namubiru, programme manager",
        },
    )
    senegal = create_organisation(
        users["applicant2@example.org"],
        {
            "name": "Ensemble pour l'Enfance",
            "country_code": "SN",
            "org_type": OrganisationType.COMMUNITY_BASED.value,
            "budget_band": BudgetBand.UNDER_50K.value,
        },
    )
    open_call, closed_call = seed_calls(users["admin@example.org"])
    proposals = seed_proposals(users, [uganda, senegal], open_call, closed_call)
    seed_reviews(users, proposals)
    seed_decisions(users, [uganda, senegal])
    seed_grants(users["admin@example.org"], [uganda, senegal], closed_call)
    return [(email, DEMO_PASSWORD, [r.value for r in roles]) for email, _, roles in ACCOUNTS]


def seed_calls(admin: User) -> tuple[Call, Call]:
    """An open call closing in about six weeks and one closed last month, both published."""
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    open_call = calls.create_call(admin, {
        **calls.default_values(),
        "title": "INSPIRE small grants 2027: awareness and engagement",
        "description": (
            "Small grants for civil-society organisations in low- and middle-income countries "
            "that raise awareness of INSPIRE, the seven strategies for ending violence against "
            "children, and engage parents, teachers, faith leaders, young people and local "
            "authorities in putting them into practice.\n\nWe welcome proposals led by local "
            "organisations, including first-time applicants."
        ),
        "timezone": "Africa/Nairobi",
        "opens_at": now - timedelta(days=14),
        "closes_at": now + timedelta(weeks=6),
    })
    calls.open_call(open_call, admin, now - timedelta(days=14))
    closed_call = calls.create_call(admin, {
        **calls.default_values(),
        "title": "INSPIRE pilot round 2026: safe schools",
        "description": "A pilot round on safe environments and education and life skills.",
        "timezone": "Africa/Dakar",
        "opens_at": now - timedelta(days=120),
        "closes_at": now - timedelta(days=30),
        "strategies": ["safe_environments", "education", "monitoring"],
        "max_award": Decimal("25000"),
        "budget_envelope": Decimal("100000"),
        "max_duration_months": 12,
    })
    calls.open_call(closed_call, admin, now - timedelta(days=120))  # published when it opened
    return open_call, closed_call


def has_users_cli() -> None:
    """Exit 3 when the database has no users yet (dev.py then seeds the demo)."""
    import sys

    from sqlalchemy import func, select

    from fund import create_app
    from fund.extensions import db
    from fund.models import User

    with create_app().app_context():
        count = db.session.scalar(select(func.count()).select_from(User))
    sys.exit(3 if count == 0 else 0)


# --- proposals (called by seed() once the calls exist) ----------------------------------------

DEMO_POLICY_PDF = b"%PDF-1.4\n% INSPIRE Fund demo: child-safeguarding policy\n%%EOF\n"

DEMO_PROPOSALS = {
    "Safe schools, safe homes in Gulu": {
        "summary": "Teachers and parents in twelve primary schools learn positive discipline, "
                   "and children learn where to turn for help.",
        "target_groups": "Parents and caregivers of children aged 6-12; teachers; school "
                         "management committees.",
        "activities": "Training of 48 teachers in positive discipline.\nTwelve parenting "
                      "sessions per school.\nChildren's clubs on safety and reporting.",
        "timeline": "Months 1-3: training.\nMonths 4-10: sessions and clubs.\nMonths 11-12: "
                    "evaluation.",
        "expected_results": "Fewer reports of corporal punishment; parents use non-violent "
                            "discipline.",
        "measurement": "School climate survey and parenting questionnaire at baseline and end "
                       "line; referral records.",
    },
    "Ensemble contre la violence à l'école": {
        "summary": "Des comités communautaires et les écoles de Thiès préviennent la violence "
                   "envers les enfants et orientent les victimes vers les services.",
        "target_groups": "Élèves de 8 à 15 ans, parents, enseignants et leaders religieux.",
        "activities": "Formation de comités de protection.\nCauseries avec les parents.\n"
                      "Cartographie des services de prise en charge.",
        "timeline": "Mois 1-2 : formation. Mois 3-9 : causeries. Mois 10-12 : bilan.",
        "expected_results": "Les comités repèrent et orientent les cas ; les parents "
                            "connaissent les services.",
        "measurement": "Registre des orientations ; enquête auprès des parents au début et à "
                       "la fin.",
    },
}


def seed_proposals(users: dict, organisations, open_call, closed_call) -> list:
    """Drafts and submitted proposals from two organisations, in the current transaction.

    `organisations` are the two demo organisations (each with one member). Submitted ones go
    through submit_proposal at a moment inside their call's window, so they have references,
    frozen versions and receipts like real ones. Returns the proposals.
    """
    from datetime import timedelta
    from decimal import Decimal
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from fund import clock, storage
    from fund.extensions import db
    from fund.models import BudgetLine
    from fund.proposals.drafts import start_proposal
    from fund.proposals.submission import submit_proposal

    def inside(call):
        now = clock.now()
        if call.is_open(now):
            return now
        return max(call.opens_at, call.closes_at - timedelta(days=2))

    def policy(organisation, member):
        upload = FileStorage(BytesIO(DEMO_POLICY_PDF), "safeguarding-policy.pdf")
        return storage.store(upload, organisation_id=organisation.id, uploaded_by_id=member.id)

    def fill(proposal, texts, call, organisation):
        for name, value in texts.items():
            setattr(proposal, name, value)
        proposal.strategies = list(call.strategies or [])[:2]
        proposal.countries = [organisation.country_code]
        proposal.start_date = (call.closes_at + timedelta(days=90)).date()
        proposal.duration_months = min(12, call.max_duration_months)
        amount = min(max(Decimal("24000"), call.min_award), call.max_award)
        lines = [("personnel", "Facilitators and coordinator", amount * Decimal("0.5")),
                 ("activities", "Sessions, materials and transport", amount * Decimal("0.4")),
                 ("monitoring", "Baseline and end-line surveys", amount * Decimal("0.1"))]
        proposal.budget_lines = [
            BudgetLine(position=i, category=category, description=text,
                       amount=value.quantize(Decimal("0.01")))
            for i, (category, text, value) in enumerate(lines, start=1)
        ]
        proposal.amount_requested = sum(line.amount for line in proposal.budget_lines)

    organisations = list(organisations.values() if isinstance(organisations, dict)
                         else organisations)
    proposals = []
    for index, organisation in enumerate(organisations[:2]):
        member = organisation.memberships[0].user
        title, texts = list(DEMO_PROPOSALS.items())[index]
        if index == 0:  # on file for the organisation
            organisation.safeguarding_policy_file_id = policy(organisation, member).id
        plans = [(open_call, title, True), (open_call, _draft_title(title), False)]
        if index == 0:
            plans.append((closed_call, title + " (pilot)", True))
        for call, proposal_title, submit in plans:
            now = inside(call)
            proposal = start_proposal(call, organisation, proposal_title, member, now=now)
            if submit:
                fill(proposal, texts, call, organisation)
                if index == 1:  # uploaded with the proposal
                    proposal.safeguarding_file_id = policy(organisation, member).id
                db.session.flush()
                submit_proposal(proposal, member, now)
            else:
                proposal.summary = texts["summary"]
                proposal.strategies = list(call.strategies or [])[:1]
            proposals.append(proposal)
    db.session.flush()
    return proposals


def _draft_title(title: str) -> str:
    return title + " — phase 2"


def seed_reviews(users: dict, proposals: list) -> None:
    """Screening and review demo data, in the current transaction.

    Screens in the submitted proposals except the last one (left for the
    screening list); the first one screened in gets three submitted reviews and so is
    `reviewed`; the next one stays `in_review` with a draft review, a declared conflict and an
    assignment not started yet. Call it at the end of seed() with seed()'s `users` and the
    proposals seed_proposals returned.
    """
    from fund import workflow
    from fund.models import ProposalState
    from fund.reviews import services as reviews

    admin = users["admin@example.org"]
    submitted = [p for p in proposals if p.state == ProposalState.SUBMITTED]
    to_review = submitted[:-1] if len(submitted) > 1 else submitted
    for proposal in to_review:
        workflow.transition(proposal, "screen_in", admin)
    due = (clock.now() + timedelta(days=14)).date()
    panel = [users[e] for e in ("reviewer@example.org", "reviewer3@example.org",
                                "chair@example.org")]
    if to_review:  # all three reviews submitted: the proposal moves to `reviewed`
        proposal = to_review[0]
        proposal.call.reviewers_per_proposal = len(panel)
        assigned = [reviews.assign_reviewer(proposal, r, due, admin) for r in panel]
        for n, (reviewer, review) in enumerate(zip(panel, assigned, strict=True)):
            reviews.answer_no_conflict(review, reviewer)
            reviews.save_review(review, {
                "scores": {c.id: 3 + (c.position + n) % 3 for c in proposal.call.criteria},
                "recommendation": ("fund", "fund_with_changes", "fund")[n],
                "comments_for_applicant": "A clear plan with realistic activities.",
                "confidential_comments": "The team has done similar work before.",
            }, reviewer, submit=True)
    if len(to_review) > 1:  # in review: a draft, a declared conflict, one not started
        proposal = to_review[1]
        draft = reviews.assign_reviewer(proposal, users["reviewer@example.org"], due, admin)
        reviews.answer_no_conflict(draft, draft.reviewer)
        first = proposal.call.criteria[0] if proposal.call.criteria else None
        reviews.save_review(draft, {
            "scores": {first.id: 4} if first else {}, "recommendation": None,
            "comments_for_applicant": "Draft: the activities section reads well so far.",
        }, draft.reviewer, submit=False)
        conflicted = reviews.assign_reviewer(proposal, users["reviewer2@example.org"], due,
                                             admin)
        reviews.declare_conflict(conflicted, "I advised this organisation last year.",
                                 conflicted.reviewer)
        reviews.assign_reviewer(proposal, users["reviewer3@example.org"], due, admin)


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
    from fund import workflow
    from fund.decisions import services as decisions
    from fund.extensions import db
    from fund.models import BudgetLine, Conflict, Proposal
    from fund.proposals.drafts import start_proposal
    from fund.proposals.submission import submit_proposal
    from fund.reviews import services as reviews

    admin, chair, chair2 = (users[e] for e in ("admin@example.org", "chair@example.org",
                                               "chair2@example.org"))
    candidates = [users[e] for e in ("reviewer@example.org", "reviewer2@example.org",
                                     "reviewer3@example.org", "chair@example.org") if e in users]
    now = clock.now().replace(minute=0, second=0, microsecond=0)

    def round_(title: str, approvals: int) -> Call:
        call = calls.create_call(admin, {
            **calls.default_values(),
            "title": title,
            "description": "A past round, kept for the chairs' demo.",
            "opens_at": now - timedelta(days=150),
            "closes_at": now - timedelta(days=60),
            "budget_envelope": Decimal("100000"),
            "max_award": Decimal("40000"),
            "chair_approvals_needed": approvals,
            "reviewers_per_proposal": 3,
        })
        calls.open_call(call, admin, now - timedelta(days=150))
        return call

    def reviewed(call: Call, organisation, title: str, scores: tuple, amount: Decimal):
        member = organisation.memberships[0].user
        submitted_at = call.closes_at - timedelta(days=3)
        proposal = start_proposal(call, organisation, title, member, now=submitted_at)
        texts = next(iter(DEMO_PROPOSALS.values())) if organisation.country_code == "UG" \
            else list(DEMO_PROPOSALS.values())[1]
        for name, value in texts.items():
            setattr(proposal, name, value)
        proposal.strategies = list(call.strategies or [])[:2]
        proposal.countries = [organisation.country_code]
        proposal.start_date = (now + timedelta(days=45)).date()
        proposal.duration_months = 12
        proposal.budget_lines = [
            BudgetLine(position=1, category="activities", description="Sessions and materials",
                       amount=amount * Decimal("0.8")),
            BudgetLine(position=2, category="monitoring", description="Surveys",
                       amount=amount * Decimal("0.2")),
        ]
        proposal.amount_requested = amount
        if organisation.safeguarding_policy_file_id is None:
            proposal.safeguarding_file_id = db.session.scalar(
                db.select(Proposal.safeguarding_file_id)
                .where(Proposal.organisation_id == organisation.id,
                       Proposal.safeguarding_file_id.is_not(None)).limit(1))
        db.session.flush()
        submit_proposal(proposal, member, submitted_at)
        workflow.transition(proposal, "screen_in", admin, now=submitted_at)
        due = (now + timedelta(days=7)).date()
        conflicted = set(db.session.scalars(db.select(Conflict.user_id).where(
            Conflict.organisation_id == organisation.id)))
        panel = [r for r in candidates if r.id not in conflicted][:3]
        assigned = [reviews.assign_reviewer(proposal, r, due, admin) for r in panel]
        for n, (reviewer, review) in enumerate(zip(panel, assigned, strict=True)):
            reviews.answer_no_conflict(review, reviewer)
            reviews.save_review(review, {
                "scores": {c.id: max(1, min(5, scores[n] + (c.position % 2)))
                           for c in call.criteria},
                "recommendation": ("fund" if scores[n] >= 4 else
                                   "fund_with_changes" if scores[n] == 3 else "do_not_fund"),
                "comments_for_applicant": f"Reviewer's view of \"{title}\": clear aims; "
                                          "say more about how children are kept safe.",
                "confidential_comments": "Not for the applicant.",
            }, reviewer, submit=True)
        return proposal

    organisations = list(organisations)
    first = round_("INSPIRE round 2026: parents and caregivers", 1)
    made = []
    for i, (title, scores, outcome) in enumerate(DECISION_TITLES):
        proposal = reviewed(first, organisations[i % len(organisations)], title, scores,
                            Decimal(18000 + 4000 * i))
        made.append(proposal)
        if outcome == "award":
            decisions.award(proposal, chair2, proposal.amount_requested,
                            "A strong, well-costed plan.", now)
        elif outcome == "decline":
            decisions.decline(proposal, chair2, "The activities do not match the call's focus "
                              "on parents and caregivers.", now)
        elif outcome == "request_revision":
            decisions.request_revision(proposal, chair2, "Add a child-safeguarding plan for "
                                       "the school activities and a budget line for it.", now)
    second = round_("INSPIRE round 2026: two-chair awards", 2)
    pending = reviewed(second, organisations[0], "Youth clubs for safety", (4, 5, 4),
                       Decimal("30000"))
    decisions.award(pending, chair, Decimal("30000"), "Recommended by all reviewers.", now)
    made.append(pending)
    db.session.flush()
    return made


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
    from fund.models import BudgetLine, Decision, Proposal

    now = clock.now()
    today = now.date()
    grants = []
    for index, (title, months_ago, stage) in enumerate(DEMO_GRANTS):
        organisation = organisations[index % len(organisations)]
        member = organisation.memberships[0].user
        start = add_months(today, -months_ago) + timedelta(days=10 if stage != "report_overdue"
                                                           else -20)
        proposal = Proposal(  # awarded before this system: the award is recorded as history
            call=call, organisation_id=organisation.id, title=title, state="awarded",
            summary="Awareness sessions and community engagement on INSPIRE.",
            activities="Twelve community sessions.\nTraining of 30 volunteers.\nRadio spots.",
            start_date=start, duration_months=12, amount_requested=Decimal("20000"),
            budget_lines=[
                BudgetLine(position=1, category="personnel", description="Facilitators",
                           amount=Decimal("12000")),
                BudgetLine(position=2, category="activities", description="Sessions and radio",
                           amount=Decimal("8000"))])
        db.session.add(proposal)
        db.session.flush()
        decision = Decision(proposal_id=proposal.id, outcome="award", amount=Decimal("20000"),
                            currency=call.currency, reasons="A strong, local plan.",
                            decided_by_id=admin.id, decided_at=now - timedelta(days=40))
        db.session.add(decision)
        db.session.flush()
        grant = create_grant(proposal, decision)
        grants.append(grant)
        if stage == "pending_agreement":
            continue
        services.accept_agreement(grant, member, name=member.name, confirmed=True,
                                  ip="127.0.0.1", user_agent="seed-demo", now=now)
        first = grant.tranches[0]
        services.record_payment(first, admin, paid_on=today, amount=first.amount,
                                reference=f"DEMO-{grant.id}-1", now=now)
        if stage in ("report_due_soon", "report_overdue"):
            continue
        for report in grant.reports if stage == "closed" else grant.reports[:1]:
            lines = spending_lines(report)
            reporting.save_report(report, {
                "narrative": "Sessions went ahead as planned in all communities.",
                "activities_done": "Twelve sessions held; 28 volunteers trained; radio spots.",
                "challenges": "Flooding delayed two sessions.",
                "next_steps": "Follow-up visits to the schools.",
                "reach": {cell: 5 + 3 * n for n, cell in enumerate(REACH_CELLS)},
                "spending": {line.position: (line.planned, "") for line in lines},
            }, member, now)
            reporting.submit_report(report, member, now)
            if stage == "closed":
                reporting.accept_report(report, admin, "Thank you.", now)
        if stage == "closed":
            for tranche in grant.tranches[1:]:
                services.record_payment(tranche, admin, paid_on=today, amount=tranche.amount,
                                        reference=f"DEMO-{grant.id}-{tranche.position}", now=now)
            services.change_state(grant, "complete", admin, "", now)
    db.session.flush()
    return grants
