"""Erasing one's account in a real browser: a person who never applied erases it from "Your
data" with their password, and can no longer log in."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import PASSWORD, make_user

EMAIL = "tomas@example.org"


def _log_in(page: Page) -> None:
    log_in(page, EMAIL)


def test_a_person_erases_their_account(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.APPLICANT, email=EMAIL, name="Tomás Ferreira")
        db.session.commit()
        db.session.remove()
    _log_in(page)
    page.goto("/account/data/")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_text("Your account is erased.")).to_be_visible()
    _log_in(page)
    expect(
        page.get_by_text("The e-mail address or the password is not correct.", exact=True)
    ).to_be_visible()
