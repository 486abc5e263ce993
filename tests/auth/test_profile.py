"""The profile page: name, language and time zone."""

import pytest

from fund.models import Role
from tests.auth.conftest import page_text, user_by_email
from tests.conftest import login, make_user

EMAIL = "amina@example.org"


def profile(**changes: str) -> dict[str, str]:
    data = {"name": "Amina Okello", "locale": "fr", "timezone": "Africa/Kampala"}
    data.update(changes)
    return data


def test_profile_saves_name_language_and_time_zone(client):
    """A valid profile is saved and the page redirects to itself with a message."""
    login(client, make_user(email=EMAIL))
    response = client.post("/account/profile", data=profile(name="  Amina N. Okello "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    user = user_by_email(EMAIL)
    assert (user.name, user.locale, user.timezone) == ("Amina N. Okello", "fr", "Africa/Kampala")


def test_saved_language_is_used_for_the_pages(client):
    """After choosing French, the pages are in French (the <html lang> says so)."""
    login(client, make_user(email=EMAIL))
    client.post("/account/profile", data=profile(locale="fr"))
    assert '<html lang="fr"' in client.get("/account/profile").get_data(as_text=True)


def test_profile_form_shows_the_current_values(client):
    """The form starts from what is saved."""
    user = make_user(email=EMAIL, name="Amina Okello", locale="pt")
    login(client, user)
    html = client.get("/account/profile").get_data(as_text=True)
    assert 'value="Amina Okello"' in html
    assert '<option selected value="pt">' in html
    assert '<option selected value="UTC">' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "Not a valid choice."),
        ({"timezone": ""}, "This field is required."),
        ({"locale": "xx"}, "Not a valid choice."),
        ({"locale": ""}, "This field is required."),
        ({"name": ""}, "This field is required."),
        ({"name": "A" * 121}, "Field cannot be longer than 120 characters."),
        ({"name": "Amina\x00"}, "Remove the invisible control characters"),
        ({"name": "Amina\r\nOkello"}, "Remove the invisible control characters"),
    ],
    ids=[
        "unknown-timezone",
        "no-timezone",
        "unknown-locale",
        "no-locale",
        "no-name",
        "long-name",
        "nul-in-name",
        "newline-in-name",
    ],
)
def test_profile_refuses_bad_input(client, changes, message):
    """Bad values are 400 with a message next to the field, and nothing is saved."""
    login(client, make_user(email=EMAIL, name="Original Name"))
    response = client.post("/account/profile", data=profile(**changes))
    assert response.status_code == 400
    assert message in page_text(response)
    user = user_by_email(EMAIL)
    assert (user.name, user.locale, user.timezone) == ("Original Name", "en", "UTC")


def test_profile_shows_email_status_and_roles(client):
    """The page shows the address, whether it is confirmed, and every role held."""
    login(client, make_user(Role.REVIEWER, Role.CHAIR, email=EMAIL, verified=False))
    text = page_text(client.get("/account/profile"))
    assert EMAIL in text
    assert "(not confirmed yet)" in text
    assert "Send the link again" in text
    assert "chair, reviewer" in text
