"""A call with its own questions, made through the builder's service."""

from __future__ import annotations

from fund.calls import form_builder
from fund.extensions import db
from fund.models import Call, Role
from tests.conftest import make_call, make_user

ASKED = "Will children take part in activities?"
SAFELY = "How will children and young people take part safely?"


def children_questions(call: Call | None = None) -> tuple[Call, str, str]:
    """(call, id of the yes/no question, id of the required 1,500-character follow-up)."""
    call = call or make_call()
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Children")
    asked = form_builder.add_question(call, admin, section, "yes_no", ASKED, [])
    safely = form_builder.add_question(call, admin, section, "long_text", SAFELY, [])
    form_builder.update_question(
        call,
        admin,
        safely,
        {"required": True, "condition": {"question": asked, "values": ["yes"]}},
    )
    db.session.commit()
    return call, asked, safely


def many_questions(call: Call, count: int) -> list[str]:
    """`count` short-text questions in one section."""
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Many")
    ids = [
        form_builder.add_question(call, admin, section, "short_text", f"Question {n}", [])
        for n in range(count)
    ]
    db.session.commit()
    return ids


BUDGET = "Co-funding from other donors"
WHERE = "Where will activities take place?"
HOW = "Which INSPIRE strategies does this part address?"


def typed_questions(call: Call | None = None) -> tuple[Call, str, str, str]:
    """(call in EUR with three strategies in scope, not income, id of a money question up to
    50,000, of a several-countries question, of a strategies question)."""
    call = call or make_call()
    call.currency, call.strategies = "EUR", ["laws", "parent_support", "education"]
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Scope")
    money = form_builder.add_question(call, admin, section, "money", BUDGET, [])
    form_builder.update_question(call, admin, money, {"limits": {"min": None, "max": "50000"}})
    where = form_builder.add_question(call, admin, section, "country", WHERE, [])
    form_builder.update_question(call, admin, where, {"limits": {"multiple": True}})
    how = form_builder.add_question(call, admin, section, "strategies", HOW, [])
    db.session.commit()
    return call, money, where, how


LINES = "Budget lines from other donors"


def table_question(call: Call | None = None, *, max_rows: int = 5) -> tuple[Call, str, list[str]]:
    """(call in EUR, id of a table question with a required text column "Item", an optional
    money column "Amount" and an optional number column "People", with totals, and the three
    column ids)."""
    call = call or make_call()
    call.currency = "EUR"
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Budget")
    qid = form_builder.add_question(call, admin, section, "table", LINES, [])
    item = call.proposal_form["sections"][-1]["questions"][-1]["columns"][0]["id"]
    form_builder.update_question(
        call,
        admin,
        qid,
        {
            "limits": {"max_rows": max_rows, "totals": True},
            "columns": [
                (item, "Item", "text", True),
                (None, "Amount", "money", False),
                (None, "People", "number", False),
            ],
        },
    )
    db.session.commit()
    columns = [c["id"] for c in call.proposal_form["sections"][-1]["questions"][-1]["columns"]]
    return call, qid, columns
