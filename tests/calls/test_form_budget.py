"""The builder refuses, with a clear 400, a change that would push the proposal page past its
size budget (fund/forms_def/budget.py), and changes nothing."""

from __future__ import annotations

from fund.calls import form_builder
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.models import Role
from tests.conftest import login, make_call, make_user


def test_a_third_several_countries_question_is_refused_on_its_page(client):
    call = make_call()
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Where")
    ids = [
        form_builder.add_question(call, admin, section, "country", f"Where {n}?", [])
        for n in (1, 2, 3)
    ]
    for qid in ids[:2]:
        form_builder.update_question(call, admin, qid, {"limits": {"multiple": True}})
    db.session.commit()
    before = forms.load(call.proposal_form)
    login(client, admin)
    response = client.post(
        f"/calls/{call.id}/form/questions/{ids[2]}", data={"label": "Where 3?", "multiple": "y"}
    )
    assert response.status_code == 400
    assert "at most 2 questions where several countries are chosen" in response.get_data(
        as_text=True
    )
    db.session.refresh(call)
    assert call.proposal_form == before


def test_a_help_text_that_breaks_the_budget_is_refused_on_its_page(client):
    call = make_call()
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Many")
    ids = [
        form_builder.add_question(call, admin, section, "short_text", f"Q{n}", [])
        for n in range(40)
    ]
    help_text = "Say more. " * 200
    helped = 0
    try:  # long help texts on as many questions as the budget takes
        for qid in ids:
            form_builder.update_question(call, admin, qid, {"help": help_text})
            helped += 1
    except form_builder.FormChangeRefused:
        pass
    assert 0 < helped < len(ids)
    db.session.commit()
    login(client, admin)
    response = client.post(
        f"/calls/{call.id}/form/questions/{ids[helped]}",
        data={"label": "Q", "help": help_text, "max": "200"},
    )
    assert response.status_code == 400
    assert "too long for the proposal page to load quickly" in response.get_data(as_text=True)
