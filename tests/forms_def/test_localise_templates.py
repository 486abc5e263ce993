"""A call's translations on top of the shipped templates' own localisation: a text the
secretariat translated for the call wins; else a template text left as it was is read in the
reader's language from the catalogue; else the main language's. Table columns, the report form
and the concept-note form are translated too, and listed on the Translations page."""

from __future__ import annotations

from flask_babel import force_locale

from fund.extensions import db
from fund.forms_def.localise import call_texts, localise, missing_texts
from fund.forms_def.standard import standard_proposal_form
from fund.models import Role
from tests.concepts.helpers import concept_note, two_stage_call
from tests.conftest import login, make_call, make_organisation, make_user, outbox
from tests.grants.report_questions import SCHOOLS, grant_with_report_questions

TITLE_QUESTION, TARGET_QUESTION, TIMELINE_QUESTION = "q_c0de0001", "q_5d000001", "q_5d000003"
TABLE = {
    "schema": 1,
    "retired_ids": [],
    "sections": [
        {
            "id": "s_0000000a",
            "title": "Work plan",
            "questions": [
                {
                    "id": "q_0000000a",
                    "type": "table",
                    "label": "Activities",
                    "required": False,
                    "limits": {"max_rows": 5},
                    "columns": [
                        {"id": "k_0000000a", "label": "Activity", "type": "text", "required": True},
                        {"id": "k_0000000b", "label": "Cost", "type": "money", "required": False},
                    ],
                }
            ],
        }
    ],
}


def label(definition: dict, qid: str) -> str:
    return next(
        q["label"] for s in definition["sections"] for q in s["questions"] if q["id"] == qid
    )


def test_the_call_translation_wins_then_the_catalogue_then_the_main_text(app):
    form = standard_proposal_form()
    for section in form["sections"]:
        for q in section["questions"]:
            if q["id"] == TIMELINE_QUESTION:
                q["label"] = "When it happens"  # rewritten by the secretariat, not translated
    given = {"fr": {f"{TITLE_QUESTION}.label": "Nom du projet"}}
    with app.test_request_context(), force_locale("fr"):
        local = localise(form, given, "fr")
    assert label(local, TITLE_QUESTION) == "Nom du projet"  # the call's own translation
    assert label(local, TARGET_QUESTION) == "Groupes cibles"  # the template's, from the catalogue
    assert label(local, TIMELINE_QUESTION) == "When it happens"  # the main language's


def test_a_table_columns_labels_are_translated_by_their_own_keys(app):
    given = {"fr": {"q_0000000a.column:k_0000000a": "Activité"}}
    with app.test_request_context():
        local = localise(TABLE, given, "fr")
        keys = {t.key: t.main for t in call_texts(make_call_with_form(TABLE))}
    columns = local["sections"][0]["questions"][0]["columns"]
    assert [c["label"] for c in columns] == ["Activité", "Cost"]
    assert keys["q_0000000a.column:k_0000000b"] == "Cost"


def make_call_with_form(definition: dict):
    call = make_call()
    call.proposal_form = definition
    db.session.commit()
    return call


def test_the_untouched_template_texts_are_not_listed_as_missing(ctx):
    call = make_call()
    call.languages, call.main_language = ["en", "fr"], "en"
    db.session.commit()
    lacking = {t.key for t in missing_texts(call)["fr"]}
    assert f"{TARGET_QUESTION}.label" not in lacking  # the catalogue has it in French
    assert {"title", "description"} <= lacking


def test_the_report_and_concept_forms_texts_are_on_the_translations_page(client):
    call = two_stage_call()
    call.languages, call.main_language = ["en", "fr"], "en"
    call.report_form = TABLE
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/calls/{call.id}/translations/fr").get_data(as_text=True)
    assert "Why is this needed?" in page  # the concept-note question
    assert "Concept-note form: Question 1" in page
    assert "Report form: Question 1: column 2" in page


def test_a_single_stage_call_does_not_ask_for_its_unused_concept_form(ctx):
    call = make_call()
    call.concept_form = two_stage_call().concept_form
    db.session.commit()
    assert "q_c0ffee02.label" not in {t.key for t in call_texts(call)}


