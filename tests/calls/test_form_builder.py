"""The builder of a call's own questions: who may use it, bad input, the lock, the audit."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.forms_def import definition as forms
from fund.models import AuditEvent, Role
from tests.conftest import login, make_organisation, make_proposal, make_user
from tests.forms_def.building import ASKED, SAFELY, children_questions, many_questions

NOT_ADMIN = (Role.APPLICANT, Role.REVIEWER, Role.CHAIR)


def routes(call, asked, safely):
    section = call.proposal_form["sections"][-1]["id"]
    base = f"/calls/{call.id}/form"
    return [
        ("get", base, {}),
        ("post", f"{base}/sections", {"title": "More"}),
        ("post", f"{base}/sections/{section}", {"action": "rename", "title": "Renamed"}),
        ("post", f"{base}/sections/{section}/questions", {"type": "short_text", "label": "New?"}),
        ("get", f"{base}/questions/{safely}", {}),
        ("post", f"{base}/questions/{safely}", {"label": "Changed?", "max": "1500"}),
        ("post", f"{base}/questions/{safely}/move", {"direction": "down"}),
        ("post", f"{base}/questions/{safely}/remove", {}),
    ]


ROUTE_IDS = [
    "page",
    "add section",
    "section",
    "add question",
    "question page",
    "save question",
    "move",
    "remove",
]


@pytest.mark.parametrize("index", range(8), ids=ROUTE_IDS)
def test_the_secretariat_uses_every_builder_route(client, index):
    call, asked, safely = children_questions()
    many_questions(call, 1)  # a section after, for the question to move into
    login(client, make_user(Role.ADMIN))
    method, path, data = routes(call, asked, safely)[index]
    response = getattr(client, method)(path, data=data)
    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize("role", NOT_ADMIN)
@pytest.mark.parametrize("index", range(8), ids=ROUTE_IDS)
def test_other_roles_are_refused_and_change_nothing(client, role, index):
    call, asked, safely = children_questions()
    before = forms.load(call.proposal_form)
    login(client, make_user(role))
    method, path, data = routes(call, asked, safely)[index]
    assert getattr(client, method)(path, data=data).status_code == 403
    db.session.refresh(call)
    assert call.proposal_form == before


@pytest.mark.parametrize("index", range(8), ids=ROUTE_IDS)
def test_anonymous_visitors_are_sent_to_log_in(client, index):
    call, asked, safely = children_questions()
    before = forms.load(call.proposal_form)
    method, path, data = routes(call, asked, safely)[index]
    response = getattr(client, method)(path, data=data)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    db.session.refresh(call)
    assert call.proposal_form == before


@pytest.mark.parametrize(
    "path, data, message",
    [
        ("/sections", {"title": ""}, "Give the section a title."),
        ("/sections/s_ffffffff", {"action": "rename", "title": "X"}, "no longer part"),
        ("/sections/{section}", {"action": "explode"}, "not something a section can do"),
        ("/sections/{section}/questions", {"type": "spreadsheet", "label": "X"}, "Choose a type"),
        ("/sections/{section}/questions", {"type": "single_choice", "label": "X"}, "at least one"),
        ("/sections/{section}/questions", {"type": "yes_no", "label": ""}, "Write the question."),
        ("/questions/{safely}", {"label": "X", "max": "lots"}, "whole number"),
        ("/questions/{asked}", {"label": "X", "condition": "{safely}=yes"}, "comes before it"),
        ("/questions/{safely}/move", {"direction": "down"}, "already at that end"),
        ("/questions/{asked}/move", {"direction": "sideways"}, "up or down"),
        ("/questions/q_ffffffff/remove", {}, "no longer part"),
    ],
)
def test_bad_input_gets_a_clear_400(client, path, data, message):
    call, asked, safely = children_questions()
    section = call.proposal_form["sections"][-1]["id"]
    ids = {"section": section, "asked": asked, "safely": safely}
    data = {k: v.format(**ids) for k, v in data.items()}
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/calls/{call.id}/form" + path.format(**ids), data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_question_edited_on_its_page_keeps_its_id_and_is_audited(client):
    call, asked, safely = children_questions()
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/calls/{call.id}/form/questions/{safely}",
        data={
            "label": "How will children take part safely?",
            "max": "2000",
            "unit": "words",
            "required": "y",
            "condition": f"{asked}=yes",
        },
    )
    assert response.status_code == 302
    db.session.refresh(call)
    question = forms.find_question(call.proposal_form, safely)[1]
    assert question["label"] == "How will children take part safely?"
    assert question["limits"] == {"max": 2000, "unit": "words"}
    assert question["condition"] == {"question": asked, "values": ["yes"]}
    audit = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "form_change"))
    assert any("How will children take part safely?" in a.comment for a in audit)


def test_choices_are_renamed_by_id_added_and_removed(client):
    call, asked, safely = children_questions()
    section = call.proposal_form["sections"][-1]["id"]
    login(client, make_user(Role.ADMIN))
    client.post(
        f"/calls/{call.id}/form/sections/{section}/questions",
        data={"type": "multiple_choice", "label": "Where?", "choices": "Schools\nHomes"},
    )
    db.session.refresh(call)
    question = call.proposal_form["sections"][-1]["questions"][-1]
    schools, homes = (c["id"] for c in question["choices"])
    response = client.post(
        f"/calls/{call.id}/form/questions/{question['id']}",
        data={
            "label": "Where?",
            f"choice-{schools}": "Schools and clubs",
            f"choice-{homes}": "",
            "new_choices": "Clinics",
            "other": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(call)
    saved = forms.find_question(call.proposal_form, question["id"])[1]
    assert [c["label"] for c in saved["choices"]] == ["Schools and clubs", "Clinics"]
    assert saved["choices"][0]["id"] == schools and saved["other"] is True
    assert homes in call.proposal_form["retired_ids"]


def submitted_to(call):
    organisation = make_organisation(make_user())
    proposal = make_proposal(organisation, call, state="submitted")
    proposal.submitted_at = proposal.created_at
    db.session.commit()


@pytest.mark.parametrize(
    "path, data",
    [
        ("/questions/{safely}/remove", {}),
        (
            "/questions/{safely}",
            {"label": SAFELY, "max": "1000", "required": "y", "condition": "{asked}=yes"},
        ),
        ("/questions/{asked}", {"label": ASKED, "required": "y"}),
        ("/sections/{section}", {"action": "remove"}),
    ],
    ids=["remove question", "tighten limit", "make required", "remove section"],
)
def test_after_the_first_submission_breaking_changes_are_refused(client, path, data):
    call, asked, safely = children_questions()
    section = call.proposal_form["sections"][-1]["id"]
    ids = {"section": section, "asked": asked, "safely": safely}
    submitted_to(call)
    before = forms.load(call.proposal_form)
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/calls/{call.id}/form" + path.format(**ids),
        data={k: v.format(**ids) for k, v in data.items()},
    )
    assert response.status_code == 400
    assert "Proposals have already answered this form" in response.get_data(as_text=True)
    db.session.refresh(call)
    assert call.proposal_form == before


def test_after_the_first_submission_wording_may_still_be_corrected(client):
    call, asked, safely = children_questions()
    submitted_to(call)
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/calls/{call.id}/form/questions/{asked}",
        data={"label": "Will children take part in the activities?", "help": "Under 18."},
    )
    assert response.status_code == 302
    db.session.refresh(call)
    assert forms.find_question(call.proposal_form, asked)[1]["help"] == "Under 18."


@pytest.mark.parametrize(
    "kind, data, limits, shown",
    [
        ("money", {"low": "1000", "high": "50000.50"}, {"min": "1000", "max": "50000.50"}, "EUR"),
        ("country", {"multiple": "y"}, {"multiple": True}, "Several countries may be chosen"),
        ("strategies", {}, None, "strategies in scope of this call"),
    ],
)
def test_the_new_types_can_be_added_and_edited(client, kind, data, limits, shown):
    call, asked, safely = children_questions()
    call.currency = "EUR"
    db.session.commit()
    section = call.proposal_form["sections"][-1]["id"]
    login(client, make_user(Role.ADMIN))
    added = client.post(
        f"/calls/{call.id}/form/sections/{section}/questions", data={"type": kind, "label": "New?"}
    )
    assert added.status_code == 302
    db.session.refresh(call)
    qid = call.proposal_form["sections"][-1]["questions"][-1]["id"]
    page = client.get(f"/calls/{call.id}/form/questions/{qid}").get_data(as_text=True)
    assert shown in page
    saved = client.post(f"/calls/{call.id}/form/questions/{qid}", data={"label": "Edited?", **data})
    assert saved.status_code == 302
    db.session.refresh(call)
    question = forms.find_question(call.proposal_form, qid)[1]
    assert question["type"] == kind and question["label"] == "Edited?"
    assert question.get("limits") == limits


@pytest.mark.parametrize("bound", ["NaN", "1e5", "-5", "10.555", "lots"])
def test_a_money_bound_that_is_not_an_amount_gets_a_clear_400(client, bound):
    call, asked, safely = children_questions()
    section = call.proposal_form["sections"][-1]["id"]
    login(client, make_user(Role.ADMIN))
    client.post(
        f"/calls/{call.id}/form/sections/{section}/questions",
        data={"type": "money", "label": "How much?"},
    )
    db.session.refresh(call)
    qid = call.proposal_form["sections"][-1]["questions"][-1]["id"]
    response = client.post(
        f"/calls/{call.id}/form/questions/{qid}", data={"label": "How much?", "high": bound}
    )
    assert response.status_code == 400
    assert "Give an amount, e.g. 0 or 1500.50." in response.get_data(as_text=True)


def test_after_the_first_submission_a_country_question_keeps_one_or_several(client):
    call, asked, safely = children_questions()
    section = call.proposal_form["sections"][-1]["id"]
    login(client, make_user(Role.ADMIN))
    client.post(
        f"/calls/{call.id}/form/sections/{section}/questions",
        data={"type": "country", "label": "Where?"},
    )
    db.session.refresh(call)
    qid = call.proposal_form["sections"][-1]["questions"][-1]["id"]
    submitted_to(call)
    response = client.post(
        f"/calls/{call.id}/form/questions/{qid}", data={"label": "Where?", "multiple": "y"}
    )
    assert response.status_code == 400
    assert "cannot be tightened" in response.get_data(as_text=True)
