"""Demo calls: one open for six more weeks (with questions of its own, in English and French),
one closed, both with the default rubric and the INSPIRE indicators report form plus "Schools
reached"."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock
from fund.calls import form_builder, rules
from fund.calls import services as calls
from fund.demo.french import DECLARATION, add_french_texts
from fund.forms_def.standard import core_questions
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
            "declaration": DECLARATION,
        },
    )
    add_children_questions(open_call, admin)
    add_reach_questions(open_call, admin)
    add_letter_of_support(open_call, admin)
    explain_attachments(open_call, admin)
    add_schools_reached(open_call, admin)
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
            "declaration": (
                "We declare that this proposal is true and complete, that our child-safeguarding "
                "policy is in force, and that we accept the terms of the pilot round."
            ),
        },
    )
    add_schools_reached(closed_call, admin)
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


def explain_attachments(call: Call, admin: User) -> None:
    """A core question of the standard form in the secretariat's own words (it cannot be
    removed, but its label and help are the call's)."""
    attachments = core_questions(call.proposal_form)["attachments"]
    form_builder.update_question(
        call,
        admin,
        attachments["id"],
        {
            "label": "Supporting documents (optional)",
            "help": "A work plan, letters of support from partners, or your latest annual report.",
        },
    )


def add_reach_questions(call: Call, admin: User) -> None:
    """Optional questions of the types that use the call's set-up: co-funding in the call's
    currency, the countries reached (several), the strategies in the call's scope, and a work
    plan as a table (activity, month, cost, with totals)."""
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
    plan = form_builder.add_question(call, admin, section, "table", "Work plan", [])
    first = call.proposal_form["sections"][-1]["questions"][-1]["columns"][0]["id"]
    form_builder.update_question(
        call,
        admin,
        plan,
        {
            "help": "One row per activity: what, in which month of the project, at what cost.",
            "limits": {"max_rows": 12, "totals": True},
            "columns": [
                (first, "Activity", "text", True),
                (None, "Month", "number", False),
                (None, "Cost", "money", False),
            ],
        },
    )


LETTER_OF_SUPPORT = "Letter of support from a partner (PDF)"


def add_letter_of_support(call: Call, admin: User) -> None:
    """An optional file question at the end of the form: a partner's letter, a PDF of at most
    5 MB (one demo proposal answers it)."""
    section = call.proposal_form["sections"][-1]["id"]
    letter = form_builder.add_question(call, admin, section, "file", LETTER_OF_SUPPORT, [])
    form_builder.update_question(
        call,
        admin,
        letter,
        {
            "help": "Signed by a partner organisation: a school, a health service, a local "
            "authority.",
            "limits": {"kinds": ["pdf"], "max_mb": 5},
        },
    )


def add_schools_reached(call: Call, admin: User) -> str:
    """The report indicator "Schools reached" (a required whole number), added to the call's
    report form (the INSPIRE indicators template, which every new call starts with) through the
    builder's service, as the secretariat would. Returns its question id."""
    section = call.report_form["sections"][0]["id"]
    schools = form_builder.add_question(
        call, admin, section, "number", "Schools reached", [], kind="report"
    )
    form_builder.update_question(
        call,
        admin,
        schools,
        {
            "required": True,
            "help": "Schools where activities took place in this period. 0 if none.",
            "limits": {"min": "0", "max": None, "decimals": 0},
        },
        kind="report",
    )
    return schools