def test_a_french_grantee_reads_the_report_questions_in_french(client):
    asked = grant_with_report_questions()
    call = asked.call
    call.languages, call.main_language = ["en", "fr"], "en"
    call.translations = {"fr": {f"{asked.schools}.label": "Écoles touchées"}}
    asked.world.member.locale = "fr"
    db.session.commit()
    login(client, asked.world.member)
    page = client.get(asked.url).get_data(as_text=True)
    assert f'<label for="{asked.schools}">Écoles touchées</label>' in page
    assert SCHOOLS not in page


def test_a_french_applicant_reads_the_concept_questions_in_french(client):
    call = two_stage_call()
    call.languages, call.main_language = ["en", "fr"], "en"
    call.translations = {"fr": {"q_c0ffee02.label": "Pourquoi est-ce nécessaire ?"}}
    db.session.commit()
    member, proposal = concept_note(call=call, member=make_user(Role.APPLICANT, locale="fr"))
    login(client, member)
    page = client.get(f"/proposals/{proposal.id}/concept/edit").get_data(as_text=True)
    assert "Pourquoi est-ce nécessaire ?" in page and "Why is this needed?" not in page


def test_the_concept_letter_is_in_the_proposals_language(client):
    from fund.models import ProposalState
    from fund.rules import concept_content

    call = two_stage_call()
    call.languages, call.main_language = ["en", "fr"], "en"
    call.letter_templates = {
        "concept_declined": {"subject": "About {reference}", "body": "Sorry: {reasons}"}
    }
    call.translations = {"fr": {"letter:concept_declined.subject": "À propos de {reference}"}}
    member, proposal = concept_note(
        state=ProposalState.CONCEPT_SUBMITTED, call=call, member=make_user(Role.APPLICANT)
    )
    proposal.language = "fr"
    proposal.reference = f"INS-2027-{proposal.id:04d}"
    proposal.concept_note = concept_content.snapshot(proposal, proposal.created_at)
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    client.post(f"/concept-notes/{proposal.id}/decline", data={"reason": "Hors sujet."})
    [letter] = outbox(event="concept_declined")
    assert letter.recipient == member.email
    assert letter.subject == f"À propos de {proposal.reference}"


def test_the_built_in_concept_letter_follows_the_proposals_language_not_the_members(app, client):
    from flask_babel import format_datetime

    from fund.models import ProposalState
    from fund.rules import concept_content

    call = two_stage_call()
    call.languages, call.main_language = ["en", "fr"], "en"
    member, proposal = concept_note(
        state=ProposalState.CONCEPT_SUBMITTED, call=call, member=make_user(Role.APPLICANT)
    )
    proposal.language = "fr"
    proposal.reference = f"INS-2027-{proposal.id:04d}"
    proposal.concept_note = concept_content.snapshot(proposal, proposal.created_at)
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    client.post(f"/concept-notes/{proposal.id}/invite")
    [letter] = outbox(event="concept_invited")
    with app.test_request_context():
        with force_locale("fr"):
            french = format_datetime(call.closes_at, "medium")
        with force_locale("en"):
            english = format_datetime(call.closes_at, "medium")
    assert french != english
    assert french in letter.body_text  # the deadline written the French way


def test_a_french_applicant_reads_the_core_questions_in_the_calls_french(client):
    from tests.calls.bilingual import bilingual_call
    from tests.proposals.submitting import a_member, complete_proposal, load_income_groups

    load_income_groups()
    call, _asked, _safely = bilingual_call()
    french = {**call.translations["fr"], f"{TITLE_QUESTION}.label": "Nom du projet"}
    call.translations = {"fr": french}
    db.session.commit()
    proposal = complete_proposal(
        make_organisation(make_user(Role.APPLICANT, locale="fr")), call=call
    )
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert '<label for="title">Nom du projet</label>' in page  # the call's translation
    assert "<legend>Groupes cibles</legend>" in page  # the template's, from the catalogue
