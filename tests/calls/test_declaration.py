"""The declaration applicants tick before submitting: set on the call's form, refused when
it is bad input, and given in the call's other languages on its Translations page."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import Call, Role
from tests.calls.conftest import form_data
from tests.conftest import login, make_user


@pytest.fixture
def call(client, admin, frozen) -> Call:
    """A call made through the form, with the built-in declaration (the box left empty)."""
    assert client.post("/calls/new", data=form_data()).status_code == 302
    return Call.query.one()


def test_a_new_call_leaves_the_declaration_to_the_built_in_text(call):
    assert call.declaration == ""


def test_the_call_form_sets_the_declaration(client, call):
    page = client.get(f"/calls/{call.id}/edit").get_data(as_text=True)
    assert 'name="declaration"' in page
    assert "Leave it empty for the built-in declaration" in page
    response = client.post(
        f"/calls/{call.id}/edit", data=form_data(declaration="  We declare it all true.  ")
    )
    assert response.status_code == 302
    assert call.declaration == "We declare it all true."
    page = client.get(f"/calls/{call.id}/edit").get_data(as_text=True)
    assert "We declare it all true.</textarea>" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("We declare\x00 it.", "Remove the invisible control characters from this text."),
        ("x" * 5001, "Field cannot be longer than 5000 characters."),
    ],
)
def test_a_bad_declaration_is_a_400_and_changes_nothing(client, call, value, message):
    response = client.post(f"/calls/{call.id}/edit", data=form_data(declaration=value))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert call.declaration == ""


def test_the_translations_page_asks_for_the_declaration_once_the_call_has_one(client, call):
    call.languages = ["en", "fr"]
    db.session.commit()
    translations = f"/calls/{call.id}/translations/fr"
    assert "Declaration applicants tick" not in client.get(translations).get_data(as_text=True)
    call.declaration = "We declare it all true."
    db.session.commit()
    page = client.get(translations).get_data(as_text=True)
    assert "Declaration applicants tick" in page
    assert "We declare it all true." in page


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
def test_only_the_secretariat_sets_the_declaration(client, call, role):
    login(client, make_user(role))
    response = client.post(f"/calls/{call.id}/edit", data=form_data(declaration="Mine."))
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert call.declaration == ""
