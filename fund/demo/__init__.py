"""Demo data for `flask fund seed-demo`: one account per role and something on every screen.

Each part of the journey has its module; seed() calls them in the order the journey runs.
"""

from __future__ import annotations

from fund import income_groups, policies
from fund.auth.services import create_user
from fund.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from fund.demo.amendments import seed_amendments
from fund.demo.calls import seed_calls
from fund.demo.concepts import seed_two_stage_call
from fund.demo.decisions import seed_decisions
from fund.demo.grants import seed_grants
from fund.demo.matching import seed_matching
from fund.demo.messages import seed_information_request, seed_messages
from fund.demo.payments import change_bank_details
from fund.demo.proposals import seed_proposals
from fund.demo.reviews import seed_reviews
from fund.demo.revisions import seed_revision
from fund.models import BudgetBand, OrganisationType, PolicyKind, Role
from fund.models.base import utcnow
from fund.organisations.services import create_organisation
from fund.safeguarding import services as safeguarding_services

__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "seed", "seed_grants", "seed_proposals"]


def seed() -> list[tuple[str, str, list[str]]]:
    """Create the demo records in the current transaction; returns (e-mail, password, roles)."""
    if income_groups.current_list() is None:
        income_groups.load_shipped()
    users = {}
    for email, name, roles in ACCOUNTS:
        users[email] = create_user(
            email=email, name=name, password=DEMO_PASSWORD, roles=roles, verified_at=utcnow()
        )
        # as if each had registered and (reviewers) started reviewing: notice and undertaking
        policies.accept(users[email], PolicyKind.PRIVACY, 0, utcnow())
        if Role.REVIEWER in roles:
            policies.accept(users[email], PolicyKind.REVIEWER_UNDERTAKING, 0, utcnow())
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
    seed_information_request(users, proposals)  # the French proposal, before it is screened in
    seed_matching(users, proposals)
    seed_decisions(users, [uganda, senegal])
    seed_grants(users, [uganda, senegal])
    seed_amendments()
    change_bank_details(uganda, utcnow())  # awaiting the secretariat's re-approval
    seed_revision(users, uganda)
    seed_messages(users, proposals)
    seed_two_stage_call(users, [uganda, senegal])
    seed_concern(users)
    return [(email, DEMO_PASSWORD, [r.value for r in roles]) for email, _, roles in ACCOUNTS]


def seed_concern(users: dict) -> None:
    """A safeguarding concern a reviewer reported, with a lead's first note: the leads' pages
    have something to show."""
    reporter = users["reviewer@example.org"]
    concern = safeguarding_services.report(
        reporter,
        "Youth football clubs, Gulu (Safe Childhoods Uganda)",
        "At the visit on 3 March a volunteer coach drove two players home alone after dark, "
        "which the organisation's own code of conduct does not allow.",
        None,
        utcnow(),
    )
    safeguarding_services.add_action(
        concern,
        users["safeguarding@example.org"],
        "Called the organisation's focal point; the coach is stood down while they look into it.",
        utcnow(),
    )


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
