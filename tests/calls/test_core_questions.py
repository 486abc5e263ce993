"""The secretariat re-labels and moves the proposal's core questions in the builder, never
removes them; the proposal form, the pages that read proposals and the call page follow its
order and labels."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.standard import STANDARD_TEXT_IDS, core_questions
from fund.models import Role
from fund.proposals import submission
from tests.conftest import login, make_call, make_user
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups

NEW_TITLE = "Name of your project"
NEW_HELP = "A short name the committee will remember."


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def core_id(call, field: str) -> str:
    return core_questions(call.proposal_form)[field]["id"]


def relabel_title(client, call):
    """As the secretariat: the title question gets a new label and help."""
    login(client, make_user(Role.ADMIN))
    return client.post(
        f"/calls/{call.id}/form/questions/{core_id(call, 'title')}",
        data={"label": NEW_TITLE, "help": NEW_HELP, "required": "", "max": "5"},
    )


def test_a_core_question_is_relabelled_but_stays_a_required_core_question(client):
    call = make_call()
    response = relabel_title(client, call)
    assert response.status_code == 302
    db.session.refresh(call)
    question = core_questions(call.proposal_form)["title"]
    assert (question["label"], question["help"]) == (NEW_TITLE, NEW_HELP)
    assert question["type"] == "core" and question["required"] is True
    assert "limits" not in question and question["condition"] is None


def test_the_builder_offers_no_remove_button_nor_condition_for_a_core_question(client):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    builder = client.get(f"/calls/{call.id}/form").text
    title_id = core_id(call, "title")
    assert f"/form/questions/{title_id}/remove" not in builder
    assert f"/form/questions/{STANDARD_TEXT_IDS['activities']}/remove" in builder
    page = client.get(f"/calls/{call.id}/form/questions/{title_id}").text
    assert "Fixed question" in page and 'id="condition"' not in page


def test_a_core_question_moves_into_the_next_section(client):
    call = make_call()
    countries = core_id(call, "countries")  # the last of the first section
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/calls/{call.id}/form/questions/{countries}/move", data={"direction": "down"}
    )
    assert response.status_code == 302
    db.session.refresh(call)
    section, _question = forms.find_question(call.proposal_form, countries)
    assert section["title"] == "Target groups"
    assert [q["id"] for q in section["questions"]][0] == countries


@pytest.mark.parametrize("what", ["question", "section"])
def test_removing_a_core_question_is_refused_with_a_message(client, what):
    call = make_call()
    before = forms.load(call.proposal_form)
    login(client, make_user(Role.ADMIN))
    if what == "question":
        url = f"/calls/{call.id}/form/questions/{core_id(call, 'budget')}/remove"
        response = client.post(url)
    else:
        section = call.proposal_form["sections"][0]["id"]
        url = f"/calls/{call.id}/form/sections/{section}"
        response = client.post(url, data={"action": "remove"})
    assert response.status_code == 400
    assert "can be renamed and moved, not removed" in html.unescape(response.text)
    db.session.refresh(call)
    assert call.proposal_form == before


def test_an_ordinary_question_of_the_template_can_be_removed(client):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    qid = STANDARD_TEXT_IDS["timeline"]
    assert client.post(f"/calls/{call.id}/form/questions/{qid}/remove").status_code == 302
    db.session.refresh(call)
    assert forms.find_question(call.proposal_form, qid) is None


def moved_and_relabelled(client):
    """A proposal whose call's form asks the title under a new label, and the countries after
    the target groups."""
    proposal = complete_proposal()
    call = proposal.call
    relabel_title(client, call)
    for _step in range(2):  # into the next section, first; then below the target groups
        client.post(
            f"/calls/{call.id}/form/questions/{core_id(call, 'countries')}/move",
            data={"direction": "down"},
        )
    db.session.refresh(call)
    return proposal


def test_the_proposal_form_follows_the_secretariats_order_and_labels(client):
    proposal = moved_and_relabelled(client)
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").text
    assert f'<label for="title">{NEW_TITLE}</label>' in page
    assert f'id="title-hint">{NEW_HELP}</p>' in page
    target_groups = page.index(f'id="{STANDARD_TEXT_IDS["target_groups"]}"')
    assert target_groups < page.index('id="countries"') < page.index('id="start_date"')
    # an error names the field by the secretariat's label too
    data = {"title": "", "lock_version": str(proposal.lock_version)}
    refused = client.post(f"/proposals/{proposal.id}/edit", data=data).text
    assert f'href="#title">{NEW_TITLE}: Give the proposal a title' in html.unescape(refused)


def test_the_pages_that_read_a_proposal_follow_the_form(client):
    proposal = moved_and_relabelled(client)
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    for url in (f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/versions/1"):
        page = html.unescape(client.get(url).text)
        assert f"<h4>{NEW_TITLE}</h4>" in page
        assert (
            page.index("Parents of children aged 3-12.")  # the target groups
            < page.index('id="content-countries"')
            < page.index('id="content-start_date"')
        )
    listed = html.unescape(client.get(f"/calls/{proposal.call.id}").text)
    assert NEW_TITLE in listed
    assert listed.index("Target groups") < listed.index("Countries of implementation")


def test_a_french_reader_reads_the_template_in_french(client):
    proposal = complete_proposal()
    member = a_member(proposal)
    member.locale = "fr"
    db.session.commit()
    login(client, member)
    page = html.unescape(client.get(f"/proposals/{proposal.id}/edit").text)
    assert "<legend>Groupes cibles</legend>" in page


def test_the_screening_export_has_the_standard_texts_in_the_forms_order(client):
    """One column per question of the form, the five texts included, after the typed fields."""
    proposal = complete_proposal()
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    text = client.get(f"/screening/calls/{proposal.call_id}/proposals.csv").text
    header = text.splitlines()[0]
    assert header.index("Target groups") < header.index("How results will be measured")
    assert "Twelve parenting sessions in each school." in text
