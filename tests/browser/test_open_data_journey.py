"""Open data in a real browser: the secretariat stops naming a grant whose organisation would be
put at risk, and a visitor, not signed in, finds the list of grants awarded from the footer
without that grant and downloads the 360Giving CSV."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user
from tests.opendata.conftest import awarded

ADMIN = "sam@example.org"


def test_secretariat_unnames_a_grant_and_a_visitor_downloads_the_rest(
    page: Page, live_server: str, app
):
    with app.app_context():
        make_user(Role.ADMIN, email=ADMIN)
        awarded(title="Safe homes in Gulu", name="Safe Homes")
        hidden = awarded(title="Shelter in Kisumu", name="Quiet Shelter", country="KE").id
        db.session.remove()

    log_in(page, ADMIN)
    page.goto(f"/grants/{hidden}")
    page.get_by_label("Name this grant in open data (the public list and 360Giving)").uncheck()
    page.get_by_label("Why it is not named").fill("Naming the shelter would put children at risk.")
    page.locator("#open-data").get_by_role("button", name="Save").click()
    expect(page.get_by_text("The grant is no longer named in open data.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    page.get_by_role("link", name="Grants awarded, and open data").click()
    expect(page.get_by_role("heading", name="Safe homes in Gulu")).to_be_visible()
    expect(page.get_by_text("Quiet Shelter")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Safe homes in Gulu" in text and "Quiet Shelter" not in text
