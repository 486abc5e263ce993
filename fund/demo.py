"""Demo data for `flask fund seed-demo`: one account per role and something on every screen."""

from __future__ import annotations

from fund import income_groups
from fund.auth.services import create_user
from fund.models import BudgetBand, OrganisationType, Role
from fund.models.base import utcnow
from fund.organisations.services import create_organisation

DEMO_PASSWORD = "inspire-demo-2027"

ACCOUNTS = (
    ("admin@example.org", "Amina Secretariat", (Role.ADMIN,)),
    ("chair@example.org", "Carlos Chair", (Role.CHAIR, Role.REVIEWER)),
    ("chair2@example.org", "Chiara Co-chair", (Role.CHAIR,)),
    ("reviewer@example.org", "Ruth Reviewer", (Role.REVIEWER,)),
    ("reviewer2@example.org", "Rahul Reviewer", (Role.REVIEWER,)),
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
    create_organisation(
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
    create_organisation(
        users["applicant2@example.org"],
        {
            "name": "Ensemble pour l'Enfance",
            "country_code": "SN",
            "org_type": OrganisationType.COMMUNITY_BASED.value,
            "budget_band": BudgetBand.UNDER_50K.value,
        },
    )
    return [(email, DEMO_PASSWORD, [r.value for r in roles]) for email, _, roles in ACCOUNTS]


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
