"""Payments in a real browser, with CSRF on: a grantee gives its bank details (a wrong IBAN is
pointed out next to the field) and the secretariat approves them; one admin records a tranche's
payment, cannot approve it, and a second admin approves it, after which the tranche shows paid."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import BankDetails, Role, Tranche
from tests.browser.steps import log_in
from tests.conftest import make_user
from tests.grants.conftest import build_grant


def _log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_a_grantee_gives_bank_details_and_the_secretariat_approves_them(page: Page, app):
    with app.app_context():
        world = build_grant()
        organisation_id = world.grant.organisation_id
        db.session.delete(
            db.session.scalar(
                select(BankDetails).where(BankDetails.organisation_id == organisation_id)
            )
        )
        db.session.commit()
        member, admin = world.member.email, world.admin.email

    _log_in(page, member)
    page.goto(f"/organisations/{organisation_id}/bank-details")
    expect(page.get_by_text("No bank details yet")).to_be_visible()
    page.get_by_label("Account holder").fill("Safe Homes Association")
    page.get_by_label("Bank name").fill("Stanbic Bank Uganda")
    page.get_by_label("IBAN or account number").fill("GB82 WEST 1234 5698 7654 33")
    page.get_by_label("SWIFT/BIC (optional)").fill("SBICUGKX")
    page.get_by_label("Country of the bank").select_option("UG")
    page.get_by_role("button", name="Save bank details").click()
    expect(page.locator(".error-summary")).to_contain_text("checksum fails")
    expect(page.locator("#account_number-error-1")).to_contain_text("This IBAN is not valid")
    page.get_by_label("IBAN or account number").fill("GB82 WEST 1234 5698 7654 32")
    page.get_by_role("button", name="Save bank details").click()
    _flash(page, "wait for the secretariat's approval")
    expect(page.locator("#current")).to_contain_text("•••• 5432")
    expect(page.locator("#current")).not_to_contain_text("12345698")

    _log_in(page, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payments").click()
    bank = page.locator("#awaiting-bank-details")
    expect(bank).to_contain_text("Safe Homes")
    bank.get_by_role("button", name="Approve the bank details of Safe Homes").click()
    _flash(page, "The bank details of Safe Homes are approved.")
    expect(page.locator("#awaiting-bank-details")).to_contain_text("No bank details are waiting")


def test_one_admin_records_a_payment_another_approves_and_the_tranche_is_paid(page: Page, app):
    with app.app_context():
        world = build_grant()
        world.final.state = "accepted"
        db.session.commit()
        grant_id, tranche_id = world.grant.id, world.grant.tranches[1].id
        recorder = world.admin.email
        approver = make_user(Role.ADMIN, name="Bea Approver").email

    _log_in(page, recorder)
    page.goto(f"/grants/{grant_id}")
    form = page.locator(f"form[action$='/tranches/{tranche_id}/payment']")
    form.get_by_label("Date paid").fill(date.today().isoformat())
    form.get_by_label("Amount paid").fill("2000")
    form.get_by_label("Payment reference").fill("TX-2027-99")
    form.get_by_role("button", name="Record payment of tranche 2").click()
    page.get_by_role("dialog").get_by_role("button", name="Record payment").click()
    _flash(page, "counts as paid once another person approves it")
    expect(page.locator("#tranches")).to_contain_text("payment awaiting approval")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payments").click()
    waiting = page.locator("#awaiting-payments")
    expect(waiting).to_contain_text("TX-2027-99")
    expect(waiting).to_contain_text("You recorded it: another person approves it.")
    expect(waiting.get_by_role("button", name="Approve payment TX-2027-99")).to_have_count(0)

    _log_in(page, approver)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payments").click()
    page.get_by_role("button", name="Approve payment TX-2027-99").click()
    _flash(page, "The payment of TX-2027-99 is approved.")
    expect(page.locator("#awaiting-payments")).to_contain_text("No payment is waiting")
    page.goto(f"/grants/{grant_id}")
    row = page.locator("#tranches tbody tr").nth(1)
    expect(row.locator("td.state")).to_have_text("paid")
    expect(row).to_contain_text("TX-2027-99")

    with app.app_context():
        assert db.session.get(Tranche, tranche_id).paid_on == date.today()
