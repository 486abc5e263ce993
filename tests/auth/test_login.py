"""Logging in and out through the forms, and where the user lands afterwards."""

import re

import pytest

import fund.auth.services
import fund.models.user
from fund.auth.services import set_active
from fund.extensions import db
from fund.models import Role
from tests.auth.conftest import is_signed_in, page_text, submit_login
from tests.conftest import login, make_user


def input_tag(html: str, name: str) -> str:
    """The <input> element named `name` in `html`."""
    match = re.search(r'<input[^>]*\bname="' + re.escape(name) + r'"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def test_login_form_lets_password_managers_fill_it(client):
    """The fields are `email` and `password`, marked username and current-password."""
    html = client.get("/account/login").get_data(as_text=True)
    assert 'autocomplete="username"' in input_tag(html, "email")
    assert 'type="email"' in input_tag(html, "email")
    assert 'autocomplete="current-password"' in input_tag(html, "password")
    assert 'type="password"' in input_tag(html, "password")


def test_correct_password_signs_in_and_goes_to_the_dashboard(client):
    """The right e-mail and password sign the user in and land on the dashboard."""
    user = make_user()
    response = submit_login(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert is_signed_in(client)


def test_the_address_matches_whatever_its_case_and_spaces(client):
    """The e-mail address is matched without regard to case or surrounding spaces."""
    make_user(email="amina@example.org")
    assert submit_login(client, "  Amina@Example.ORG ").status_code == 302
    assert is_signed_in(client)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("amina@example.org", "not the password"),
        ("nobody@example.org", "correct horse battery"),
        ("amina@example.org", "CORRECT HORSE BATTERY"),
    ],
    ids=["wrong-password", "unknown-address", "password-case"],
)
def test_wrong_credentials_are_refused_with_one_message(client, email, password):
    """A wrong password or unknown address is 400 with the same message, and no session."""
    make_user(email="amina@example.org")
    response = submit_login(client, email, password)
    assert response.status_code == 400
    assert "The e-mail address or the password is not correct." in page_text(response)
    assert not is_signed_in(client)


@pytest.mark.parametrize("known", [True, False], ids=["known-address", "unknown-address"])
def test_every_failed_login_costs_one_password_check(client, monkeypatch, known):
    """An unknown address is checked against a dummy hash, so timing does not reveal accounts."""
    checks = []

    def spy(pwhash, password):
        checks.append(password)
        return False

    monkeypatch.setattr(fund.auth.services, "check_password_hash", spy)
    monkeypatch.setattr(fund.models.user, "check_password_hash", spy)
    make_user(email="amina@example.org")
    email = "amina@example.org" if known else "nobody@example.org"
    assert submit_login(client, email, "a wrong password").status_code == 400
    assert checks == ["a wrong password"]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "amina@example.org"},
        {"password": "x" * 12},
        {"email": "a\x00@example.org", "password": "x" * 12},
    ],
    ids=["empty", "no-password", "no-email", "nul-in-email"],
)
def test_incomplete_or_malformed_login_is_refused(client, data):
    """Missing fields or control characters get a 400 with the form, never a server error."""
    make_user(email="amina@example.org")
    response = client.post("/account/login", data=data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_control_characters_in_the_address_are_refused_before_the_database(client):
    """A NUL in the address (which PostgreSQL cannot even compare) is a 400 with a message."""
    response = client.post("/account/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Remove the invisible control characters" in page_text(response)


def test_local_next_is_honoured(client):
    """A `next` path on this site is where the user lands after logging in."""
    user = make_user()
    response = submit_login(client, user.email, next="/organisations/")
    assert response.headers["Location"] == "/organisations/"


@pytest.mark.parametrize(
    "target",
    [
        "https://elsewhere.example",
        "//elsewhere.example",
        "/\\elsewhere.example",
        "\\\\elsewhere.example",
        "http:elsewhere.example",
        "javascript:alert(1)",
        "/\t/elsewhere.example",
        "organisations/",
    ],
)
def test_foreign_next_stays_on_this_site(client, target):
    """A `next` that would leave the site (or is not an absolute path) goes to the dashboard."""
    user = make_user()
    response = client.post(
        "/account/login",
        query_string={"next": target},
        data={"email": user.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_login_page_passes_next_on_to_registration(client):
    """Someone sent to log in who has no account keeps `next` when choosing to register."""
    html = client.get("/account/login?next=/organisations/new").get_data(as_text=True)
    assert 'href="/account/register?next=/organisations/new"' in html


def test_logout_is_post_only(client):
    """A GET of the logout address (a link, a prefetch) logs nobody out."""
    login(client, make_user())
    response = client.get("/account/logout")
    assert response.status_code == 405
    assert is_signed_in(client)


def test_logout_ends_the_session(client):
    """POST /account/logout ends the session and goes to the home page."""
    user = make_user()
    submit_login(client, user.email)
    response = client.post("/account/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not is_signed_in(client)
    assert client.get("/account/profile").status_code == 302


def test_deactivated_user_cannot_log_in(client):
    """A deactivated account with the right password is refused, saying it is deactivated."""
    user = make_user(active=False)
    response = submit_login(client, user.email)
    assert response.status_code == 400
    assert "This account has been deactivated." in page_text(response)
    assert not is_signed_in(client)


def test_deactivated_user_with_a_wrong_password_learns_nothing(client):
    """A wrong password for a deactivated account gets the usual message, not its status."""
    user = make_user(active=False)
    response = submit_login(client, user.email, "not the password")
    assert response.status_code == 400
    text = page_text(response)
    assert "The e-mail address or the password is not correct." in text
    assert "deactivated" not in text


@pytest.mark.parametrize("roles", [(Role.APPLICANT,), (Role.REVIEWER, Role.CHAIR)])
def test_deactivation_ends_an_open_session(client, roles):
    """A user signed in before being deactivated is logged out on the next request."""
    admin = make_user(Role.ADMIN)
    user = make_user(*roles)
    submit_login(client, user.email)
    assert is_signed_in(client)
    set_active(user, False, admin)
    db.session.commit()
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert not is_signed_in(client)


def test_reactivation_does_not_revive_an_old_session(client):
    """Reactivating an account lets it log in again, but not through the session it had."""
    admin = make_user(Role.ADMIN)
    user = make_user()
    submit_login(client, user.email)
    set_active(user, False, admin)
    db.session.commit()
    set_active(user, True, admin)
    db.session.commit()
    assert not is_signed_in(client)
    assert submit_login(client, user.email).status_code == 302
    assert is_signed_in(client)
