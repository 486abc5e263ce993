"""The demo's open call is given in English and French, every French text filled in."""

from __future__ import annotations

from fund.forms_def.localise import missing_texts
from fund.models import Call, Proposal, Role
from tests.conftest import login, make_user

FRENCH_TITLE = "Petites subventions INSPIRE 2027 : sensibilisation et mobilisation"


def open_call() -> Call:
    return Call.query.filter(Call.title.startswith("INSPIRE small grants 2027")).one()


def test_the_demo_open_call_is_in_english_and_french_with_nothing_missing(runner, ctx):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    call = open_call()
    assert (call.main_language, call.languages) == ("en", ["en", "fr"])
    assert missing_texts(call) == {}
    # the rubric's French comes from the app's catalogue: it differs from the English
    assert call.translations["fr"]["criterion:1.name"] != call.criteria[0].name
    languages = {p.language for p in Proposal.query.filter_by(call_id=call.id)}
    assert languages == {"en", "fr"}


def test_a_french_reader_sees_the_demo_call_in_french(runner, client):
    runner.invoke(args=["fund", "seed-demo"])
    call_id = open_call().id
    login(client, make_user(Role.APPLICANT, locale="fr"))
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert FRENCH_TITLE in page
    assert "Des enfants participeront-ils aux activités ?" in page
    assert 'id="language-note"' not in page


def test_the_demo_two_stage_call_shows_its_concept_notes_in_french(runner, client):
    """The two-stage call is given in French too, every text filled in: a French reader of a
    concept note as submitted reads its question in French."""
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    call = Call.query.filter(Call.title.startswith("INSPIRE community voices")).one()
    assert call.languages == ["en", "fr"] and missing_texts(call) == {}
    note = Proposal.query.filter_by(call_id=call.id, title="Radio drama on positive parenting")
    login(client, make_user(Role.ADMIN, locale="fr"))
    page = client.get(f"/concept-notes/{note.one().id}").get_data(as_text=True)
    assert "<dt>Quel problème le projet va-t-il traiter ?</dt>" in page
