"""CSRF protection on the account forms, security headers and the session cookie."""

import re

import pytest

from tests.auth.conftest import is_signed_in, page_text, registration, user_by_email
from tests.conftest import PASSWORD, make_user

CSRF_MESSAGE = "The form had expired or was sent from elsewhere."


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/login", {"email": "amina@example.org", "password": PASSWORD}),
        ("/account/register", registration()),
        ("/account/forgot", {"email": "amina@example.org"}),
        ("/account/logout", {}),
        ("/language", {"locale": "fr"}),
    ],
)
def test_post_without_csrf_token_is_refused(client, csrf, path, data):
    """With CSRF on, a POST without the token is 400 with the friendly message."""
    response = client.post(path, data=data)
    assert response.status_code == 400
    text = page_text(response)
    assert CSRF_MESSAGE in text
    assert "Something in the request was not right" in text


def test_login_without_csrf_token_does_not_sign_in(client, csrf):
    """The refused login leaves the visitor signed out."""
    make_user(email="amina@example.org")
    client.post("/account/login", data={"email": "amina@example.org", "password": PASSWORD})
    assert not is_signed_in(client)


def test_register_without_csrf_token_creates_nobody(client, csrf):
    """The refused registration stores no account."""
    client.post("/account/register", data=registration())
    assert user_by_email("amina@example.org") is None


def test_login_with_the_page_csrf_token_works(client, csrf):
    """The token the login page renders is accepted (the form works with CSRF on)."""
    make_user(email="amina@example.org")
    html = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(
        "/account/login",
        data={"email": "amina@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.parametrize("path", ["/", "/account/login", "/account/no-such-page"])
def test_security_headers_are_set(client, path):
    """Every response carries the CSP, frame denial, nosniff and a referrer policy."""
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in [part.strip() for part in csp.split(";")]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
        "strict-origin",
    }


def test_session_cookie_is_httponly_and_samesite_lax(client):
    """The session cookie set at login cannot be read by scripts and stays on this site."""
    make_user(email="amina@example.org")
    response = client.post(
        "/account/login", data={"email": "amina@example.org", "password": PASSWORD}
    )
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    attributes = [part.strip().lower() for part in cookies[0].split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_remember_me_cookie_is_httponly_and_samesite_lax(client):
    """The remember-me cookie has the same protections."""
    make_user(email="amina@example.org")
    response = client.post(
        "/account/login",
        data={"email": "amina@example.org", "password": PASSWORD, "remember": "y"},
    )
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cookies, response.headers
    attributes = [part.strip().lower() for part in cookies[0].split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
