"""The grant journey in a real browser, with CSRF on: the grantee accepts the agreement and
submits an interim report; the secretariat requests changes; the grantee resubmits; the
secretariat accepts it and records the payment that was waiting for it (which then awaits a
second person's approval: tests/browser/test_payment_journey.py)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import Grant, Payment, Tranche
from fund.rules.report_content import REACH_CELLS, reach_field
from tests.browser.steps import log_in
from tests.grants.conftest import build_grant


def _log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_agreement_report_changes_resubmission_acceptance_and_payment(
    page: Page, app, live_server: str
):
    with app.app_context():
        world = build_grant("pending_agreement")
        world.grant.tranches[1].condition = "interim_report"  # paid when the interim is accepted
        world.grant.tranches[1].report_id = world.interim.id
        db.session.commit()
        grant_id, report_id = world.grant.id, world.interim.id
        member, admin = world.member.email, world.admin.email
        tranche_id = world.grant.tranches[1].id

    _log_in(page, member)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Grants").click()
    page.get_by_role("link", name=re.compile(r"^GR-")).click()
    page.get_by_role("link", name="Read and accept the agreement").click()
    expect(page.locator("#terms")).to_contain_text("Safe Homes")
    page.get_by_role("button", name="Accept agreement").click()
    expect(page.get_by_text("Type your full name.").first).to_be_visible()
    page.get_by_label("Your full name").fill("Grace Member")
    page.get_by_label("I have read these terms").check()
    page.get_by_role("button", name="Accept agreement").click()
    _flash(page, "The agreement is accepted")
    expect(page.locator("#agreement")).to_contain_text("Accepted by Grace Member")

    page.get_by_role("link", name="Interim report").click()
    expect(page.get_by_text("Do not enter names, photos or case details")).to_be_visible()
    page.get_by_label("What happened in this period").fill("We trained 38 parents.")
    page.get_by_role("button", name="Save draft").click()
    _flash(page, "Your draft is saved.")
    page.get_by_label("Challenges").fill("Heavy rain in April.")
    page.get_by_label("Next steps").fill("Start the school clubs.")
    for n, (sex, band) in enumerate(REACH_CELLS):
        page.locator(f"#{reach_field(sex, band)}").fill(str(n + 3))
    page.get_by_label("Spent on Facilitators").fill("2950")
    page.get_by_label("Spent on Workshops").fill("1000")
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_text("explain why").first).to_be_visible()
    page.get_by_label("Why spending on Workshops differs from the plan").fill("Rain delays.")
    page.get_by_role("button", name="Submit report").click()
    _flash(page, "Your report is submitted.")

    _log_in(page, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.locator("#submitted").get_by_role("link", name="Interim report").click()
    expect(page.get_by_text("We trained 38 parents.")).to_be_visible()
    page.get_by_label("Comments to the grantee").fill("Add the number of clubs started.")
    page.get_by_role("button", name="Request changes").click()
    _flash(page, "Changes are requested")

    _log_in(page, member)
    page.goto(f"/reports/{report_id}")
    expect(page.locator("#feedback")).to_contain_text("Add the number of clubs started.")
    page.get_by_label("Next steps").fill("Start the school clubs; 4 clubs started so far.")
    page.get_by_role("button", name="Submit report").click()
    _flash(page, "Your report is submitted.")

    _log_in(page, admin)
    page.goto(f"/reports/{report_id}")
    page.get_by_role("button", name="Accept report").click()
    _flash(page, "The report is accepted")
    page.get_by_role("link", name="Safe homes").click()
    expect(page).to_have_url(f"{live_server}/grants/{grant_id}")
    payment = page.locator(f"form[action$='/tranches/{tranche_id}/payment']")
    payment.get_by_label("Date paid").fill(date.today().isoformat())
    payment.get_by_label("Amount paid").fill("2000")
    payment.get_by_label("Payment reference").fill("TX-2027-88")
    payment.get_by_role("button", name="Record payment of tranche 2").click()
    page.get_by_role("dialog").get_by_role("button", name="Record payment").click()
    _flash(page, "Payment of tranche 2 recorded:")
    expect(page.locator("#tranches")).to_contain_text("TX-2027-88")

    expect(page.locator("#tranches")).to_contain_text("awaiting approval")

    with app.app_context():
        payment = db.session.scalar(select(Payment).where(Payment.tranche_id == tranche_id))
        assert (payment.amount, payment.reference) == (Decimal("2000"), "TX-2027-88")
        assert payment.state == "awaiting_approval"  # tests/browser/test_payment_journey.py
        assert db.session.get(Tranche, tranche_id).paid_on is None
        assert db.session.get(Grant, grant_id).state == "active"
