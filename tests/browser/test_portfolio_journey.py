"""The portfolio in a real browser: an observer signs in, follows the dashboard's link to the
portfolio, reads the map and a table, and downloads a table as CSV."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_call, make_organisation, make_user
from tests.portfolio.conftest import grant

OBSERVER = "olu@example.org"


def test_an_observer_opens_the_portfolio_and_downloads_the_csv(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.OBSERVER, email=OBSERVER)
        call = make_call(title="Call 2027")
        for country, amount in (("UG", "12000"), ("UG", "8000"), ("KE", "5000")):
            grant(
                make_organisation(name=f"Hidden name {country}", country_code=country), call, amount
            )
        db.session.remove()

    log_in(page, OBSERVER)
    page.locator("main").get_by_role("link", name="Portfolio").click()

    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()
    expect(
        page.get_by_role("img", name="Map of the amounts awarded in USD by country")
    ).to_be_visible()
    countries = page.locator("#table-country")
    expect(countries.get_by_role("row", name="Uganda")).to_contain_text("<5")
    expect(countries.get_by_role("row", name="Uganda")).to_contain_text("20,000.00")
    expect(page.get_by_text("Hidden name UG")).to_have_count(0)

    with page.expect_download() as download:
        page.locator("#downloads-country").get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines() == [
        '"Country","Grants","Awarded (USD)","Paid (USD)"',
        '"Kenya","<5","5000.00","0"',
        '"Uganda","<5","20000.00","0"',
        '"Total","<5","25000.00","0"',
    ]
