"""A call's languages: the secretariat's Translations page, the list of texts still missing,
and the call page in the reader's language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Call, Role
from tests.calls.bilingual import (
    ASKED_FR,
    DESCRIPTION_FR,
    FIT_FR,
    SAFELY_FR,
    TITLE_FR,
    bilingual_call,
)
from tests.calls.conftest import create_call, form_data
from tests.conftest import count_queries, login, make_call, make_user
from tests.forms_def.building import ASKED

NOT_ADMIN = (Role.APPLICANT, Role.REVIEWER, Role.CHAIR)


def page_of(call: Call) -> str:
    return f"/calls/{call.id}/translations/fr"


def test_an_admin_gets_the_translations_page_with_each_main_text(client, ctx):
    call, _asked, _safely = bilingual_call()
    login(client, make_user(Role.ADMIN))
    response = client.get(page_of(call))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "In English: " + ASKED in page
    assert f'value="{ASKED_FR}"' in page  # the translation given so far, to correct


@pytest.mark.parametrize("role", NOT_ADMIN)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_are_refused_the_translations_page(client, ctx, role, method):
    call, _asked, _safely = bilingual_call()
    login(client, make_user(role))
    response = getattr(client, method)(page_of(call), data={"title": "Pris"})
    assert response.status_code == 403
    assert call.translations["fr"]["title"] == TITLE_FR


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, ctx, method):
    call, _asked, _safely = bilingual_call()
    response = getattr(client, method)(page_of(call), data={"title": "Pris"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    assert call.translations["fr"]["title"] == TITLE_FR


@pytest.mark.parametrize("language", ["en", "es", "xx", "fr%00"])
def test_a_language_the_call_is_not_translated_into_is_not_found(client, ctx, language):
    """The main language has no translations page, nor a language the call is not given in."""
    call, _asked, _safely = bilingual_call()
    login(client, make_user(Role.ADMIN))
    response = client.get(f"/calls/{call.id}/translations/{language}")
    assert response.status_code == 404
    assert "not given in that language" in response.get_data(as_text=True)


def test_saving_stores_the_texts_and_audits_which_changed(client, ctx):
    call, asked, safely = bilingual_call()
    admin = make_user(Role.ADMIN)
    login(client, admin)
    sent = {"title": " Subventions 2027 ", f"{asked}.label": ASKED_FR, "description": ""}
    response = client.post(page_of(call), data=sent)
    assert response.status_code == 302
    assert response.headers["Location"] == page_of(call)
    texts = db.session.get(Call, call.id).translations["fr"]
    assert texts["title"] == "Subventions 2027"  # trimmed
    assert "description" not in texts  # emptied: the English one is shown again
    assert texts[f"{safely}.label"] == SAFELY_FR  # not sent: left as it was
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "translate"))
    assert event.actor_id == admin.id and event.subject_id == call.id
    assert event.comment.startswith("fr: ") and "title" in event.comment


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "x" * 201, "Field cannot be longer than 200 characters."),
        ("title", "Bad\x00text", "Remove the invisible control characters from this text."),
        ("letter:award.subject", "Décision {unknown}", "Unknown placeholder {unknown}."),
    ],
)
def test_bad_input_gets_a_400_with_the_message_and_nothing_is_saved(
    client, ctx, field, value, message
):
    call, _asked, _safely = bilingual_call()
    call.letter_templates = {"award": {"subject": "Awarded {reference}", "body": "Dear {title}"}}
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    response = client.post(page_of(call), data={field: value, "description": "Nouveau"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and 'id="error-summary"' in page
    assert db.session.get(Call, call.id).translations["fr"]["description"] == DESCRIPTION_FR


def test_the_call_page_lists_the_missing_translations_for_the_secretariat(client, ctx):
    call, _asked, safely = bilingual_call()
    call.published_at = None
    call.languages = ["en", "fr", "pt"]
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Incomplete translations" in page
    assert "Français" in page and "Português" in page
    assert "Criterion 2: name: Feasibility" in page  # the French list: only what lacks
    assert f'href="/calls/{call.id}/translations/fr"' in page
    assert f'href="/calls/{call.id}/translations/pt"' in page


def test_no_list_once_every_text_is_translated_nor_for_applicants(client, ctx):
    call, _asked, _safely = bilingual_call()
    call.translations = {"fr": {**call.translations["fr"], "criterion:2.name": "Faisabilité"}}
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    assert "Incomplete translations" not in client.get(f"/calls/{call.id}").get_data(as_text=True)
    call.translations = {"fr": {}}
    db.session.commit()
    login(client, make_user(Role.APPLICANT))
    assert "Incomplete translations" not in client.get(f"/calls/{call.id}").get_data(as_text=True)


def test_a_french_reader_sees_the_call_in_french_without_a_note(client, ctx):
    call, _asked, _safely = bilingual_call()
    login(client, make_user(Role.APPLICANT, locale="fr"))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert TITLE_FR in page and DESCRIPTION_FR in page and ASKED_FR in page and FIT_FR in page
    assert "Feasibility" in page  # not translated: in English
    assert 'id="language-note"' not in page


def test_a_reader_of_another_language_sees_the_main_one_with_a_note(client, ctx):
    call, _asked, _safely = bilingual_call()
    login(client, make_user(Role.APPLICANT, locale="es"))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert TITLE_FR not in page and "Call 2027" in page
    assert ASKED in page and ASKED_FR not in page
    assert 'id="language-note"' in page  # "... it is shown in English." in their language


def test_the_call_form_sets_the_languages_with_the_main_one_always_among_them(client, ctx):
    login(client, make_user(Role.ADMIN))
    response = client.post("/calls/new", data=form_data(main_language="fr", languages=["en", "pt"]))
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert (call.main_language, call.languages) == ("fr", ["en", "fr", "pt"])


def test_a_new_call_without_languages_is_in_english_only(client, ctx):
    login(client, make_user(Role.ADMIN))
    assert client.post("/calls/new", data=form_data()).status_code == 302
    call = db.session.scalar(select(Call))
    assert (call.main_language, call.languages) == ("en", ["en"])


@pytest.mark.parametrize("changes", [{"main_language": "xx"}, {"languages": ["en", "de"]}])
def test_a_language_not_offered_is_refused_with_a_400(client, ctx, changes):
    login(client, make_user(Role.ADMIN))
    response = client.post("/calls/new", data=form_data(**changes))
    assert response.status_code == 400
    assert 'id="error-summary"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Call)) is None


def test_an_edit_that_does_not_send_the_main_language_keeps_it(client, ctx):
    call = create_call(published=False, languages=["en", "fr"], main_language="fr")
    login(client, make_user(Role.ADMIN))
    data = form_data(title="Renamed", languages=["en", "fr"])
    assert client.post(f"/calls/{call.id}/edit", data=data).status_code == 302
    assert (call.main_language, call.languages) == ("fr", ["en", "fr"])


def test_the_call_page_makes_as_many_queries_in_two_languages_as_in_one(client, ctx):
    plain, _asked, _safely = bilingual_call(make_call(title="Plain"))
    plain.languages, plain.translations = ["en"], {}
    bilingual, _asked, _safely = bilingual_call()
    paths = [f"/calls/{plain.id}", f"/calls/{bilingual.id}"]
    db.session.commit()
    login(client, make_user(Role.APPLICANT, locale="fr"))
    counts = []
    for path in paths:
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_list_of_calls_names_each_call_in_the_readers_language(client, ctx):
    bilingual_call()
    login(client, make_user(Role.APPLICANT, locale="fr"))
    assert TITLE_FR in client.get("/calls/").get_data(as_text=True)
    login(client, make_user(Role.APPLICANT, locale="es"))
    assert TITLE_FR not in client.get("/calls/").get_data(as_text=True)


def test_copying_a_call_takes_its_languages_and_translations_but_not_its_title(client, ctx):
    source, asked, _safely = bilingual_call()
    target = create_call(published=False)
    login(client, make_user(Role.ADMIN))
    assert client.post(f"/calls/{target.id}/copy", data={"source": source.id}).status_code == 302
    assert (target.main_language, target.languages) == ("en", ["en", "fr"])
    assert target.translations["fr"][f"{asked}.label"] == ASKED_FR
    assert "title" not in target.translations["fr"]
    assert "description" not in target.translations["fr"]
