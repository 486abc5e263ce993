"""Demo calls: one open for six more weeks, one closed, both with the default rubric."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock
from fund.calls import rules
from fund.calls import services as calls
from fund.models import Call, User


def seed_calls(admin: User) -> tuple[Call, Call]:
    """An open call closing in about six weeks and one closed last month, both published."""
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    open_call = calls.create_call(
        admin,
        {
            **rules.default_values(),
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
        },
    )
    calls.open_call(open_call, admin, now - timedelta(days=14))
    closed_call = calls.create_call(
        admin,
        {
            **rules.default_values(),
            "title": "INSPIRE pilot round 2026: safe schools",
            "description": "A pilot round on safe environments and education and life skills.",
            "timezone": "Africa/Dakar",
            "opens_at": now - timedelta(days=120),
            "closes_at": now - timedelta(days=30),
            "strategies": ["safe_environments", "education", "monitoring"],
            "max_award": Decimal("25000"),
            "budget_envelope": Decimal("100000"),
            "max_duration_months": 12,
        },
    )
    calls.open_call(closed_call, admin, now - timedelta(days=120))  # published when it opened
    return open_call, closed_call
