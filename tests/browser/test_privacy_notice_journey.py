"""A new privacy notice in a real browser: the secretariat publishes it in English and French;
an applicant who logs in next is asked to read and accept it before going on."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user

ADMIN = "sam@example.org"
APPLICANT = "ana@example.org"


def _log_in(page: Page, email: str) -> None:
    log_in(page, email)


def test_a_new_notice_is_published_and_accepted(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.ADMIN, email=ADMIN)
        make_user(Role.APPLICANT, email=APPLICANT)
        db.session.commit()
        db.session.remove()

    _log_in(page, ADMIN)
    page.get_by_role("link", name="Users").first.click()
    page.get_by_role("link", name="Privacy notice").first.click()
    page.get_by_label("Text in English").fill("We keep your data safe.\n\nAsk us anything.")
    page.get_by_label("Text in Français").fill("Nous protégeons vos données.")
    page.get_by_role("button", name="Publish as a new version").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    _log_in(page, APPLICANT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_text("The fund has published a new privacy notice.")).to_be_visible()
    expect(page.get_by_text("Ask us anything.")).to_be_visible()
    page.get_by_role("button", name="I accept").click()
    expect(page).to_have_url(f"{live_server}/dashboard")
