"""Reading a call in one language: its texts replaced where translated, the main language's kept
text by text where not, and the list of texts a language still lacks."""

from __future__ import annotations

import copy

from fund.forms_def.localise import LocalCall, call_texts, localise, missing_texts
from fund.models import Call, Criterion

DEFINITION = {
    "schema": 1,
    "retired_ids": [],
    "sections": [
        {
            "id": "s_00000001",
            "title": "Children",
            "questions": [
                {
                    "id": "q_00000001",
                    "type": "single_choice",
                    "label": "Who takes part?",
                    "help": "Tick the main group.",
                    "required": True,
                    "choices": [
                        {"id": "c_00000001", "label": "Children"},
                        {"id": "c_00000002", "label": "Parents"},
                    ],
                },
                {
                    "id": "q_00000002",
                    "type": "short_text",
                    "label": "Where?",
                    "required": False,
                    "limits": {"max": 100},
                },
            ],
        }
    ],
}
FRENCH = {
    "s_00000001": "Enfants",
    "q_00000001.label": "Qui participe ?",
    "c_00000001": "Enfants",
    # no help, no "Parents", nothing for the second question: those stay in English
}


def test_localise_puts_in_the_translated_texts_and_keeps_the_main_ones_elsewhere():
    local = localise(DEFINITION, {"fr": FRENCH}, "fr")
    section = local["sections"][0]
    first, second = section["questions"]
    assert section["title"] == "Enfants"
    assert first["label"] == "Qui participe ?"
    assert first["help"] == "Tick the main group."  # not translated: the main language's
    assert [c["label"] for c in first["choices"]] == ["Enfants", "Parents"]
    assert second["label"] == "Where?"


def test_localise_returns_a_copy_and_leaves_the_definition_as_it_was():
    before = copy.deepcopy(DEFINITION)
    local = localise(DEFINITION, {"fr": FRENCH}, "fr")
    assert DEFINITION == before
    assert local["sections"][0]["questions"][0]["id"] == "q_00000001"  # same shape and ids
    assert local["sections"][0]["questions"][0]["choices"][1]["id"] == "c_00000002"


def test_localise_into_a_language_without_texts_is_the_main_language():
    assert localise(DEFINITION, {"fr": FRENCH}, "es") == DEFINITION
    assert localise(DEFINITION, {}, "fr") == DEFINITION
    assert localise(None, {"fr": FRENCH}, "fr")["sections"] == []


def test_an_empty_translation_falls_back_to_the_main_text():
    local = localise(DEFINITION, {"fr": {"q_00000002.label": ""}}, "fr")
    assert local["sections"][0]["questions"][1]["label"] == "Where?"


def bilingual_call() -> Call:
    call = Call(
        title="Small grants",
        description="What it funds.",
        proposal_form=DEFINITION,
        languages=["en", "fr"],
        main_language="en",
        letter_templates={"award": {"subject": "Awarded {reference}", "body": "Dear {title}"}},
        agreement_template="Terms for {organisation}.",
        translations={
            "fr": {
                "title": "Petites subventions",
                "criterion:1.name": "Adéquation",
                "criterion:1.level:2": "Faible",
                "letter:award.body": "Chers {title}",
                "agreement": "Conditions pour {organisation}.",
            }
        },
    )
    call.criteria = [
        Criterion(
            position=1,
            name="Fit",
            guidance="How well it fits.",
            weight=100,
            levels=["None", "Weak", "Fair", "Good", "Excellent"],
        )
    ]
    return call


def test_a_call_read_in_french_has_its_french_texts_and_english_elsewhere(app):
    call = bilingual_call()
    with app.test_request_context():
        local = LocalCall(call, "fr")
        criterion = local.criteria[0]
        assert local.language == "fr" and not local.not_in_wanted_language
        assert local.title == "Petites subventions"
        assert local.description == "What it funds."
        assert (criterion.name, criterion.guidance) == ("Adéquation", "How well it fits.")
        assert criterion.levels == ["None", "Faible", "Fair", "Good", "Excellent"]
        assert criterion.weight == 100  # everything else is the criterion's own
        assert local.letter_templates == {
            "award": {"subject": "Awarded {reference}", "body": "Chers {title}"}
        }
        assert local.agreement_template == "Conditions pour {organisation}."
        assert local.proposal_form["sections"][0]["title"] == "Children"  # none given


def test_a_call_read_in_a_language_it_is_not_given_in_is_in_its_main_language(app):
    call = bilingual_call()
    with app.test_request_context():
        local = LocalCall(call, "es")
        assert local.language == "en" and local.not_in_wanted_language
        assert local.title == "Small grants"
        assert local.criteria[0].name == "Fit"
        assert not LocalCall(call, "en").not_in_wanted_language


def test_missing_texts_lists_each_language_and_each_text_it_lacks(app):
    call = bilingual_call()
    call.languages = ["en", "fr", "pt"]
    with app.test_request_context():
        keys = [t.key for t in call_texts(call)]
        missing = missing_texts(call)
    assert keys[:2] == ["title", "description"]
    assert {"q_00000001.label", "q_00000001.help", "c_00000002", "criterion:1.guidance"} <= set(
        keys
    )
    assert "letter:award.subject" in keys and "agreement" in keys
    assert set(missing) == {"fr", "pt"}  # never the main language
    assert "title" not in {t.key for t in missing["fr"]}
    assert "description" in {t.key for t in missing["fr"]}
    assert [t.key for t in missing["pt"]] == keys


def test_a_language_with_every_text_given_is_not_listed(app):
    call = bilingual_call()
    with app.test_request_context():
        call.translations = {"fr": {t.key: "texte" for t in call_texts(call)}}
        assert missing_texts(call) == {}
