"""The amendment journey in a real browser, with CSRF on: the grantee asks for a no-cost
extension from the grant page; the secretariat finds it in the list waiting, approves it; the
grant page then shows the new end date and the final report's moved due date."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Grant
from tests.browser.steps import log_in
from tests.grants.conftest import build_grant


def _log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_a_grantee_asks_for_an_extension_and_the_secretariat_approves_it(
    page: Page, app, live_server: str
):
    with app.app_context():
        world = build_grant()
        grant_id = world.grant.id
        new_end = world.grant.end_on + timedelta(days=61)
        final_due, moved_due = world.final.due_on, world.final.due_on + timedelta(days=61)
        member, admin = world.member.email, world.admin.email

    _log_in(page, member)
    page.goto(f"/grants/{grant_id}")
    expect(page.locator("#reports")).to_contain_text(final_due.isoformat())
    page.get_by_role("link", name="a no-cost extension").click()
    page.get_by_role("button", name="Send the request").click()  # nothing filled in
    expect(page.locator("#error-summary")).to_contain_text("Say why the change is needed.")
    page.get_by_label("New end date").fill(new_end.isoformat())
    page.get_by_label("Why is this change needed?").fill("Floods closed the schools.")
    page.get_by_role("button", name="Send the request").click()
    _flash(page, "Your request is sent to the secretariat.")
    expect(page.locator(".state").first).to_have_text("waiting for approval")

    _log_in(page, admin)
    page.goto("/grants/")
    page.get_by_role("link", name="Amendments waiting for approval").click()
    page.get_by_role("link", name="No-cost extension").click()
    expect(page.get_by_text("Floods closed the schools.")).to_be_visible()
    page.get_by_role("button", name="Approve the amendment").click()
    _flash(page, "The amendment is approved")
    page.get_by_role("link", name=re.compile(r"^Grant GR-")).click()
    expect(page.locator("#reports")).to_contain_text(moved_due.isoformat())
    expect(page.locator("#reports")).not_to_contain_text(final_due.isoformat())
    expect(page.locator("dl")).to_contain_text(new_end.isoformat())
    expect(page.locator("#amendments")).to_contain_text("approved")

    with app.app_context():
        assert db.session.get(Grant, grant_id).end_on == new_end
