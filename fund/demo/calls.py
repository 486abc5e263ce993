"""Demo calls: one open for six more weeks (with questions of its own, in English and French),
one closed, both with the default rubric."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock
from fund.calls import form_builder, rules
from fund.calls import services as calls
from fund.demo.french import add_french_texts
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
            "languages": ["en", "fr"],
        },
    )
    add_children_questions(open_call, admin)
    add_reach_questions(open_call, admin)
    add_french_texts(open_call, admin)
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


def add_children_questions(call: Call, admin: User) -> None:
    """The open call's own questions, made through the builder's service as the secretariat
    would: a yes/no, and a required long text asked only after "yes"."""
    section = form_builder.add_section(call, admin, "Children's participation")
    asked = form_builder.add_question(
        call, admin, section, "yes_no", "Will children take part in activities?", []
    )
    safely = form_builder.add_question(
        call,
        admin,
        section,
        "long_text",
        "How will children and young people take part safely?",
        [],
    )
    form_builder.update_question(
        call,
        admin,
        safely,
        {
            "required": True,
            "limits": {"max": 1500, "unit": "characters"},
            "help": "Consent, supervision, and who children can talk to if something goes wrong.",
            "condition": {"question": asked, "values": ["yes"]},
        },
    )


def add_reach_questions(call: Call, admin: User) -> None:
    """Optional questions of the types that use the call's set-up: co-funding in the call's
    currency, the countries reached (several), and the strategies in the call's scope."""
    section = form_builder.add_section(call, admin, "Reach and co-funding")
    money = form_builder.add_question(
        call, admin, section, "money", "Co-funding from other donors", []
    )
    form_builder.update_question(call, admin, money, {"limits": {"min": None, "max": "50000"}})
    where = form_builder.add_question(
        call, admin, section, "country", "Countries where materials will be shared", []
    )
    form_builder.update_question(call, admin, where, {"limits": {"multiple": True}})
    form_builder.add_question(
        call, admin, section, "strategies", "Strategies the co-funded part addresses", []
    )
