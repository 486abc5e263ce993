"""The secretariat builds a file question: adds it on the proposal form, ticks the kinds of file
it takes and its largest size (at most the app's upload limit); bad limits are a clear 400, the
report and concept-note forms do not offer it, and once proposals are in its limits may widen
but not tighten."""

from __future__ import annotations

import pytest

from fund.calls import form_builder
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.models import Role
from tests.calls.test_form_builder import submitted_to
from tests.conftest import login, make_call, make_user
from tests.proposals.file_questions import LETTER, letter_call


def the_question(call, qid):
    db.session.refresh(call)
    return forms.find_question(call.proposal_form, qid)[1]


def question_url(call, qid) -> str:
    return f"/calls/{call.id}/form/questions/{qid}"


def test_a_file_question_is_added_and_its_kinds_and_size_set_on_its_page(client):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/calls/{call.id}/form").get_data(as_text=True)
    assert '<option value="file">File</option>' in page
    client.post(f"/calls/{call.id}/form/sections", data={"title": "Partners"})
    db.session.refresh(call)
    section = call.proposal_form["sections"][-1]
    response = client.post(
        f"/calls/{call.id}/form/sections/{section['id']}/questions",
        data={"type": "file", "label": LETTER},
    )
    assert response.status_code == 302
    db.session.refresh(call)
    qid = call.proposal_form["sections"][-1]["questions"][0]["id"]
    assert the_question(call, qid)["limits"] == {"kinds": ["pdf"], "max_mb": 5}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<legend>Kinds of file accepted</legend>" in page
    assert 'id="kinds-pdf" name="kinds" value="pdf" checked' in page
    assert '<label for="kinds-image">Image (PNG, JPG)</label>' in page
    assert "At most 10 MB, the largest file the app accepts." in page
    response = client.post(
        question_url(call, qid),
        data={"label": LETTER, "kinds": ["pdf", "word"], "max_mb": "8", "required": "y"},
    )
    assert response.status_code == 302
    question = the_question(call, qid)
    assert question["limits"] == {"kinds": ["pdf", "word"], "max_mb": 8}
    assert question["required"] is True


@pytest.mark.parametrize(
    "data, message",
    [
        ({"max_mb": "3"}, "Tick at least one kind of file."),
        ({"kinds": ["pdf", "exe"], "max_mb": "3"}, "Tick at least one kind of file."),
        ({"kinds": ["pdf"], "max_mb": "11"}, "The app accepts files of at most 10 MB."),
        ({"kinds": ["pdf"], "max_mb": "0"}, "Give 1 to 100."),
        ({"kinds": ["pdf"], "max_mb": "lots"}, "Give a whole number"),
    ],
    ids=["no kind", "unknown kind", "over the app's limit", "zero", "not a number"],
)
def test_bad_limits_are_a_400_with_the_message_and_nothing_changes(client, data, message):
    call, letter, _note = letter_call()
    login(client, make_user(Role.ADMIN))
    before = the_question(call, letter)
    response = client.post(question_url(call, letter), data={"label": "Changed", **data})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'id="error-summary"' in page
    assert the_question(call, letter) == before


@pytest.mark.parametrize("kind", ["report", "concept"])
def test_only_the_proposal_form_offers_a_file_question(client, kind):
    call = make_call(two_stage=kind == "concept")
    login(client, make_user(Role.ADMIN))
    client.post(f"/calls/{call.id}/forms/{kind}/sections", data={"title": "Extra"})
    page = client.get(f"/calls/{call.id}/forms/{kind}").get_data(as_text=True)
    assert '<option value="file">' not in page
    db.session.refresh(call)
    section = getattr(call, f"{kind}_form")["sections"][-1]
    response = client.post(
        f"/calls/{call.id}/forms/{kind}/sections/{section['id']}/questions",
        data={"type": "file", "label": LETTER},
    )
    assert response.status_code == 400
    assert "Only the proposal form can ask for a file." in response.get_data(as_text=True)


def test_once_proposals_are_in_the_limits_widen_but_do_not_tighten(ctx):
    call, letter, _note = letter_call()
    submitted_to(call)
    admin = make_user(Role.ADMIN)
    with pytest.raises(form_builder.FormChangeRefused, match="cannot be tightened"):
        form_builder.update_question(
            call, admin, letter, {"limits": {"kinds": ["pdf"], "max_mb": 1}}
        )
    db.session.rollback()
    form_builder.update_question(
        call, admin, letter, {"limits": {"kinds": ["pdf", "image", "word"], "max_mb": 2}}
    )
    assert the_question(call, letter)["limits"]["max_mb"] == 2


def test_the_schema_refuses_a_file_question_without_kinds(ctx):
    call, letter, _note = letter_call()
    definition = forms.load(call.proposal_form)
    forms.find_question(definition, letter)[1]["limits"] = {"kinds": [], "max_mb": 1}
    with pytest.raises(forms.DefinitionInvalid):
        forms.check(definition)
