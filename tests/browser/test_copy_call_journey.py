""" "Copy from call ..." in a real browser, with CSRF on: the secretariat starts a new call from
the demo's open call, sees its questions and rubric in the pre-filled form, sets the title,
description and dates, saves, and finds the questions and rubric on the new call."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.demo.calls import seed_calls
from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user

ADMIN = "sam@example.org"
DEMO_CALL = "INSPIRE small grants 2027: awareness and engagement"
ASKED = "Will children take part in activities?"


def test_secretariat_starts_a_new_call_from_the_demo_call(page: Page, live_server: str, app):
    with app.app_context():
        seed_calls(make_user(Role.ADMIN, email=ADMIN))
        db.session.commit()
        db.session.remove()

    log_in(page, ADMIN)
    page.goto("/calls/manage")
    page.get_by_role("link", name="New call").click()

    page.get_by_label("Copy from call").select_option(label=DEMO_CALL)
    page.get_by_role("button", name="Copy into the form").click()
    expect(page.get_by_text(f"Copying the set-up of “{DEMO_CALL}”")).to_be_visible()
    expect(page.locator("#copying").get_by_text(ASKED)).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(f"Copy of {DEMO_CALL}")
    expect(page.locator("input[name='criteria-0-name']")).to_have_value("INSPIRE fit")

    page.get_by_label("Title").fill("INSPIRE small grants 2028")
    page.get_by_label("Purpose and description").fill("The second round of small grants.")
    page.get_by_label("Opens at").fill("2028-03-01T09:00")
    page.get_by_label("Closes at").fill("2028-04-30T17:00")
    page.get_by_role("button", name="Save call").last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("INSPIRE small grants 2028")
    expect(page.get_by_text(ASKED)).to_be_visible()
    expect(page.get_by_text("INSPIRE fit").first).to_be_visible()
