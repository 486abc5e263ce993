"""Award and Record payment in a real browser: with JavaScript a <dialog> says what will happen
and Cancel closes it with nothing done; without JavaScript the same words are a page of their
own, with the same Cancel and confirm."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import Payment, Proposal, Role
from tests.browser.steps import log_in
from tests.conftest import make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review
from tests.grants.conftest import build_grant


@pytest.fixture
def no_js_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page in a browser context with JavaScript switched off."""
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _log_in(page: Page, email: str) -> None:
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _award_world(app) -> tuple[int, str]:
    """A chair and a proposal asking 20,000 USD of a 60,000 USD envelope, reviewed by two."""
    with app.app_context():
        organisation = make_organisation(make_user(Role.APPLICANT), name="Safe Childhoods")
        proposal = make_reviewed(
            make_rubric_call(envelope="60000"), organisation, amount="20000", title="Parents"
        )
        for scores in ((4, 4), (4, 5)):
            review(proposal, make_user(Role.REVIEWER), scores)
        ids = proposal.id, make_user(Role.CHAIR).email
        db.session.remove()
        return ids


def _proposal_state(app, proposal_id: int) -> str:
    with app.app_context():
        state = db.session.scalar(select(Proposal.state).where(Proposal.id == proposal_id))
        db.session.remove()
        return state


def _payment_world(app) -> tuple[int, int, str]:
    """An active grant to Safe Homes whose 2,000 USD second tranche can be paid."""
    with app.app_context():
        world = build_grant()
        world.final.state = "accepted"
        db.session.commit()
        ids = world.grant.id, world.grant.tranches[1].id, world.admin.email
        db.session.remove()
        return ids


def _recorded_on(app, tranche_id: int):
    """The date of the payment recorded for the tranche (awaiting approval), if any."""
    with app.app_context():
        paid = db.session.scalar(select(Payment.paid_on).where(Payment.tranche_id == tranche_id))
        db.session.remove()
        return paid


def _fill_award(page: Page, proposal_id: int) -> None:
    page.goto(f"/decisions/proposals/{proposal_id}")
    expect(page.get_by_role("heading", name="Award", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="Decline", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="Request revision", level=3)).to_be_visible()
    page.get_by_label("Amount to award").fill("18000")
    page.get_by_role("button", name="Award").click()


def test_with_javascript_the_award_is_confirmed_in_a_dialog(page: Page, app, live_server):
    proposal_id, chair = _award_world(app)
    _log_in(page, chair)
    _fill_award(page, proposal_id)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Award $18,000.00 to Safe Childhoods?")
    expect(dialog).to_contain_text("$42,000.00 of the envelope will be left")
    expect(dialog).to_contain_text("e-mailed to 1 person of Safe Childhoods")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(f"{live_server}/decisions/proposals/{proposal_id}")
    assert _proposal_state(app, proposal_id) == "reviewed"

    page.get_by_role("button", name="Award").click()
    page.get_by_role("dialog").get_by_role("button", name="Award").click()
    _flash(page, "Awarded.")
    assert _proposal_state(app, proposal_id) == "awarded"


def test_without_javascript_the_award_is_confirmed_on_a_page(no_js_page: Page, app):
    page = no_js_page
    proposal_id, chair = _award_world(app)
    _log_in(page, chair)
    _fill_award(page, proposal_id)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Award $18,000.00 to Safe Childhoods?"
    )
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("$42,000.00 of the envelope will be left")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decision on")
    assert _proposal_state(app, proposal_id) == "reviewed"

    _fill_award(page, proposal_id)
    page.get_by_role("button", name="Award").click()
    _flash(page, "Awarded.")
    assert _proposal_state(app, proposal_id) == "awarded"


def _fill_payment(page: Page, grant_id: int, tranche_id: int) -> None:
    page.goto(f"/grants/{grant_id}")
    payment = page.locator(f"form[action$='/tranches/{tranche_id}/payment']")
    payment.get_by_label("Date paid").fill(date.today().isoformat())
    payment.get_by_label("Amount paid").fill("1500")
    payment.get_by_label("Payment reference").fill("TX-7")
    payment.get_by_role("button", name="Record payment of tranche 2").click()


def test_with_javascript_the_payment_is_confirmed_in_a_dialog(page: Page, app, live_server):
    grant_id, tranche_id, admin = _payment_world(app)
    _log_in(page, admin)
    _fill_payment(page, grant_id, tranche_id)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading")).to_have_text(
        "Record a payment of $1,500.00 to Safe Homes?"
    )
    expect(dialog).to_contain_text("reference TX-7")
    expect(dialog).to_contain_text("difference of $500.00 is not paid later")  # the warning
    page.keyboard.press("Escape")  # the native dialog closes as Cancel does
    expect(dialog).to_be_hidden()
    assert _recorded_on(app, tranche_id) is None

    page.get_by_role("button", name="Record payment of tranche 2").click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert _recorded_on(app, tranche_id) is None
    page.get_by_role("button", name="Record payment of tranche 2").click()
    page.get_by_role("dialog").get_by_role("button", name="Record payment").click()
    _flash(page, "Payment of tranche 2 recorded:")
    expect(page).to_have_url(f"{live_server}/grants/{grant_id}")
    assert _recorded_on(app, tranche_id) == date.today()


def test_without_javascript_the_payment_is_confirmed_on_a_page(no_js_page: Page, app):
    page = no_js_page
    grant_id, tranche_id, admin = _payment_world(app)
    _log_in(page, admin)
    _fill_payment(page, grant_id, tranche_id)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record a payment of $1,500.00 to Safe Homes?"
    )
    expect(page.get_by_text("difference of $500.00 is not paid later")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grant")
    assert _recorded_on(app, tranche_id) is None

    _fill_payment(page, grant_id, tranche_id)
    page.get_by_role("button", name="Record payment").click()
    _flash(page, "Payment of tranche 2 recorded:")
    assert _recorded_on(app, tranche_id) == date.today()
