"""The largest form the rules allow keeps the proposal's edit page under 100 KB, refused
answers and their summary included: the country lists are light, and the form's budget
(fund/forms_def/budget.py) refuses anything heavier."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.schema import HELP_MAX, LABEL_MAX, MAX_QUESTIONS
from tests.conftest import login
from tests.proposals.drafting import form_data
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups

PAGE_LIMIT = 100_000


def yes_no(number: int, label: str, help_text: str) -> dict:
    return {
        "id": f"q_{number:08x}",
        "type": "yes_no",
        "label": f"{number} {label}"[:LABEL_MAX],
        "help": help_text,
        "required": True,
        "condition": None,
    }


def largest_form(label: str, help_text: str) -> dict:
    """Two several-countries questions, one single-country and one strategies question, then
    yes/no questions with the given texts for as long as the rules accept them."""
    heavy = [
        {"id": "q_f0000001", "type": "country", "limits": {"multiple": True}},
        {"id": "q_f0000002", "type": "country", "limits": {"multiple": True}},
        {"id": "q_f0000003", "type": "country", "limits": {"multiple": False}},
        {"id": "q_f0000004", "type": "strategies"},
    ]
    own = [{**q, "label": "Where or how?", "required": True} for q in heavy]
    form = {"schema": 1, "sections": [{"id": "s_00000001", "title": label[:200], "questions": own}]}
    forms.check(form)
    number = 1
    while len(own) < MAX_QUESTIONS:
        own.append(yes_no(number, label, help_text))
        try:
            forms.check(form)
        except forms.DefinitionInvalid:
            own.pop()
            break
        number += 1
    return form


@pytest.mark.parametrize(
    "label, help_text",
    [
        ("Q", ""),  # as many questions as the form may hold
        ("“Quoted” & <marked> " * 40, "“Help” & <more> " * (HELP_MAX // 17)),  # the longest texts
    ],
    ids=["many short questions", "longest escaped texts"],
)
def test_the_largest_form_keeps_the_edit_page_under_100_kb(client, label, help_text):
    load_income_groups()
    proposal = complete_proposal()
    proposal.call.strategies = [
        "laws", "norms", "safe_environments", "parent_support", "income",
        "response_services", "education", "multisectoral", "monitoring",
    ]  # fmt: skip
    form = largest_form(label, help_text)
    proposal.call.proposal_form = form
    db.session.commit()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data()
    assert len(page) < PAGE_LIMIT
    # Every yes/no question refused at once: each error by its field and in the summary.
    wrong = {q["id"]: "maybe" for q in forms.questions(form) if q["type"] == "yes_no"}
    response = client.post(f"/proposals/{proposal.id}/edit", data=form_data(proposal, **wrong))
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Answer yes or no.") == 2 * len(wrong)
    assert len(response.get_data()) < PAGE_LIMIT
