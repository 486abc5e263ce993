"""Passkeys in a real browser, with Chromium's virtual authenticator (over CDP) standing in for
a laptop's fingerprint reader: an admin adds a passkey and later signs in with it without typing
anything; a chair held at two-factor set-up adds one instead of an app, and uses it after the
password. WebAuthn needs a secure context and a domain, so these pages are opened as
http://localhost:<port> with the RP ID "localhost" (127.0.0.1 cannot hold passkeys)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fund.extensions import db
from fund.models import Passkey, Role
from tests.conftest import PASSWORD, make_user

ADMIN = "ada@example.org"
CHAIR = "chioma@example.org"


@pytest.fixture
def site(live_server: str, app, monkeypatch) -> str:
    """The live server as http://localhost:<port>, with passkeys set up for that site."""
    localhost = f"http://localhost:{urlsplit(live_server).port}"
    monkeypatch.setitem(app.config, "WEBAUTHN_RP_ID", "localhost")
    monkeypatch.setitem(app.config, "WEBAUTHN_ORIGIN", localhost)
    return localhost


@pytest.fixture
def authenticator(context: BrowserContext, page: Page) -> str:
    """A platform authenticator that keeps discoverable passkeys and verifies its user."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return added["authenticatorId"]


def _user(app, role: Role, email: str) -> None:
    with app.app_context():
        make_user(role, email=email)
        db.session.commit()
        db.session.remove()


def _log_in_with_password(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/account/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _add_passkey(page: Page, name: str) -> None:
    page.get_by_label("Name of the new passkey").fill(name)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text(f"Passkey “{name}” added.")).to_be_visible()
    expect(page.get_by_role("cell", name=name)).to_be_visible()


def test_an_admin_adds_a_passkey_and_signs_in_with_it_without_typing(
    page: Page, site: str, authenticator: str, app
):
    _user(app, Role.ADMIN, ADMIN)
    _log_in_with_password(page, site, ADMIN)
    expect(page).to_have_url(f"{site}/dashboard")
    page.goto(f"{site}/account/two-factor")
    _add_passkey(page, "Work laptop")
    page.get_by_role("button", name="Log out").click()

    page.goto(f"{site}/account/login")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(f"{site}/dashboard")
    expect(page.get_by_text("You are logged in.")).to_be_visible()
    with app.app_context():
        passkey = db.session.query(Passkey).one()
        assert passkey.name == "Work laptop" and passkey.last_used_at is not None
        db.session.remove()


def test_a_chair_uses_a_passkey_as_the_second_factor(
    page: Page, site: str, authenticator: str, app, monkeypatch
):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin,chair")
    _user(app, Role.CHAIR, CHAIR)
    _log_in_with_password(page, site, CHAIR)
    expect(page).to_have_url(f"{site}/account/two-factor")  # held until a second factor
    _add_passkey(page, "Office laptop")
    page.goto(f"{site}/dashboard")
    expect(page).to_have_url(f"{site}/dashboard")  # the passkey is the second factor
    page.get_by_role("button", name="Log out").click()

    _log_in_with_password(page, site, CHAIR)
    expect(page).to_have_url(f"{site}/account/login/code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm with your passkey")
    page.get_by_role("button", name="Use your passkey").click()
    expect(page).to_have_url(f"{site}/dashboard")


def test_without_javascript_the_passkey_buttons_stay_hidden(browser, site: str, app):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/account/login")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_hidden()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    context.close()
