"""The conflict page with the call's own questions: what a co-editor saved meanwhile is shown
beside what this user typed, question by question, and the typing stays in the form."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from fund.extensions import db
from tests.conftest import login
from tests.forms_def.building import (
    ASKED,
    BUDGET,
    SAFELY,
    WHERE,
    children_questions,
    typed_questions,
)
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    colleague,
    draft,
    form_data,
    member,
    organisation,
)


@pytest.fixture
def questions(draft):
    """The draft's call asks for co-funding (EUR), countries, and about children."""
    call, money, where, _how = typed_questions(draft.call)
    _call, asked, safely = children_questions(call)
    return {"money": money, "where": where, "asked": asked, "safely": safely}


def answers(q, money: str, where: list[str], safely: str) -> dict:
    return {q["money"]: money, q["where"]: where, q["asked"]: "yes", q["safely"]: safely}


@pytest.fixture
def colleague_saved(app, draft, colleague, questions):
    """The colleague saves version 2 with its answers, after the member opened version 1."""
    other = app.test_client()
    login(other, colleague)
    data = form_data(draft, **answers(questions, "2000", ["KE"], "Colleague's plan"))
    assert other.post(f"/proposals/{draft.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    return draft


def test_the_saved_answers_are_shown_beside_the_typed_ones(
    client, member, colleague_saved, questions
):
    login(client, member)
    typed = form_data(
        colleague_saved,
        lock_version="1",
        **answers(questions, "3000", ["UG", "TZ"], "My plan, typed meanwhile"),
    )
    response = client.post(f"/proposals/{colleague_saved.id}/edit", data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    saved, yours = page.split('id="yours-heading"')
    # what is saved now, each answer under its question's label, as text
    for label, text in [
        (BUDGET, "€2,000.00"),
        (WHERE, "Kenya"),
        (ASKED, "Yes"),
        (SAFELY, "Colleague&#39;s plan"),
    ]:
        assert f'<dt>{label}</dt><dd class="text">{text}</dd>' in saved
    assert "My plan" not in saved
    # what the member typed, still in the form, ready to be saved over version 2
    money, where = questions["money"], questions["where"]
    assert f'id="{money}" name="{money}" value="3000"' in yours
    assert "My plan, typed meanwhile</textarea>" in yours
    for code in ("UG", "TZ"):
        assert f'name="{where}" value="{code}" checked' in yours
    assert f'name="{where}" value="KE" checked' not in yours
    assert 'name="lock_version" type="hidden" value="2"' in yours
    assert colleague_saved.answers[questions["safely"]] == "Colleague's plan"


def test_the_merged_answers_can_then_be_saved(client, member, colleague_saved, questions):
    login(client, member)
    merged = form_data(
        colleague_saved, lock_version="2", **answers(questions, "3000", ["KE"], "Merged plan")
    )
    assert client.post(f"/proposals/{colleague_saved.id}/edit", data=merged).status_code == 302
    assert colleague_saved.answers[questions["safely"]] == "Merged plan"
    assert colleague_saved.answers[questions["money"]] == "3000.00"
