"""The audit log in a real browser: the secretariat opens it from the menu, narrows it to the
awards of one chair, follows a row to its proposal's page, and downloads the rows as CSV."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from fund import audit
from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user

ADMIN = "sam@example.org"


def test_secretariat_filters_the_log_and_downloads_it(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.ADMIN, email=ADMIN)
        chair = make_user(Role.CHAIR, name="Chidi Chair", email="chidi@example.org")
        audit.record("proposal", 41, "award", actor=chair, comment="strong plan")
        audit.record("call", 2, "open", actor=chair, comment="the call opened")
        db.session.commit()
        db.session.remove()

    log_in(page, ADMIN)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_text("the call opened")).to_be_visible()

    page.get_by_label("Action").select_option("award")
    page.get_by_label("Done by (name or e-mail contains)").fill("chidi")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("strong plan")).to_be_visible()
    expect(page.get_by_text("the call opened")).to_have_count(0)
    expect(page.get_by_role("link", name="Proposal 41")).to_have_attribute("href", "/proposals/41")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "strong plan" in text and "the call opened" not in text
    assert download.value.suggested_filename.startswith("audit-log-")
