"""Two-factor sign-in in a real browser: a chair whose role needs it is held at the set-up
page, adds the key to an "app" (pyotp here), keeps the recovery codes, and from then on logs in
with the password and a code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
from playwright.sync_api import Page, expect

from fund import clock
from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user

CHAIR = "chioma@example.org"
NOW = datetime(2027, 3, 1, 9, 0, 10, tzinfo=UTC)


def _log_in(page: Page) -> None:
    log_in(page, CHAIR)


def test_a_chair_sets_up_two_factor_and_logs_in_with_a_code(
    page: Page, live_server: str, app, monkeypatch
):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin,chair")
    moment = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    with app.app_context():
        make_user(Role.CHAIR, email=CHAIR)
        db.session.commit()
        db.session.remove()

    _log_in(page)
    expect(page).to_have_url(f"{live_server}/account/two-factor")
    page.goto("/dashboard")  # held: nothing else opens
    expect(page).to_have_url(f"{live_server}/account/two-factor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    app_codes = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(app_codes.at(NOW))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: go on").click()
    expect(page).to_have_url(f"{live_server}/dashboard")

    page.get_by_role("button", name="Log out").click()
    moment["now"] = NOW + timedelta(minutes=1)
    _log_in(page)
    expect(page).to_have_url(f"{live_server}/account/login/code")
    page.get_by_label("Code").fill(app_codes.at(moment["now"]))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/dashboard")
