"""The report form as data in a real browser, with CSRF on: the secretariat starts a call's report
form from the INSPIRE indicators template and adds "Schools reached" (a number); the grantee
reports it (a wrong answer is refused by the field, nothing typed lost); the secretariat reads
it on the report and accepts the report."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.rules.report_content import REACH_CELLS, reach_field
from tests.browser.steps import log_in
from tests.grants.conftest import build_grant

INDICATORS = {"Events held": "6", "Materials produced": "3", "Partners engaged": "5"}


def _log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_the_secretariat_adds_schools_reached_the_grantee_reports_it_and_it_is_accepted(
    page: Page, app, live_server: str
):
    with app.app_context():
        world = build_grant("active")
        call_id, report_id = world.grant.proposal.call_id, world.interim.id
        member, admin = world.member.email, world.admin.email
        db.session.remove()

    # The secretariat: the template, then its own indicator.
    _log_in(page, admin)
    page.goto(f"/calls/{call_id}")
    page.get_by_role("link", name="Report questions").click()
    page.get_by_role("button", name="Start from the INSPIRE indicators template").click()
    _flash(page, "The report form now asks the INSPIRE indicators.")
    add = page.locator("form.builder-add").first
    add.get_by_label("Type of answer").select_option("number")
    add.get_by_label("Question", exact=True).fill("Schools reached")
    add.get_by_role("button", name="Add question").click()
    page.get_by_label("An answer is required to submit").check()
    page.get_by_label("Lowest value allowed (optional)").fill("0")
    page.get_by_role("button", name="Save question").click()
    _flash(page, "The question is saved.")
    expect(page.locator("#questions")).to_contain_text("Schools reached")

    # The grantee reports it; a word where a number goes is refused by the field.
    _log_in(page, member)
    page.goto(f"/reports/{report_id}")
    page.get_by_label("What happened in this period").fill("We trained 38 parents.")
    page.get_by_label("Challenges").fill("Heavy rain in April.")
    page.get_by_label("Next steps").fill("Start the school clubs.")
    for n, (sex, band) in enumerate(REACH_CELLS):
        page.locator(f"#{reach_field(sex, band)}").fill(str(n + 3))
    page.get_by_label("Spent on Facilitators").fill("2950")
    page.get_by_label("Spent on Workshops").fill("1950")
    for label, value in INDICATORS.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Media reach", exact=True).fill("0")
    page.get_by_label("Schools reached").fill("eleven")
    page.get_by_role("button", name="Submit report").click()
    expect(page.locator("#error-summary")).to_contain_text("Schools reached")
    expect(page.get_by_text("Write a number with digits").first).to_be_visible()
    expect(page.get_by_label("Challenges")).to_have_value("Heavy rain in April.")
    page.get_by_label("Schools reached").fill("11")
    page.get_by_role("button", name="Submit report").click()
    _flash(page, "Your report is submitted.")

    # The secretariat reads it on the report and accepts the report.
    _log_in(page, admin)
    page.goto(f"/reports/{report_id}")
    answers = page.locator(".report-answers").first
    expect(answers.locator("dt", has_text="Schools reached")).to_be_visible()
    expect(answers.locator("dd").nth(4)).to_have_text("11")
    page.get_by_role("button", name="Accept report").click()
    _flash(page, "The report is accepted")
    expect(page.locator(".state").first).to_contain_text("accepted")
