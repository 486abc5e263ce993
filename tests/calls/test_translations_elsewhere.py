"""A call's translations reach every place that names its questions: the concept note as
submitted (on the full proposal's form, the proposal page, the screening page and the review
page), what changed between two versions, the screening spreadsheet's columns and the call
page's lists of questions. A French reader reads French; a reader of a language the call is not
given in reads the main language, with a note."""

from __future__ import annotations

import copy
import csv
import io
from datetime import timedelta

import pytest

from fund.extensions import db
from fund.models import ProposalState, ProposalVersion, Role
from fund.proposals import submission
from tests.calls.bilingual import ASKED_FR, SAFELY_FR, bilingual_call
from tests.concepts.helpers import two_stage_call
from tests.concepts.test_screening import submitted_note
from tests.conftest import login, make_organisation, make_user
from tests.forms_def.building import ASKED, SAFELY
from tests.proposals.submitting import complete_proposal, load_income_groups
from tests.reviews.conftest import assign, make_in_review

WHY = "Why is this needed?"  # the concept question of tests/concepts/helpers.py
WHY_FR = "Pourquoi est-ce nécessaire ?"
NOT_IN_YOUR_LANGUAGE = "This call is not available in your language; it is shown in English."


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def bilingual_two_stage_call():
    """The bilingual call (tests/calls/bilingual.py) in two stages, its concept question
    translated too."""
    call, _asked, _safely = bilingual_call(two_stage_call())
    call.translations = {"fr": {**call.translations["fr"], "q_c0ffee02.label": WHY_FR}}
    db.session.commit()
    return call


def submitted_french_note(state: str = ProposalState.CONCEPT_SUBMITTED):
    member, proposal = submitted_note(bilingual_two_stage_call())
    member.locale = "fr"
    proposal.state = state
    db.session.commit()
    return member, proposal


def test_the_secretariat_reads_the_submitted_concept_note_in_french(client):
    _member, proposal = submitted_french_note()
    login(client, make_user(Role.ADMIN, locale="fr"))
    page = client.get(f"/concept-notes/{proposal.id}").get_data(as_text=True)
    assert f"<dt>{WHY_FR}</dt>" in page and WHY not in page


def test_a_reader_of_another_language_reads_the_concept_note_in_the_main_one_with_a_note(client):
    _member, proposal = submitted_french_note()
    login(client, make_user(Role.ADMIN, locale="es"))
    page = client.get(f"/concept-notes/{proposal.id}").get_data(as_text=True)
    assert f"<dt>{WHY}</dt>" in page and WHY_FR not in page
    assert 'id="concept-language-note"' in page


@pytest.mark.parametrize("where", ["edit", "detail"])
def test_the_invited_applicant_reads_the_concept_note_in_french(client, where):
    member, proposal = submitted_french_note(ProposalState.INVITED)
    login(client, member)
    url = f"/proposals/{proposal.id}" + ("/edit" if where == "edit" else "")
    page = client.get(url).get_data(as_text=True)
    assert "Harsh discipline is common in the district." in page  # the note is shown
    assert f"<dt>{WHY_FR}</dt>" in page and WHY not in page


def test_the_reviewer_reads_the_concept_note_in_french(client):
    _member, proposal = submitted_french_note(ProposalState.IN_REVIEW)
    reviewer = make_user(Role.REVIEWER, locale="fr")
    review = assign(proposal, reviewer)
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert f"<dt>{WHY_FR}</dt>" in page and WHY not in page


def test_what_changed_between_versions_names_the_questions_in_french(client):
    call, asked, safely = bilingual_call()
    member = make_user(Role.APPLICANT, locale="fr")
    proposal = complete_proposal(make_organisation(member), call=call)
    proposal.answers = {**proposal.answers, asked: "yes", safely: "Deux adultes formés."}
    db.session.commit()
    submission.submit_proposal(proposal, member, call.closes_at - timedelta(days=1))
    second = copy.deepcopy(proposal.versions[0].content)
    second["answers"][safely] = "Deux adultes formés et l'accord écrit des parents."
    db.session.add(ProposalVersion(proposal_id=proposal.id, number=2, content=second))
    db.session.commit()
    login(client, member)
    page = client.get(f"/proposals/{proposal.id}/versions/2").get_data(as_text=True)
    changes = page.split('<ul class="changes">', 1)[1].split("</ul>", 1)[0]
    assert f'<a href="#content-{safely}">{SAFELY_FR}</a>' in changes
    assert SAFELY not in changes


@pytest.mark.parametrize(("locale", "asked_label"), [("fr", ASKED_FR), ("en", ASKED)])
def test_the_screening_spreadsheet_names_the_question_columns_in_the_readers_language(
    client, locale, asked_label
):
    """Like its other columns ("Référence", "Titre", ...), which are in the reader's language."""
    call, asked, _safely = bilingual_call()
    proposal = make_in_review(call, state="submitted")
    proposal.answers = {asked: "yes"}
    db.session.commit()
    login(client, make_user(Role.ADMIN, locale=locale))
    response = client.get(f"/screening/calls/{call.id}/proposals.csv")
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert asked_label in header
    assert row[header.index(asked_label)] == ("Oui" if locale == "fr" else "Yes")


def test_the_call_page_lists_the_concept_and_proposal_questions_in_french(client):
    call = bilingual_two_stage_call()
    login(client, make_user(Role.APPLICANT, locale="fr"))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    concept = page.split('id="concept-questions"', 1)[1].split("</ol>", 1)[0]
    assert f"<strong>{WHY_FR} (obligatoire)</strong>" in concept
    proposal = page.split('id="proposal-questions"', 1)[1].split("</ol>", 1)[0]
    assert ASKED_FR in proposal and ASKED not in proposal


def test_a_single_stage_call_page_lists_no_concept_questions(client):
    call, _asked, _safely = bilingual_call()
    login(client, make_user(Role.APPLICANT, locale="fr"))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="concept-questions"' not in page and 'id="proposal-questions"' in page


def test_an_english_reader_reads_the_concept_note_in_english_without_a_note(client):
    _member, proposal = submitted_french_note()
    login(client, make_user(Role.ADMIN, locale="en"))
    page = client.get(f"/concept-notes/{proposal.id}").get_data(as_text=True)
    assert f"<dt>{WHY}</dt>" in page and NOT_IN_YOUR_LANGUAGE not in page
