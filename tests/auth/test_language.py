"""Switching the interface language, for a visitor and for a signed-in user's account."""

import pytest

from tests.auth.conftest import user_by_email
from tests.conftest import login, make_user

EMAIL = "amina@example.org"


def html_lang(client, path: str = "/") -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_anonymous_visitor_can_switch_to_french(client):
    """A visitor's choice holds for the rest of the visit."""
    response = client.post("/language", data={"locale": "fr", "next": "/account/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert html_lang(client) == "fr"
    assert html_lang(client, "/account/login") == "fr"


def test_signed_in_user_switch_is_saved_on_the_account(client):
    """A signed-in user's choice is stored on the account, so it follows them."""
    login(client, make_user(email=EMAIL))
    client.post("/language", data={"locale": "fr"})
    assert user_by_email(EMAIL).locale == "fr"
    assert html_lang(client) == "fr"


def test_account_language_wins_over_the_browser(client):
    """A signed-in user's saved language beats the browser's Accept-Language."""
    login(client, make_user(email=EMAIL, locale="pt"))
    html = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="pt"' in html


@pytest.mark.parametrize("locale", ["xx", "", "de", "fr\x00"])
def test_unknown_locale_is_ignored(client, locale):
    """A language we do not offer changes nothing, for the visit or the account."""
    login(client, make_user(email=EMAIL))
    response = client.post("/language", data={"locale": locale})
    assert response.status_code == 302
    assert user_by_email(EMAIL).locale == "en"
    assert html_lang(client) == "en"


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/account/profile?tab=1", "/account/profile?tab=1"),
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example", "/"),
        ("/\\elsewhere.example", "/"),
        (None, "/"),
    ],
)
def test_next_stays_local(client, target, landing):
    """After switching, the visitor returns to a page on this site, never elsewhere."""
    data = {"locale": "es"} | ({"next": target} if target is not None else {})
    response = client.post("/language", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == landing


def test_language_form_returns_to_the_page_it_is_on(client):
    """The switcher on each page carries that page as `next`."""
    html = client.get("/account/forgot").get_data(as_text=True)
    assert 'name="next" value="/account/forgot"' in html
