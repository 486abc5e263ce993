"""A person finds "Your data" on the profile page and downloads the ZIP in a real browser."""

from __future__ import annotations

import json
import zipfile

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user

EMAIL = "zawadi@example.org"


def test_a_person_downloads_their_data_from_the_profile(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.REVIEWER, email=EMAIL, name="Zawadi Reviewer")
        db.session.commit()
        db.session.remove()
    log_in(page, EMAIL)
    page.goto("/account/profile")
    page.get_by_role("link", name="Download everything the fund holds about you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (ZIP)").click()
    assert download.value.suggested_filename.startswith("inspire-fund-my-data-")
    with zipfile.ZipFile(download.value.path()) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["account"]["name"] == "Zawadi Reviewer"
