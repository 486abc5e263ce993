"""The call form's time zone in Chromium: the browser's own zone comes pre-selected, and
"Other time zone" reveals a field with every zone to search."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import Call, Role
from fund.timezones import all_zones
from tests.browser.steps import log_in
from tests.conftest import make_user

ADMIN = "sam@example.org"


def _new_call_page(browser: Browser, live_server: str, app, zone: str) -> Page:
    """The new-call form for an admin whose profile says Geneva, in a browser set to `zone`."""
    with app.app_context():
        make_user(Role.ADMIN, email=ADMIN).timezone = "Europe/Zurich"
        db.session.commit()
        db.session.remove()
    context = browser.new_context(base_url=live_server, timezone_id=zone)
    page = context.new_page()
    log_in(page, ADMIN)
    page.goto("/calls/new")
    return page


def test_a_new_call_starts_in_the_browsers_zone(browser: Browser, live_server: str, app):
    page = _new_call_page(browser, live_server, app, "Asia/Kathmandu")
    expect(page.get_by_label("Time zone of the opening and closing times")).to_have_value(
        "Asia/Kathmandu"
    )
    expect(page.get_by_label("Other time zone")).to_be_hidden()
    page.context.close()


def test_a_zone_not_listed_is_typed_under_other_and_saved(browser: Browser, live_server, app):
    """A browser in Caracas (not in the short list) starts with "Other" and its zone typed;
    choosing a listed zone hides the field, choosing "Other" again shows it with every zone."""
    page = _new_call_page(browser, live_server, app, "America/Caracas")
    zones = page.get_by_label("Time zone of the opening and closing times")
    other = page.get_by_label("Other time zone")
    expect(zones).to_have_value("other")
    expect(other).to_be_visible()
    expect(other).to_have_value("America/Caracas")
    expect(page.locator("#timezone_other-zones option")).to_have_count(len(all_zones()))

    zones.select_option("Africa/Nairobi")
    expect(other).to_be_hidden()
    zones.select_option("other")
    expect(other).to_be_visible()
    expect(other).to_be_focused()

    page.get_by_label("Title").fill("Caracas round")
    page.get_by_label("Purpose and description").fill("A round set in Caracas time.")
    page.get_by_label("Opens at").fill("2028-03-01T09:00")
    page.get_by_label("Closes at").fill("2028-04-30T17:00")
    page.get_by_role("button", name="Save call").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Caracas round")
    with app.app_context():
        assert db.session.scalars(select(Call.timezone)).one() == "America/Caracas"
        db.session.remove()
    page.context.close()
