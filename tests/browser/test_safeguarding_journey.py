"""The safeguarding channel in a real browser: a reviewer reports a concern from the footer and
sees it received; a safeguarding lead reads it, records an action and closes it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user

REPORTER = "rita@example.org"
LEAD = "lena@example.org"


def _log_in(page: Page, email: str) -> None:
    log_in(page, email)


def test_a_concern_goes_from_reporter_to_lead(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.REVIEWER, email=REPORTER)
        make_user(Role.SAFEGUARDING_LEAD, email=LEAD, name="Lena Lead")
        db.session.commit()
        db.session.remove()

    _log_in(page, REPORTER)
    page.get_by_role("link", name="Report a safeguarding concern").click()
    page.get_by_label("Which organisation, activity or place is it about?").fill("Gulu centre")
    page.get_by_label("What happened, or what worries you").fill("Children kept after dark.")
    page.get_by_role("button", name="Send to the safeguarding leads").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern received")
    page.get_by_role("button", name="Log out").click()

    _log_in(page, LEAD)
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_text("Children kept after dark.")).to_be_visible()
    page.get_by_label("What was done").fill("Called the partner's director.")
    page.get_by_role("button", name="Add to the record").click()
    page.get_by_label("Outcome").fill("Referred to the district child protection officer.")
    page.get_by_role("button", name="Close the concern").click()
    expect(page.get_by_text("The concern is closed.")).to_be_visible()
    expect(page.get_by_text("Called the partner's director.")).to_be_visible()
