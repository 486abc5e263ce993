"""The largest form the rules allow keeps the proposal's edit page under 100 KB, refused
answers and their summary included: the country lists are light, and the form's budget
(fund/forms_def/budget.py) refuses anything heavier."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.schema import HELP_MAX, LABEL_MAX, MAX_QUESTIONS
from fund.forms_def.standard import with_own_sections
from tests.conftest import login
from tests.forms_def.mixed import KINDS, mixed_questions
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


HEAVY = [
    {"id": "q_f0000001", "type": "country", "limits": {"multiple": True}},
    {"id": "q_f0000002", "type": "country", "limits": {"multiple": True}},
    {"id": "q_f0000003", "type": "country", "limits": {"multiple": False}},
    {"id": "q_f0000004", "type": "strategies"},
]


def largest_form(label: str, help_text: str, heavy: list[dict]) -> dict:
    """The standard form (its core countries list included), then a section of the `heavy`
    list questions, then yes/no questions with the given texts for as long as the rules
    accept them."""
    own = [{**q, "label": "Where or how?", "required": True} for q in heavy]
    form = with_own_sections([{"id": "s_00000001", "title": label[:200], "questions": []}])
    form["sections"][-1]["questions"] = own  # the list the loop below grows
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
    "label, help_text, heavy",
    [
        ("Q", "", HEAVY),  # as many questions as the form may hold
        # The longest texts: beside every list but the single country (with it, the standard
        # form leaves no room for one yes/no question this long).
        ("“Quoted” & <marked> " * 40, "“Help” & <more> " * (HELP_MAX // 17), HEAVY[:2] + HEAVY[3:]),
    ],
    ids=["many short questions", "longest escaped texts"],
)
def test_the_largest_form_keeps_the_edit_page_under_100_kb(client, label, help_text, heavy):
    load_income_groups()
    proposal = complete_proposal()
    proposal.call.strategies = [
        "laws", "norms", "safe_environments", "parent_support", "income",
        "response_services", "education", "multisectoral", "monitoring",
    ]  # fmt: skip
    form = largest_form(label, help_text, heavy)
    proposal.call.proposal_form = form
    db.session.commit()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data()
    assert len(page) < PAGE_LIMIT
    # Every yes/no question refused at once: each error by its field and in the summary.
    wrong = {q["id"]: "maybe" for q in forms.questions(form) if q["type"] == "yes_no"}
    assert wrong, "the form holds no yes/no question to refuse"
    response = client.post(f"/proposals/{proposal.id}/edit", data=form_data(proposal, **wrong))
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Answer yes or no.") == 2 * len(wrong)
    assert len(response.get_data()) < PAGE_LIMIT


# A refused answer of each type, with the longest of the messages for it.
REFUSED = {
    "short_text": "\x07",
    "long_text": "\x07",
    "number": "ten",
    "date": "soon",
    "single_choice": "c_00000000",
    "multiple_choice": "c_00000000",
    "yes_no": "maybe",
    "money": "ten",
    "country": "ZZ",
    "strategies": "none",
    "file": "x",  # not a stored file's id: "the form lost track of this file"
}


def test_thirty_own_questions_of_every_type_fit_and_refused_stay_under_100_kb(client):
    """The query-count tests' form (thirty questions cycling through every type, three country
    lists among them) is accepted by the budget, and its page keeps under 100 KB with every
    answer refused."""
    load_income_groups()
    proposal = complete_proposal()
    # every type, the heaviest (a country list) first, so that thirty hold three of them
    heavy = ("country", *(kind for kind in KINDS if kind != "country"))
    ids = mixed_questions(proposal.call, 30, heavy)  # the builder refuses a form over the budget
    own = [q for q in forms.questions(proposal.call.proposal_form) if q["id"] in ids]
    assert [q["type"] for q in own].count("country") == 3
    login(client, a_member(proposal))
    assert len(client.get(f"/proposals/{proposal.id}/edit").get_data()) < PAGE_LIMIT
    wrong = {q["id"]: REFUSED[q["type"]] for q in own}
    response = client.post(f"/proposals/{proposal.id}/edit", data=form_data(proposal, **wrong))
    assert response.status_code == 400
    assert response.get_data(as_text=True).count('<p class="error" id="q_') == 30
    assert len(response.get_data()) < PAGE_LIMIT
