"""The proposal form's countries of implementation in Chromium: a filter box narrows the
checkboxes, and the countries ticked are saved."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Proposal
from tests.browser.steps import log_in
from tests.conftest import make_call, make_organisation, make_proposal, make_user

MEMBER = "amina@example.org"


def test_the_filter_narrows_the_countries_and_the_ticked_ones_are_saved(
    page: Page, live_server: str, app
):
    with app.app_context():
        organisation = make_organisation(make_user(email=MEMBER), name="Safe Childhoods Uganda")
        proposal_id = make_proposal(organisation, make_call(), title="Safe schools").id
        db.session.commit()
        db.session.remove()
    log_in(page, MEMBER)
    page.goto(f"/proposals/{proposal_id}/edit")

    countries = page.get_by_role("group", name="Countries of implementation")
    countries.get_by_label("Filter the countries").fill("ugan")
    expect(countries.locator(".checkbox-list label:visible")).to_have_count(1)
    expect(countries.get_by_text("1 countries shown")).to_be_visible()
    countries.get_by_label("Uganda", exact=True).check()
    countries.get_by_label("Filter the countries").fill("keny")
    expect(countries.get_by_label("Uganda", exact=True)).to_be_hidden()
    countries.get_by_label("Kenya", exact=True).check()
    page.get_by_role("button", name="Save draft").last.click()

    expect(page.locator(".flash-success")).to_contain_text("Draft saved")
    with app.app_context():
        assert sorted(db.session.get(Proposal, proposal_id).countries) == ["KE", "UG"]
        db.session.remove()
