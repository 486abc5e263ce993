"""The secretariat ticks two grants on the grants list and sends report reminders: the grant
with a report due is reminded, the one whose next report is months away is refused, and why."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from fund.extensions import db
from tests.browser.steps import log_in
from tests.conftest import outbox
from tests.grants.conftest import TODAY, build_grant


def _world(app) -> dict:
    with app.app_context():
        due = build_grant()
        later = build_grant(interim_due=TODAY + timedelta(days=60))
        ids = {
            "admin": due.admin.email,
            "due": due.grant.reference,
            "later": later.grant.reference,
            "due_member": due.member.email,
            "later_member": later.member.email,
        }
        db.session.remove()
        return ids


def _reminded(app, email: str) -> list[str]:
    with app.app_context():
        events = [m.event for m in outbox(recipient=email)]
        db.session.remove()
        return events


def test_report_reminders_for_two_grants_report_one_done_and_one_refused(
    page: Page, live_server, app
):
    ids = _world(app)
    log_in(page, ids["admin"])
    page.goto("/grants/")
    rows = page.locator("table tbody tr")
    for reference in (ids["due"], ids["later"]):
        rows.filter(has_text=reference).get_by_role("checkbox").check()
    page.get_by_label("Action").select_option("remind_reports")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Send report reminders: check the grants"
    )
    expect(page.get_by_role("row").filter(has_text="No report is due yet")).to_have_count(1)
    page.get_by_role("button", name="Send report reminders for 1 grant").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Send report reminders: the result")
    expect(page.locator(".bulk-summary")).to_contain_text("1 done, 1 refused.")
    refused = page.get_by_role("table", name="Grants left as they were, and why")
    expect(refused.get_by_role("row").filter(has_text=ids["later"])).to_contain_text(
        "No report is due yet"
    )
    done = page.get_by_role("table", name="Grants handled")
    expect(done.get_by_role("row").filter(has_text=ids["due"])).to_have_count(1)
    assert _reminded(app, ids["due_member"]) == ["report_due_soon"]
    assert _reminded(app, ids["later_member"]) == []
